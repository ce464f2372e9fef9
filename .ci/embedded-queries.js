// One query per layer and a spatial filter against a running API; exits non-zero when an answer is wrong.
const url = process.argv[2];

let token;

async function send(query, variables, as) {
  const headers = { 'content-type': 'application/json' };
  if (as) headers.authorization = `Bearer ${as}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return res.json();
}

/** As the analyst (or `as`: null for anonymous); throws on any error. */
async function gql(query, variables, as = token) {
  const body = await send(query, variables, as);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const login = async (username) =>
  (await gql(`mutation { login(username: "${username}", password: "nizip-ornek-2026") { accessToken } }`, {}, null)).login.accessToken;

function check(ok, message) {
  if (!ok) throw new Error(message);
  console.log(`ok: ${message}`);
}

(async () => {
  const anonymous = await gql('{ cameras { totalCount edges { node { isPublic } } } }', {}, null);
  check(anonymous.cameras.totalCount > 0 && anonymous.cameras.edges.every((e) => e.node.isPublic), `anonymous: ${anonymous.cameras.totalCount} public cameras only`);
  const refused = await send('{ networkLines { totalCount } }', {}, null);
  check(refused.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', 'anonymous: network lines need a login');

  token = await login('zeynep.arslan');
  const me = await gql('{ me { username } }');
  check(me.me.username === 'zeynep.arslan', 'logged in as zeynep.arslan (analyst)');

  const cams = await gql('{ cameras(first: 3) { totalCount edges { node { id name geometry } } } }');
  check(cams.cameras.totalCount >= 150 && cams.cameras.edges[0].node.geometry.type === 'Point', `${cams.cameras.totalCount} cameras`);

  // A vector tile, encoded in JavaScript here (the embedded PostGIS has no protobuf-c for ST_AsMVT).
  const [lon, lat] = cams.cameras.edges[0].node.geometry.coordinates;
  const z = 14;
  const x = Math.floor(((lon + 180) / 360) * 2 ** z);
  const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
  const base = url.replace(/\/graphql$/, '');
  const tileRes = await fetch(`${base}/tiles/cameras/${z}/${x}/${y}.mvt`, { headers: { authorization: `Bearer ${token}` } });
  check(tileRes.status === 200 && tileRes.headers.get('content-type') === 'application/vnd.mapbox-vector-tile', `GET /tiles/cameras/${z}/${x}/${y}.mvt: ${tileRes.status}`);
  const { VectorTile } = await import('@mapbox/vector-tile');
  const { PbfReader } = await import('pbf');
  const layer = new VectorTile(new PbfReader(new Uint8Array(await tileRes.arrayBuffer()))).layers.cameras;
  const tileIds = Array.from({ length: layer ? layer.length : 0 }, (_, i) => layer.feature(i).id);
  check(tileIds.includes(Number(cams.cameras.edges[0].node.id)) && layer.feature(0).properties.code.startsWith('KAM-'),
    `the tile decodes: ${tileIds.length} cameras with ids and attributes`);
  check((await fetch(`${base}/tiles/network-lines/${z}/${x}/${y}.mvt`)).status === 401, 'anonymous: network-line tiles need a login');

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

  const istasyon = await gql('{ neighbourhoods(filter: { name: "ISTASYON" }) { edges { node { id name } } } }');
  const id = istasyon.neighbourhoods.edges[0].node.id;
  const inside = await gql('query($id: ID!) { cameras(spatial: { inNeighbourhood: $id }) { totalCount } neighbourhood(id: $id) { cameras { totalCount } } }', { id });
  check(inside.cameras.totalCount === inside.neighbourhood.cameras.totalCount, `${inside.cameras.totalCount} cameras inside İstasyon, both ways`);

  // An edit in a transaction with its audit row, on the embedded database too.
  const fatma = await login('fatma.kaya');
  const kibris = (await gql('{ neighbourhoods(filter: { name: "KIBRIS" }) { edges { node { id } } } }', {}, fatma)).neighbourhoods.edges[0].node.id;
  const lines = await gql('query($n: ID!) { networkLines(spatial: { inNeighbourhood: $n }) { edges { node { id version } } } }', { n: kibris }, fatma);
  let edited;
  for (const { node } of lines.networkLines.edges) {
    const res = await send('mutation($id: ID!, $v: Int!) { updateNetworkLine(id: $id, version: $v, input: { provider: "Belediye" }) { id version } }', { id: node.id, v: node.version }, fatma);
    if (!res.errors) { edited = res.data.updateNetworkLine; break; }
  }
  check(edited && edited.version >= 2, `fatma.kaya edited network line ${edited && edited.id} in Kıbrıs`);
  const audit = await gql('query($id: ID!) { auditLog(filter: { entity: NETWORK_LINES, entityId: $id }) { edges { node { actorUsername action } } } }', { id: edited.id }, await login('elif.yurt'));
  check(audit.auditLog.edges[0].node.actorUsername === 'fatma.kaya', 'the edit is in the audit log');

  // The registers: the analyst's figures, and a fault reported by a directorate on its own printer.
  const registers = await gql('{ assets { totalCount } faultFigures(by: NEIGHBOURHOOD, filter: { open: true }) { label count } }');
  check(registers.assets.totalCount >= 1500 && registers.faultFigures.length > 0,
    `${registers.assets.totalCount} assets; open faults in ${registers.faultFigures.length} neighbourhoods`);
  const printer = (await gql('{ assets(first: 1, filter: { type: [PRINTER], state: [IN_USE] }) { edges { node { id } } } }', {}, fatma)).assets.edges[0].node.id;
  const report = await gql('mutation($a: ID!) { reportFault(input: { assetId: $a, category: PERIPHERAL, description: "Kağıt sıkıştırıyor" }) { id asset { state } } }', { a: printer }, fatma);
  check(report.reportFault.asset.state === 'FAULTY', `fatma.kaya reported fault ${report.reportFault.id}; the printer is FAULTY`);
})().catch((err) => {
  console.error(`embedded smoke test failed: ${err.message}`);
  process.exit(1);
});
