/**
 * `npm run bench`: loads 100,000 cameras into a scratch schema and measures, for
 *   (a) a page of 1,000 cameras with geometry inside a bbox, and
 *   (b) the 5 cameras nearest to a point, with distances,
 * the median time through the API over HTTP, the median time of the very SQL the API sent, run
 * directly with pg, and their ratio; then prints the plan of (b) to show the KNN index scan.
 *
 * Database: BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL (the first that is set), else the
 * embedded database. The scratch schema is dropped at the end. BENCH_ITERATIONS changes the count.
 */
import 'reflect-metadata';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createKnex } from '../src/db/knex';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { migrateLatest } from '../src/db/migrate';
import { GeoService } from '../src/geo/geo.service';
import { silentLogger } from '../src/logger';
import { createServer } from '../src/server';
import { createContext } from '../src/context';
import { authService } from '../src/modules/users';
import { loadConfig } from '../src/config';

const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 100_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);
// V8 optimises the server's hot paths only after thousands of requests (the round trip of an empty
// query falls from 0.7 ms to 0.3 ms): warm each case up for this long, then time the steady state.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 8);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
  while (Date.now() < warmUntil) await fn();
  const out: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

async function main(): Promise<void> {
  let url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const embedded = url ? undefined : await startEmbeddedDatabase({ log: (m) => console.log(`[bench] ${m}`) });
  url ??= embedded!.url;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  console.log(`[bench] database: ${embedded ? 'embedded PGlite + PostGIS (in memory)' : 'PostgreSQL server'}, scratch schema ${schema}`);

  const admin = createKnex(url, { poolMax: 1 });
  await admin.raw('CREATE SCHEMA ??', [schema]);
  await admin.destroy();
  const knex = createKnex(url, { searchPath: [schema, 'public'], poolMax: embedded ? 1 : 4 });
  const direct = new pg.Client({ connectionString: url });
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    await migrateLatest(knex);
    const t0 = Date.now();
    // Deterministic pseudo-random positions over Nizip and its surroundings (about 17 x 18 km).
    await knex.raw('SELECT setseed(0.42)');
    await knex.raw(
      `INSERT INTO cameras (code, name, kind, purpose, status, azimuth, horizontal_fov, range_m, mount_height_m,
                            recorder, recorder_channel, stream_url, is_public, geom)
       SELECT 'B-' || i, 'Bench camera ' || i,
              (ARRAY['FIXED','PTZ','DOME','BULLET'])[1 + i % 4], 'SECURITY',
              (ARRAY['ACTIVE','ACTIVE','ACTIVE','OFFLINE'])[1 + i % 4],
              i % 360, 60, 50, 6, 'NVR-' || (i % 8), i % 32, 'rtsp://10.0.0.1/' || i, true,
              ST_SetSRID(ST_MakePoint(37.70 + random() * 0.20, 36.93 + random() * 0.16), 4326)
       FROM generate_series(1, ?) AS i`,
      [CAMERAS],
    );
    // The cases run as anonymous requests: the public role reads the (public) cameras, so every
    // request pays for loading its access and carries the public-row condition, as in production.
    await knex('role_grants').insert({ role_id: knex('roles').select('id').where({ code: 'public' }), resource: 'CAMERAS', action: 'READ' });
    // Vacuum now so that autovacuum does not wake up on the new rows while the timings run.
    await knex.raw('VACUUM ANALYZE cameras');
    console.log(`[bench] loaded ${CAMERAS} cameras in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const geo = new GeoService();
    const services = { db: knex, geo, auth: loadConfig().auth };
    // Thousands of anonymous requests a minute: the per-address rate limit would refuse them.
    server = await createServer(services, silentLogger, { limits: { anonymousRequests: 0 } });
    const port = await server.listen(0, '127.0.0.1');
    await direct.connect();
    await direct.query(`SET search_path TO ${schema}, public`);

    // Remember the SQL the API sends, to run exactly that directly.
    let capture: { sql: string; bindings: unknown[] }[] | undefined;
    knex.on('query', (q: { sql: string; bindings?: unknown[] }) => capture?.push({ sql: q.sql, bindings: q.bindings ?? [] }));

    // Node's own HTTP client with keep-alive, as a service calling the API would use it; the JSON
    // response is parsed, so the client's work is counted too.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const gql = (query: string, variables: object) =>
      new Promise<any>((resolve, reject) => {
        const body = JSON.stringify({ query, variables });
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { errors?: unknown; data?: any };
              if (parsed.errors) reject(new Error(JSON.stringify(parsed.errors)));
              else resolve(parsed.data);
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    const cases = [
      {
        name: '(a) page of 1,000 cameras with geometry in a bbox',
        query: `query($b: BBoxInput!) { cameras(first: 1000, spatial: { bbox: $b }) {
          edges { cursor node { id code name kind status azimuth geometry } } pageInfo { hasNextPage endCursor } } }`,
        variables: { b: { minx: 37.76, miny: 36.98, maxx: 37.83, maxy: 37.04 } },
        check: (d: any) => d.cameras.edges.length === 1000,
      },
      {
        name: '(b) 5 cameras nearest to a point',
        query: `query($p: NearestInput!) { cameras(first: 5, nearest: $p) {
          edges { distanceMeters node { id code name kind status geometry } } } }`,
        variables: { p: { x: 37.795, y: 37.01 } },
        check: (d: any) => d.cameras.edges.length === 5,
      },
    ];

    // Where the time goes: the HTTP + Apollo floor (a query that touches nothing), and the same
    // operations run in-process (no HTTP), beside the API and SQL figures.
    const inProcess = (query: string, variables: object) => async () => {
      const access = await authService.authenticate(knex, services.auth, undefined);
      const res = await server!.apollo.executeOperation({ query, variables }, { contextValue: createContext(services, undefined, access) });
      if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
    };

    const floor = median(await time(() => gql('{ __typename }', {})));
    const results: { name: string; api: number; sql: number; ratio: number; statements: number; inproc: number }[] = [];
    for (const c of cases) {
      await gql(c.query, c.variables); // warms the SRID cache
      capture = [];
      const data = await gql(c.query, c.variables);
      const statements = capture;
      capture = undefined;
      if (!c.check(data)) throw new Error(`${c.name}: unexpected result`);
      const api = median(await time(() => gql(c.query, c.variables)));
      const sql = median(
        await time(async () => {
          for (const s of statements) await direct.query(toPg(s.sql), s.bindings);
        }),
      );
      const inproc = median(await time(inProcess(c.query, c.variables)));
      results.push({ name: c.name, api, sql, ratio: api / sql, statements: statements.length, inproc });
      if (c.name.startsWith('(b)')) {
        // The cameras statement, not the request's access statement that precedes it.
        const knn = statements.find((s) => /from "cameras"/i.test(s.sql)) ?? statements[statements.length - 1];
        const plan = await direct.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${toPg(knn.sql)}`, knn.bindings);
        console.log(`\n[bench] plan of (b):\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
        const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        console.log(`[bench] (b) uses the GiST index for KNN ordering: ${/Index Scan using cameras_geog_gist/.test(text) && /Order By/.test(text) ? 'yes' : 'NO'}`);
      }
    }

    console.log(`\n[bench] ${CAMERAS} cameras, ${ITERATIONS} timed runs each after ${WARMUP_SECONDS} s of warm-up, medians:`);
    console.log('  case                                                 API/HTTP    SQL/pg    ratio  statements  in-process');
    for (const r of results) {
      console.log(
        `  ${r.name.padEnd(52)} ${r.api.toFixed(2).padStart(7)} ms ${r.sql.toFixed(2).padStart(7)} ms ${r.ratio.toFixed(2).padStart(6)}  ${String(r.statements).padStart(10)}  ${r.inproc.toFixed(2).padStart(7)} ms`,
      );
    }
    console.log(`  HTTP + Apollo floor ({ __typename }, no SQL)         ${floor.toFixed(2).padStart(7)} ms`);
    console.log(`[bench] target: ratio <= 2 for (a) and (b); rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  } finally {
    await direct.end().catch(() => undefined);
    await server?.stop();
    await knex.raw('DROP SCHEMA ?? CASCADE', [schema]);
    await knex.destroy();
    await embedded?.close();
  }
}

/** knex writes ? placeholders in the query event for pg as $n already; keep it as is. */
function toPg(sql: string): string {
  return sql;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
