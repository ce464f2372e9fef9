// One query per layer and a spatial filter against a running API; exits non-zero when an answer is wrong.
const url = process.argv[2];

async function gql(query, variables, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function check(ok, message) {
  if (!ok) throw new Error(message);
  console.log(`ok: ${message}`);
}

(async () => {
  const cams = await gql('{ cameras(first: 3) { totalCount edges { node { id name geometry } } } }');
  check(cams.cameras.totalCount >= 150 && cams.cameras.edges[0].node.geometry.type === 'Point', `${cams.cameras.totalCount} cameras`);

  const nbs = await gql('{ neighbourhoods(first: 100) { totalCount edges { node { id name areaSquareMeters } } } }');
  check(nbs.neighbourhoods.totalCount >= 20, `${nbs.neighbourhoods.totalCount} neighbourhoods`);

  // The 5 cameras nearest to a TM39 point, with distances, in TM39.
  const near = await gql(`{ cameras(first: 5, nearest: { x: 392750, y: 4098300, srid: 5257 }) {
    edges { distanceMeters node { name geometry(srid: 5257) } } } }`);
  const d = near.cameras.edges.map((e) => e.distanceMeters);
  check(d.length === 5 && d.every((v, i) => i === 0 || v >= d[i - 1]), `nearest 5 in TM39, distances ${d.map((v) => v.toFixed(1)).join(', ')} m`);
  check(near.cameras.edges[0].node.geometry.crs.properties.name === 'EPSG:5257', 'geometry in EPSG:5257');

  const layers = await gql(`{ networkLines { totalCount } networkNodes { totalCount } remoteUnits { totalCount } parcels { totalCount }
    parcelByNumber(mahalle: "istasyon", ada: 101, parsel: 1) { mahalle neighbourhood { name } } }`);
  check(layers.remoteUnits.totalCount >= 30 && layers.parcels.totalCount >= 2000 && layers.networkLines.totalCount > 0 && layers.networkNodes.totalCount > 0,
    `${layers.networkLines.totalCount} lines, ${layers.networkNodes.totalCount} nodes, ${layers.remoteUnits.totalCount} remote units, ${layers.parcels.totalCount} parcels`);
  check(layers.parcelByNumber && layers.parcelByNumber.mahalle === 'İSTASYON', 'parcel İSTASYON 101/1 found as "istasyon"');

  const login = await gql('mutation { login(username: "ayse.demir", password: "nizip-ornek-2026") { accessToken } }');
  const me = await gql('{ me { username } }', {}, login.login.accessToken);
  check(me.me.username === 'ayse.demir', 'logged in as ayse.demir');

  const istasyon = await gql('{ neighbourhoods(filter: { name: "ISTASYON" }) { edges { node { id name } } } }');
  const id = istasyon.neighbourhoods.edges[0].node.id;
  const inside = await gql('query($id: ID!) { cameras(spatial: { inNeighbourhood: $id }) { totalCount } neighbourhood(id: $id) { cameras { totalCount } } }', { id });
  check(inside.cameras.totalCount === inside.neighbourhood.cameras.totalCount, `${inside.cameras.totalCount} cameras inside İstasyon, both ways`);
})().catch((err) => {
  console.error(`embedded smoke test failed: ${err.message}`);
  process.exit(1);
});
