/**
 * `npm run bench`: the speed targets of the project, measured in one run on one PostgreSQL +
 * PostGIS database, each printed with its baseline and whether it is met:
 *   1. 100,000 cameras: a bbox page of 1,000 with geometry, and the 5 nearest with distances, at 8
 *      clients, against PostGraphile v5 on the same database (installed for the bench only) and the
 *      raw SQL (pgbench); the API runs before and after the peer, and the two runs count together;
 *   2. the fixed cost: `{ __typename }` at 8 clients, against a bare Apollo Server 5 + Express 5
 *      run before and after it (the ratio is the target), and the same with an access token;
 *   3. 1,000,000 parcels of 20 m around Nizip: a zoom-16 viewport page with totalCount (p97.5,
 *      beside the same page and count as JSON from PostgreSQL alone at the same concurrency), and
 *      z16 / z14 parcel tiles against the raw ST_AsMVT of the same tile at the same concurrency, as
 *      a reader of every parcel and as a reader limited to an area;
 *   4. mixed load: 50 clients over README's analyst queries, p99, errors and the server's RSS;
 *   5. the embedded database: first start and steady RSS;
 *   6. importing parcels (POST /imports of a GeoPackage in TUREF TM39, a dry run then the commit):
 *      100,000 on the server (commit <= 60 s, the server's peak RSS <= 500 MB), 10,000 on the
 *      embedded database; the time and the rate in rows/s;
 *   7. the network operations on a synthetic network of 10,000 nodes and 12,000 lines (500 of its
 *      switches with an open fault): the impact of one failure (<= 200 ms), every single point of
 *      failure (<= 2 s), the coverage of a neighbourhood with 1,000 cameras (<= 500 ms), the fault
 *      queue by impact with the impact of its 500 open faults (<= 1 s); on the server, and printed
 *      for the embedded database;
 *   8. history: the bbox page of 1,000 cameras read as of an instant when each of the 100k bench
 *      cameras has 10 versions, against the same page now (<= 2x);
 *   9. live updates: 1,000 WebSocket subscribers (administrators, anonymous, and area readers
 *      over 90 areas) while a camera moves every 10 ms for 30 s: delivery p95 <= 200 ms, no event
 *      lost or delivered to a subscriber who may not see it, the server's RSS.
 * The API runs as `npm start` runs it (a separate process, NODE_ENV=production).
 *
 * Database: BENCH_DATABASE_URL (default postgres://kbs:kbs@127.0.0.1:5432/kbs_bench, which
 * scripts/setup-postgis.sh creates); its data is kept between runs (BENCH_FRESH=1 reloads).
 * BENCH_SECONDS (per case, default 15), BENCH_MIXED_SECONDS (default 60), BENCH_CONNECTIONS (8),
 * BENCH_ONLY (comma-separated case groups: cameras,fixed,parcels,mixed,export,import,network,history,live,embedded).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKnex } from '../src/db/knex';
import { BENCH_PASSWORD, CAMERA_VERSIONS, ensureAreaReader, ensureCameraVersions, GRID_ORIGIN, LOT_METRES, PARCELS_SIDE, prepareDatabase } from './lib/data';
import { forgetImports, parcelsGpkg, runImport } from './lib/imports';
import { liveBench } from './lib/live';
import { COVERAGE_CAMERAS, FAULTS, forgetNetworkBench, loadNetworkBench, NODES } from './lib/network';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { migrateLatest, seedSampleData } from '../src/db/migrate';
import { combine, graphql, hwmMb, load, rawSql, rssMb, withPeakRss, type HttpCase, type LoadResult } from './lib/load';
import { startApi, startBareApollo, startPeer, type Started } from './lib/processes';

const ROOT = path.resolve(__dirname, '../..');
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://kbs:kbs@127.0.0.1:5432/kbs_bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MIXED_SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const CONN = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'cameras,fixed,parcels,mixed,export,import,network,history,live,embedded').split(','));
const API_PORT = 4890;
const PEER_PORT = 5690;
const BARE_PORT = 4892;
const IMPORT_PORT = 4893;
const NETWORK_PORT = 4894;
const NETWORK_SECONDS = Number(process.env.BENCH_NETWORK_SECONDS ?? 10);
const IMPORT_PARCELS = Number(process.env.BENCH_IMPORT_PARCELS ?? 100_000);
const EMBEDDED_IMPORT_PARCELS = Number(process.env.BENCH_EMBEDDED_IMPORT_PARCELS ?? 10_000);
/** The sample data's administrator: every grant, no area limit. */
const IMPORTER = { username: 'ayse.demir', password: 'nizip-ornek-2026' };
// Every limit meant for the public internet is lifted for the bench's own clients (one address,
// thousands of requests a second); the bench measures speed, test/limits.test.ts the limits.
const API_ENV = { DATABASE_URL: URL_, KBS_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', KBS_ANONYMOUS_RATE_LIMIT: '0', LOG_LEVEL: 'warn' };

interface Row { case: string; ours: string; baseline: string; ratio: string; target: string; met: boolean | undefined }
const rows: Row[] = [];
const fmt = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p97.5 ${r.p975} ms, p99 ${r.p99} ms${r.errors ? `, ${r.errors} ERRORS` : ''}`;
/** A load run that completed nothing meets no target, whatever its percentiles say. */
const ok = (r: LoadResult) => r.errors === 0 && r.requests > 0;
function report(row: Row): void {
  rows.push(row);
  console.log(`[bench] ${row.case}: ${row.ours} | ${row.baseline} | ${row.ratio} | target ${row.target}: ${row.met === undefined ? '-' : row.met ? 'met' : 'NOT met'}`);
}

async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }', variables: { u: username, p: password } }),
  });
  const body = (await res.json()) as { data?: { login: { accessToken: string } }; errors?: unknown };
  if (!body.data) throw new Error(`login of ${username} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.accessToken;
}

/** Sends each case once and fails on an error answer: a bench of errors measures nothing. */
async function check(base: string, cases: HttpCase[]): Promise<void> {
  for (const c of cases) {
    const res = await fetch(`${base}${c.path}`, { method: c.method ?? 'GET', headers: c.headers, body: c.body });
    const text = await res.text();
    if (!res.ok || (c.path === '/graphql' && text.includes('"errors"'))) throw new Error(`${c.method ?? 'GET'} ${c.path} ${c.body ?? ''}: ${res.status} ${text.slice(0, 500)}`);
  }
}

/** The tile (x, y) of a longitude/latitude at zoom z (web Mercator). */
function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

async function camerasCases(api: Started, peer: Started | undefined): Promise<void> {
  const BBOX = '{ cameras(first: 1000, spatial: { bbox: { minx: 37.75, miny: 36.95, maxx: 37.80, maxy: 37.0 } }) { edges { node { id name geometry } } } }';
  const NEAR = '{ cameras(first: 5, nearest: { x: 37.79, y: 37.01 }) { edges { distanceMeters node { id name geometry } } } }';
  const cases = [
    {
      name: '100k cameras, bbox page of 1,000 with geometry',
      ours: graphql(BBOX),
      peer: graphql('{ camerasInBbox(minx: 37.75, miny: 36.95, maxx: 37.80, maxy: 37.0, first: 1000) { nodes { rowId name geometry } } }'),
      raw: `select json_agg(t) from (select c.id, c.name, ST_AsGeoJSON(c.geom, 8)::json g from cameras c where c.geom && ST_MakeEnvelope(37.75,36.95,37.80,37.0,4326) order by c.id limit 1000) t`,
    },
    {
      name: '100k cameras, 5 nearest with distances',
      ours: graphql(NEAR),
      peer: graphql('{ camerasNearest(x: 37.79, y: 37.01, n: 5) { nodes { rowId name geometry } } }'),
      raw: `select json_agg(t) from (select c.id, c.name, ST_AsGeoJSON(c.geom, 8)::json g, ST_Distance(c.geom::geography, ST_MakePoint(37.79,37.01)::geography) d from cameras c order by c.geom::geography <-> ST_MakePoint(37.79,37.01)::geography limit 5) t`,
    },
  ];
  for (const c of cases) {
    await check(api.base, [c.ours]);
    await load(api.base, [c.ours], 4, 5); // warm-up: V8 optimises the hot paths after thousands of requests
    let ours = await load(api.base, [c.ours], CONN, SECONDS);
    let baseline = 'PostGraphile not run';
    let ratio = '';
    let met: boolean | undefined;
    if (peer) {
      await check(peer.base, [c.peer]);
      await load(peer.base, [c.peer], 4, 5);
      const theirs = await load(peer.base, [c.peer], CONN, SECONDS);
      // The API again after the peer, and the two runs together: this machine's speed drifts
      // during a run, and the peer's run sits between the API's two.
      const again = await load(api.base, [c.ours], CONN, SECONDS);
      ours = combine(ours, again);
      baseline = `PostGraphile v5 ${fmt(theirs)}`;
      ratio = `${(ours.rps / theirs.rps).toFixed(2)}x PostGraphile`;
      met = ours.rps >= theirs.rps && ok(ours);
    }
    const raw = await rawSql(URL_, c.raw, CONN, SECONDS);
    report({ case: `${c.name}, ${CONN} clients`, ours: fmt(ours), baseline: `${baseline}; raw SQL ${raw.tps.toFixed(0)} tps`, ratio, target: '>= 1.0x PostGraphile', met });
  }
}

/** Live updates (bench/lib/live.ts): delivery delay, lost and misdelivered events, the server's RSS. */
async function liveCases(api: Started, knex: ReturnType<typeof createKnex>): Promise<void> {
  const r = await liveBench(api.base, knex, (u, p) => login(api.base, u, p), IMPORTER, {
    subscribers: Number(process.env.BENCH_LIVE_SUBSCRIBERS ?? 1000),
    seeingAll: Number(process.env.BENCH_LIVE_SEEING_ALL ?? 40),
    editEveryMs: 10,
    seconds: Number(process.env.BENCH_LIVE_SECONDS ?? 30),
    warmUpSeconds: 5,
  });
  report({
    case: `live: ${r.subscribers} subscribers (20 administrators, 20 anonymous, the rest in 90 areas), one of 10,000 cameras moved every 10 ms for 30 s after 5 s of warm-up (${r.edits} edits)`,
    ours: `delivery p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms; ${r.delivered} of ${r.expected} expected deliveries, ${r.lost} lost, ${r.wrong} to a subscriber who may not see it; server RSS ${rssMb(api.child.pid!).toFixed(0)} MB`,
    baseline: '',
    ratio: '',
    target: 'p95 <= 200 ms, 0 lost, 0 misdelivered',
    met: r.p95 <= 200 && r.lost === 0 && r.wrong === 0 && r.delivered > 0,
  });
}

/**
 * The map as it was: the bbox page of 1,000 of the 100k bench cameras (each with CAMERA_VERSIONS
 * versions) read as of an instant in the middle of their history, against the same page now, in
 * the same run.
 */
async function historyCases(api: Started, knex: ReturnType<typeof createKnex>): Promise<void> {
  const instant = await ensureCameraVersions(knex);
  const page = (asOf: string) => `{ cameras(first: 1000${asOf}, spatial: { bbox: { minx: 37.75, miny: 36.95, maxx: 37.80, maxy: 37.0 } }) { edges { node { id name version geometry } } } }`;
  const now = graphql(page(''));
  const then = graphql(page(`, asOf: "${instant.toISOString()}"`));
  await check(api.base, [now, then]);
  await load(api.base, [now, then], 4, 5);
  const current = await load(api.base, [now], CONN, SECONDS);
  const past = await load(api.base, [then], CONN, SECONDS);
  const ratio = current.rps / past.rps;
  report({
    case: `history: asOf bbox page of 1,000 cameras (100k cameras x ${CAMERA_VERSIONS} versions), ${CONN} clients`,
    ours: fmt(past),
    baseline: `the same page now ${fmt(current)}`,
    ratio: `${ratio.toFixed(2)}x the time of the page now`,
    target: '<= 2x the page now',
    met: ratio <= 2 && ok(past) && ok(current),
  });
}

/** The issue's 4,000 req/s against the 5,400 a bare Apollo Server did on the machine of the time. */
const FIXED_COST_RATIO = 4000 / 5400;

async function fixedCost(api: Started, analyst: string): Promise<void> {
  const c = graphql('{ __typename }');
  // The baseline in the same run, on the same machine state: a bare Apollo Server 5 + Express 5
  // (bench/bare-apollo.ts), measured before and after the API and averaged, so that a machine
  // whose speed drifts during the run (this one's varies by half between runs) weighs on both alike.
  const bare = await startBareApollo(ROOT, BARE_PORT);
  const bareRuns: LoadResult[] = [];
  const ours: LoadResult[] = [];
  try {
    await load(bare.base, [c], 4, 5);
    await load(api.base, [c], 4, 5);
    bareRuns.push(await load(bare.base, [c], CONN, SECONDS));
    ours.push(await load(api.base, [c], CONN, SECONDS));
    bareRuns.push(await load(bare.base, [c], CONN, SECONDS));
  } finally {
    await bare.stop();
  }
  const r = ours[0];
  const theirs = (bareRuns[0].rps + bareRuns[1].rps) / 2;
  const ratio = r.rps / theirs;
  report({
    case: `{ __typename }, ${CONN} clients`,
    ours: fmt(r),
    baseline: `a bare Apollo Server 5 + Express 5 ${bareRuns.map((b) => `${b.rps.toFixed(0)}`).join(' and ')} req/s (before and after)`,
    ratio: `${ratio.toFixed(2)}x bare Apollo`,
    // The issue asks for 4,000 req/s where a bare Apollo did 5,400: 0.74x the framework's own cost.
    // This machine's speed varies by half between runs (a bare Apollo 2,300 to 5,800 req/s), so the
    // ratio in the same run is what the bench holds it to; 4,000 req/s is printed beside it.
    target: `>= ${FIXED_COST_RATIO.toFixed(2)}x bare Apollo in the same run (4,000 req/s where it does 5,400; ${r.rps >= 4000 ? '' : 'not '}>= 4,000 here)`,
    met: ratio >= FIXED_COST_RATIO && ok(r),
  });
  // The same with an access token (every integrator's request): the token is checked, the access
  // it grants comes from the cache kept per account; still no database round trip.
  const withToken = graphql('{ __typename }', {}, analyst);
  await check(api.base, [withToken]);
  await load(api.base, [withToken], 4, 3);
  const t = await load(api.base, [withToken], CONN, SECONDS);
  report({
    case: `{ __typename } with an access token, ${CONN} clients`,
    ours: fmt(t),
    baseline: `without a token ${r.rps.toFixed(0)} req/s`,
    ratio: `${(t.rps / theirs).toFixed(2)}x bare Apollo`,
    target: 'printed',
    met: undefined,
  });
}

async function parcelsCases(api: Started, knex: ReturnType<typeof createKnex>, analyst: string, area: string): Promise<void> {
  // The middle of the grid, and a 1280 x 800 px screen at zoom 16 around it.
  const { rows: [centre] } = await knex.raw('SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM ST_Transform(ST_SetSRID(ST_MakePoint(?::float8, ?::float8), 5257), 4326) AS p', [
    GRID_ORIGIN.x + (PARCELS_SIDE * LOT_METRES) / 2 + 7,
    GRID_ORIGIN.y + (PARCELS_SIDE * LOT_METRES) / 2 + 7,
  ]);
  const half = { lon: (1280 / 2 / 256) * (360 / 2 ** 16), lat: (800 / 2 / 256) * (360 / 2 ** 16) * Math.cos((centre.lat * Math.PI) / 180) };
  const b = { minx: centre.lon - half.lon, miny: centre.lat - half.lat, maxx: centre.lon + half.lon, maxy: centre.lat + half.lat };
  const viewport = graphql(
    `query($b: BBoxInput!) { parcels(first: 1000, spatial: { bbox: $b }) { totalCount edges { node { id mahalle ada parsel nitelik geometry } } } }`,
    { b },
    analyst,
  );
  await check(api.base, [viewport]);
  await load(api.base, [viewport], 4, 5);
  const v = await load(api.base, [viewport], CONN, SECONDS);
  // The same answer from PostgreSQL alone, at the same concurrency: the first 1,000 parcels in the
  // box with their GeoJSON and the count of all of them, as one JSON document (what the API answers).
  const raw = await rawSql(
    URL_,
    `SELECT json_build_object('totalCount', max(t), 'rows', json_agg(json_build_object('id', id, 'mahalle', mahalle, 'ada', ada, 'parsel', parsel, 'nitelik', nitelik, 'geometry', g::json)))
     FROM (SELECT id, mahalle, ada, parsel, nitelik, ST_AsGeoJSON(geom, 7) AS g, count(*) OVER () AS t FROM parcels
           WHERE ST_Intersects(geom, ST_MakeEnvelope(${b.minx}, ${b.miny}, ${b.maxx}, ${b.maxy}, 4326)) ORDER BY id LIMIT 1001) AS s`,
    CONN,
    SECONDS,
  );
  report({
    case: `1M parcels, zoom-16 viewport page (first 1000 + totalCount), ${CONN} clients`,
    ours: fmt(v),
    baseline: `raw SQL (the page and its count as JSON) p97.5 ${raw.p975.toFixed(0)} ms, mean ${raw.mean.toFixed(1)} ms (${raw.tps.toFixed(0)} tps)`,
    ratio: `${(v.p975 / raw.p975).toFixed(2)}x raw p97.5`,
    target: 'p97.5 <= 100 ms',
    met: v.p975 <= 100 && ok(v),
  });

  for (const z of [16, 14]) {
    const t = tileOf(centre.lon, centre.lat, z);
    const tilePath = `/tiles/parcels/${t.z}/${t.x}/${t.y}.mvt`;
    const raw = await rawSql(
      URL_,
      `SELECT ST_AsMVT(q, 'parcels', 4096, 'geom', 'id') FROM (
         SELECT id, mahalle, ada, parsel, nitelik, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}), 4096, 64, true) AS geom
         FROM parcels WHERE geom && ST_Transform(ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}, margin => 128.0 / 4096), 4326)) AS q`,
      CONN,
      SECONDS,
    );
    let everyParcel: LoadResult | undefined;
    for (const [who, token] of [['a reader of every parcel', analyst], ['a reader limited to an area', area]] as const) {
      const c: HttpCase = { path: tilePath, headers: { authorization: `Bearer ${token}` } };
      await check(api.base, [c]);
      await load(api.base, [c], 4, 3);
      const r = await load(api.base, [c], CONN, SECONDS);
      const ratio = r.mean / raw.mean;
      report({
        case: `1M parcels, z${z} tile ${t.x}/${t.y} as ${who}, ${CONN} clients`,
        ours: fmt(r) + `, mean ${r.mean.toFixed(1)} ms`,
        baseline: `raw ST_AsMVT mean ${raw.mean.toFixed(1)} ms (${raw.tps.toFixed(0)} tps)${everyParcel ? `; every-parcel reader mean ${everyParcel.mean.toFixed(1)} ms` : ''}`,
        ratio: `${ratio.toFixed(2)}x raw${everyParcel ? `, ${(r.mean / everyParcel.mean).toFixed(2)}x every-parcel reader` : ''}`,
        target: everyParcel ? '<= 1.5x raw, area adds <= 20 %' : '<= 1.5x raw',
        met: ratio <= 1.5 && ok(r) && (!everyParcel || r.mean <= everyParcel.mean * 1.2),
      });
      everyParcel ??= r;
    }
  }
}

async function mixed(api: Started, analyst: string): Promise<void> {
  const q = (query: string) => graphql(query, {}, analyst);
  const cases = [
    q('{ faultFigures(by: NEIGHBOURHOOD, filter: { open: true }) { key label count } }'),
    q('{ faultFigures(by: NEIGHBOURHOOD) { label count open resolved medianHoursToResolve } }'),
    q('{ cameras(first: 5, nearest: { x: 392750, y: 4098300, srid: 5257 }) { edges { distanceMeters node { name kind geometry(srid: 5257) } } } }'),
    q('{ assets(first: 50) { totalCount edges { node { id inventoryNo type state neighbourhood { name } } } } }'),
    q('{ neighbourhoods(first: 5) { edges { node { name counts { cameras networkLines remoteUnits parcels assets } } } } }'),
    q('{ cameras(spatial: { withinDistance: { geometry: { type: "Point", coordinates: [392750, 4098300] }, srid: 5257, meters: 250 } }) { totalCount edges { node { name } } } }'),
    q('{ networkLines(filter: { medium: [FIBER], status: [ACTIVE] }, spatial: { inNeighbourhood: "13" }) { totalCount edges { node { id name geometry } } } }'),
    q('{ parcelAt(x: 392496, y: 4098468, srid: 5257) { mahalle ada parsel nitelik neighbourhood { name } } }'),
    q('{ faults(first: 20, orderBy: PRIORITY_AND_AGE) { totalCount edges { node { id state priority asset { inventoryNo } neighbourhood { name } } } } }'),
    q('{ assetCounts(by: NEIGHBOURHOOD) { key count } }'),
  ];
  await check(api.base, cases);
  await load(api.base, cases, 8, 5);
  const { result: r, peakMb } = await withPeakRss(api.child.pid!, () => load(api.base, cases, 50, MIXED_SECONDS));
  report({ case: `mixed analyst queries (${cases.length} kinds), 50 clients, ${MIXED_SECONDS} s`, ours: fmt(r), baseline: '', ratio: '', target: 'p99 <= 500 ms, 0 errors', met: r.p99 <= 500 && ok(r) });
  report({ case: 'server RSS under the mixed load (peak)', ours: `${peakMb.toFixed(0)} MB`, baseline: '', ratio: '', target: '< 300 MB', met: peakMb < 300 });
}

/**
 * Downloads of the 1M parcels (OGC API f=csv and f=gpkg, in TM39) as the analyst: the time, the
 * size, and the server's peak RSS while it streams them (the features go out a page at a time, so
 * the RSS stays near its idle size however large the layer).
 */
async function exportCases(api: Started, analyst: string): Promise<void> {
  for (const f of ['csv', 'gpkg']) {
    const url = `${api.base}/ogc/collections/parcels/items?f=${f}&crs=EPSG:5257`;
    const idle = rssMb(api.child.pid!);
    const started = Date.now();
    const { result: bytes, peakMb } = await withPeakRss(api.child.pid!, async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${analyst}` } });
      if (res.status !== 200 || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      let n = 0;
      for await (const chunk of res.body) n += (chunk as Uint8Array).byteLength;
      return n;
    });
    const seconds = (Date.now() - started) / 1000;
    report({
      case: `1M parcels as ${f.toUpperCase()} (OGC API download, TM39)`,
      ours: `${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(0)} MB; server RSS ${idle.toFixed(0)} MB idle, ${peakMb.toFixed(0)} MB peak`,
      baseline: '',
      ratio: '',
      target: 'RSS peak < idle + 200 MB',
      met: peakMb < idle + 200,
    });
  }
}

/**
 * One import of `count` parcels, as a GIS analyst runs it: the GeoPackage uploaded for a dry run,
 * then again for the commit (mode upsert, the parcels' natural key), each followed to its end.
 * Reports the time of each, the rows a second, and the server's peak RSS.
 */
async function importParcels(api: Started, token: string, count: number, where: string, target: string, limits?: { seconds: number; mb: number }): Promise<void> {
  const file = path.join(os.tmpdir(), `kbs-bench-parseller-${count}-tm39.gpkg`);
  // South of the bench grid: parcels of their own, none of which exists before the import.
  await parcelsGpkg(URL_, file, count, GRID_ORIGIN.x, GRID_ORIGIN.y - 500);
  const size = fs.statSync(file).size;
  try {
    const fields = { layer: 'parcels', mode: 'upsert' };
    const dry = await runImport(api.base, token, file, { ...fields, dryRun: 'true' });
    const commit = await runImport(api.base, token, file, fields);
    const peakMb = hwmMb(api.child.pid!);
    if (dry.job.counts?.inserted !== count || commit.job.counts?.inserted !== count) {
      throw new Error(`the import of ${count} parcels counted ${JSON.stringify(dry.job.counts)} (dry run), ${JSON.stringify(commit.job.counts)} (commit)`);
    }
    const rate = (s: number) => `${(count / s).toFixed(0)} rows/s`;
    report({
      case: `import of ${count.toLocaleString('en')} parcels, GeoPackage in TM39 (${(size / 1e6).toFixed(0)} MB) over POST /imports, ${where}`,
      ours: `dry run ${dry.seconds.toFixed(1)} s (${rate(dry.seconds)}), commit ${commit.seconds.toFixed(1)} s (${rate(commit.seconds)}); server peak RSS ${peakMb.toFixed(0)} MB`,
      baseline: '',
      ratio: '',
      target,
      met: limits ? commit.seconds <= limits.seconds && peakMb <= limits.mb : undefined,
    });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The import on the server: an API process of its own, so that its peak RSS is the import's. */
async function importCases(knex: ReturnType<typeof createKnex>): Promise<void> {
  await forgetImports(knex);
  const api = await startApi(ROOT, IMPORT_PORT, API_ENV, 'api-import');
  try {
    const token = await login(api.base, IMPORTER.username, IMPORTER.password);
    await importParcels(api, token, IMPORT_PARCELS, 'server', 'commit <= 60 s, server peak RSS <= 500 MB', { seconds: 60, mb: 500 });
  } finally {
    await api.stop();
    await forgetImports(knex);
  }
}

/**
 * The network operations (see bench/lib/network.ts for the data): each case alone, one client, one
 * request after another for NETWORK_SECONDS; the target is on p97.5 (the server) or printed (the
 * embedded database). Every answer is checked first: a case that errs or answers nothing fails.
 */
async function networkCases(base: string, where: 'server' | 'embedded database', ids: { coverageId: number }): Promise<void> {
  const token = await login(base, IMPORTER.username, IMPORTER.password);
  const lines = `${(NODES / 1000).toFixed(0)}k nodes`;
  // The failures: each of the 50 lines whose loss alone cuts off most, in turn (more than the
  // graph keeps what-ifs of, so that each is computed afresh).
  const top = graphql('{ networkSinglePointsOfFailure(first: 50, kind: LINE) { line { id } remoteUnitsCutOff nodesCutOff } }', {}, token);
  const critical = (await (await fetch(`${base}${top.path}`, { method: 'POST', headers: top.headers, body: top.body })).json()) as any;
  const failing: { line: { id: string }; remoteUnitsCutOff: number; nodesCutOff: number }[] = critical.data?.networkSinglePointsOfFailure ?? [];
  if (failing.length < 50) throw new Error(`network bench: too few critical lines (${JSON.stringify(critical).slice(0, 300)})`);
  const impactQuery = (id: string) => `{ networkImpact(lineIds: ["${id}"], current: true) { remoteUnits { id } nodes { id } lines { id } cameras { id } } }`;
  const cases: { name: string; query: string; more?: string[]; target: number; check: (data: any) => string | null }[] = [
    {
      name: `impact of one failure (${lines}; each of the 50 most critical lines in turn, the first cutting off ${failing[0].remoteUnitsCutOff} units and ${failing[0].nodesCutOff} nodes)`,
      query: impactQuery(failing[0].line.id),
      more: failing.slice(1).map((f) => impactQuery(f.line.id)),
      target: 200,
      check: (d) => (d.networkImpact.nodes.length > 0 ? null : 'cut off no node'),
    },
    {
      name: `all single points of failure (${lines}; the first 1,000 listed)`,
      query: '{ networkSinglePointsOfFailure(first: 1000) { kind remoteUnitsCutOff nodesCutOff node { id } line { id } } }',
      target: 2000,
      check: (d) => (d.networkSinglePointsOfFailure.length === 1000 ? null : `listed ${d.networkSinglePointsOfFailure.length}`),
    },
    {
      name: `coverage of a neighbourhood with ${COVERAGE_CAMERAS.toLocaleString('en')} cameras`,
      query: `{ cameraCoverage(neighbourhoodId: "${ids.coverageId}", includeInactive: true) { areaSquareMeters coveredSquareMeters fraction covered uncovered cameras { id } } }`,
      target: 500,
      // The hull's corner cameras looking outwards touch it only at a point: a few fewer contribute.
      check: (d) => (d.cameraCoverage.cameras.length >= 0.98 * COVERAGE_CAMERAS ? null : `${d.cameraCoverage.cameras.length} cameras`),
    },
    {
      name: `fault queue by impact, ${FAULTS} open faults with their impact`,
      query: `{ faults(first: ${FAULTS}, orderBy: IMPACT, filter: { open: true }) { totalCount edges { node { id priority reportedAt impact { remoteUnits { id } nodes { id } cameras { id } } } } } }`,
      target: 1000,
      check: (d) => (d.faults.edges.length >= FAULTS && d.faults.edges.some((e: any) => e.node.impact?.remoteUnits.length) ? null : `${d.faults.edges.length} faults, none cutting a unit off`),
    },
  ];
  for (const c of cases) {
    const http = graphql(c.query, {}, token);
    const res = await fetch(`${base}${http.path}`, { method: 'POST', headers: http.headers, body: http.body });
    const body = (await res.json()) as { data?: unknown; errors?: unknown };
    const wrong = body.data ? c.check(body.data) : JSON.stringify(body.errors).slice(0, 300);
    if (wrong) throw new Error(`network bench, ${c.name}: ${wrong}`);
    const r = await load(base, [http, ...(c.more ?? []).map((q) => graphql(q, {}, token))], 1, NETWORK_SECONDS);
    report({
      case: `network: ${c.name}, ${where}`,
      ours: `mean ${r.mean.toFixed(0)} ms, p50 ${r.p50} ms, p97.5 ${r.p975} ms (${r.requests} requests${r.errors ? `, ${r.errors} ERRORS` : ''})`,
      baseline: '',
      ratio: '',
      target: where === 'server' ? `p97.5 <= ${c.target} ms` : 'printed',
      met: where === 'server' ? ok(r) && r.p975 <= c.target : undefined,
    });
  }
}

/** The network bench on the server: the data loaded beside the rest, an API process of its own, the data removed after. */
async function networkServer(knex: ReturnType<typeof createKnex>): Promise<void> {
  const ids = await loadNetworkBench(knex);
  const api = await startApi(ROOT, NETWORK_PORT, API_ENV, 'api-network');
  try {
    await networkCases(api.base, 'server', ids);
  } finally {
    await api.stop();
    await forgetNetworkBench(knex);
  }
}

/** The same on an embedded database of its own: loaded through its own connection, then served by `npm start`. */
async function networkEmbedded(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbs-bench-network-'));
  try {
    const dataDir = path.join(dir, 'pglite');
    const db = await startEmbeddedDatabase({ dataDir });
    const knex = createKnex(db.url, { poolMax: 1 });
    let ids: { coverageId: number };
    try {
      await migrateLatest(knex);
      await seedSampleData(knex);
      ids = await loadNetworkBench(knex);
    } finally {
      await knex.destroy();
      await db.close();
    }
    const api = await startApi(ROOT, NETWORK_PORT + 1, { DATABASE_URL: '', KBS_DATA_DIR: dataDir, KBS_ANONYMOUS_RATE_LIMIT: '0', LOG_LEVEL: 'warn' }, 'embedded-network', 300);
    try {
      await networkCases(api.base, 'embedded database', ids);
    } finally {
      await api.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function embedded(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbs-bench-embedded-'));
  const t0 = Date.now();
  const api = await startApi(ROOT, API_PORT + 1, { DATABASE_URL: '', KBS_DATA_DIR: path.join(dir, 'pglite'), KBS_ANONYMOUS_RATE_LIMIT: '0' }, 'embedded', 300);
  const first = (Date.now() - t0) / 1000;
  try {
    const token = await login(api.base, 'zeynep.arslan', 'nizip-ornek-2026');
    const cases = [
      graphql('{ cameras(first: 50) { edges { node { id name geometry } } } }', {}, token),
      graphql('{ faultFigures(by: NEIGHBOURHOOD) { label count open } }', {}, token),
      graphql('{ parcels(first: 100) { totalCount edges { node { id geometry } } } }', {}, token),
    ];
    await check(api.base, cases);
    const r = await load(api.base, cases, 4, 10);
    report({ case: 'embedded database: first start (migrate + sample data) to ready', ours: `${first.toFixed(1)} s`, baseline: '', ratio: '', target: '< 30 s', met: first < 30 });
    report({ case: 'embedded database: steady RSS after 10 s of queries', ours: `${rssMb(api.child.pid!).toFixed(0)} MB (${fmt(r)})`, baseline: '', ratio: '', target: 'printed', met: undefined });
    if (ONLY.has('import')) {
      await importParcels(api, await login(api.base, IMPORTER.username, IMPORTER.password), EMBEDDED_IMPORT_PARCELS, 'embedded database', 'printed');
    }
  } finally {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`[bench] ${os.cpus().length} cores, node ${process.version}; database ${URL_.replace(/:[^:@/]*@/, ':***@')}; ${SECONDS} s per case, ${CONN} clients`);
  const knex = createKnex(URL_, { poolMax: 2 });
  let api: Started | undefined;
  let peer: Started | undefined;
  try {
    try {
      await knex.raw('SELECT 1');
    } catch (err) {
      throw new Error(`cannot reach ${URL_} (${(err as Error).message}); scripts/setup-postgis.sh creates kbs_bench, or set BENCH_DATABASE_URL`);
    }
    if (['cameras', 'fixed', 'parcels', 'mixed', 'export', 'import', 'network', 'history', 'live'].some((g) => ONLY.has(g))) {
      // The million parcels only for the groups that read them (a first load takes minutes).
      await prepareDatabase(knex, { parcels: ['parcels', 'mixed', 'export'].some((g) => ONLY.has(g)) });
      await knex.raw(fs.readFileSync(path.join(ROOT, 'bench/peer/pgl.sql'), 'utf8'));
      const areaUser = await ensureAreaReader(knex);
      api = await startApi(ROOT, API_PORT, API_ENV);
      if (ONLY.has('cameras') && process.env.BENCH_PEER !== '0') peer = await startPeer(ROOT, URL_, PEER_PORT);
      const analyst = await login(api.base, 'zeynep.arslan', 'nizip-ornek-2026');
      const area = await login(api.base, areaUser, BENCH_PASSWORD);
      if (ONLY.has('cameras')) await camerasCases(api, peer);
      await peer?.stop();
      peer = undefined;
      if (ONLY.has('fixed')) await fixedCost(api, analyst);
      if (ONLY.has('parcels')) await parcelsCases(api, knex, analyst, area);
      if (ONLY.has('mixed')) await mixed(api, analyst);
      if (ONLY.has('export')) await exportCases(api, analyst);
      if (ONLY.has('history')) await historyCases(api, knex);
      if (ONLY.has('live')) await liveCases(api, knex);
      await api.stop();
      api = undefined;
      if (ONLY.has('import')) await importCases(knex);
      if (ONLY.has('network')) await networkServer(knex);
    }
    if (ONLY.has('embedded')) await embedded();
    if (ONLY.has('network') && ONLY.has('embedded')) await networkEmbedded();
  } finally {
    await peer?.stop();
    await api?.stop();
    await knex.destroy();
  }
  console.log('\n| case | this API | baseline | ratio | target | met |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.case} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '-' : r.met ? 'met' : '**not met**'} |`);
  const missed = rows.filter((r) => r.met === false).length;
  console.log(`\n[bench] ${rows.length - missed} of ${rows.length} rows met or informational; ${missed} target(s) not met`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
