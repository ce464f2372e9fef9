/**
 * `npm run bench:attack`: 50 clients for 60 s against the API as `npm start` runs it, ordinary
 * analyst queries mixed with the attacks of issue 11 (deep and wide queries, alias floods, huge
 * polygons, wrong passwords, bad values, malformed requests). It passes when the server stays up,
 * every attack is refused with a clear 4xx code (never a 5xx or INTERNAL_SERVER_ERROR), and every
 * ordinary query is answered without error. Prints the counts per kind and the latency.
 *
 * Database: BENCH_DATABASE_URL (default the bench database, see bench/run.ts); ATTACK_SECONDS,
 * ATTACK_CONNECTIONS change the load.
 */
import 'reflect-metadata';
import path from 'node:path';
import autocannon from 'autocannon';
import { createKnex } from '../src/db/knex';
import { prepareDatabase } from './lib/data';
import { graphql, rssMb, type HttpCase } from './lib/load';
import { startApi } from './lib/processes';

const ROOT = path.resolve(__dirname, '../..');
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://kbs:kbs@127.0.0.1:5432/kbs_bench';
const SECONDS = Number(process.env.ATTACK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.ATTACK_CONNECTIONS ?? 50);

interface Kind {
  name: string;
  attack: boolean;
  request: HttpCase;
}

function deepQuery(depth: number): string {
  let q = '{ name }';
  for (let i = 0; i < depth; i++) q = i % 2 ? `{ neighbourhood ${q} }` : `{ cameras(first: 50) { edges { node ${q} } } }`;
  return `{ neighbourhoods(first: 50) { edges { node ${q} } } }`;
}

function bigPolygon(vertices: number): object {
  const ring: [number, number][] = [];
  for (let i = 0; i < vertices; i++) {
    const a = (2 * Math.PI * i) / vertices;
    ring.push([37.79 + 0.01 * Math.cos(a), 37.01 + 0.01 * Math.sin(a)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

function kinds(token: string): Kind[] {
  const q = (name: string, query: string, variables: object = {}): Kind => ({ name, attack: false, request: graphql(query, variables, token) });
  const a = (name: string, request: HttpCase): Kind => ({ name, attack: true, request });
  const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
  return [
    q('fault figures', '{ faultFigures(by: NEIGHBOURHOOD) { label count open resolved medianHoursToResolve } }'),
    q('nearest cameras in TM39', '{ cameras(first: 5, nearest: { x: 392750, y: 4098300, srid: 5257 }) { edges { distanceMeters node { name kind geometry(srid: 5257) } } } }'),
    q('assets with neighbourhood', '{ assets(first: 50) { totalCount edges { node { id inventoryNo state neighbourhood { name } } } } }'),
    q('cameras within 250 m', '{ cameras(spatial: { withinDistance: { geometry: { type: "Point", coordinates: [392750, 4098300] }, srid: 5257, meters: 250 } }) { totalCount } }'),
    q('open-fault queue', '{ faults(first: 20, orderBy: PRIORITY_AND_AGE) { totalCount edges { node { id state priority } } } }'),
    q('neighbourhood counts', '{ neighbourhoods(first: 5) { edges { node { name counts { cameras parcels assets } } } } }'),
    a('selection 21 levels deep', graphql(deepQuery(21), {}, token)),
    a('1,000 aliases of parcels(first: 1000), anonymous', graphql(aliases(1000, 'parcels(first: 1000) { edges { node { id geometry } } }'))),
    a('100,000 aliases of totalCount', graphql(aliases(100_000, 'cameras { totalCount }'), {}, token)),
    a('60,000-vertex polygon', graphql('query($g: GeoJSON!) { cameras(spatial: { intersects: { geometry: $g } }) { totalCount } }', { g: bigPolygon(60_000) }, token)),
    a('wrong password', graphql('mutation { login(username: "ayse.demir", password: "yanlis-parola") { accessToken } }')),
    a('NUL byte in a search', graphql('{ cameras(filter: { search: "a\\u0000b" }) { totalCount } }', {}, token)),
    a('impossible date', graphql('{ assets(filter: { warrantyEndsBefore: "2026-02-30" }) { totalCount } }', {}, token)),
    a('polygon with an antipodal edge in withinDistance', graphql('{ cameras(spatial: { withinDistance: { geometry: { type: "Polygon", coordinates: [[[0,0],[180,0],[180,1],[0,0]]] }, meters: 10 } }) { totalCount } }', {}, token)),
    a('olderThanDays: 2147483647', graphql('{ faults(filter: { olderThanDays: 2147483647 }) { totalCount } }', {}, token)),
    a('selection 5,000 levels deep', graphql(`{ ${'cameras { edges { node { neighbourhood '.repeat(1250)}${'} } } }'.repeat(1250)} }`, {}, token)),
    a('JWT with sub "abc"', { method: 'POST', path: '/graphql', body: '{"query":"{ __typename }"}', headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMifQ.x' } }),
    a('tile path with a bare %', { path: '/tiles/cameras/%/0/0.mvt' }),
    a('body that is not JSON', { method: 'POST', path: '/graphql', body: '{"query":', headers: { 'content-type': 'application/json' } }),
    a('subscription', graphql('subscription { x }', {}, token)),
  ];
}

async function main(): Promise<void> {
  const knex = createKnex(URL_, { poolMax: 2 });
  await prepareDatabase(knex);
  await knex.destroy();
  const api = await startApi(ROOT, 4891, { DATABASE_URL: URL_, KBS_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', LOG_LEVEL: 'warn' }, 'attack');
  try {
    const login = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(username: "zeynep.arslan", password: "nizip-ornek-2026") { accessToken } }' }),
    });
    const token = ((await login.json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;
    const all = kinds(token);
    const seen = all.map(() => ({ count: 0, statuses: new Map<string, number>(), failures: 0, sample: '' }));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, rssMb(api.child.pid!))), 500);
    const result = await autocannon({
      url: api.base,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 30,
      requests: all.map((k, i) => ({
        method: k.request.method ?? 'GET',
        path: k.request.path,
        body: k.request.body,
        headers: k.request.headers,
        onResponse: (status: number, body: string) => {
          const s = seen[i];
          s.count++;
          const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? '';
          const key = `${status}${code ? ` ${code}` : ''}`;
          s.statuses.set(key, (s.statuses.get(key) ?? 0) + 1);
          const bad = k.attack ? status >= 500 || code === 'INTERNAL_SERVER_ERROR' || (status === 200 && !body.includes('"errors"')) : status !== 200 || body.includes('"errors"');
          if (bad) {
            s.failures++;
            s.sample ||= `${status} ${body.slice(0, 200)}`;
          }
        },
      })),
    });
    clearInterval(timer);
    const health = await fetch(`${api.base}/health`).then((r) => r.status, () => 0);
    console.log(`\n[attack] ${CONNECTIONS} clients, ${SECONDS} s: ${result.requests.total} requests, ${result.errors} connection errors, ${result.timeouts} timeouts; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; server RSS peak ${peak.toFixed(0)} MB; /health after: ${health}`);
    console.log('| kind | attack | answers | statuses and codes | failures |\n|---|---|---|---|---|');
    for (const [i, k] of all.entries()) {
      const s = seen[i];
      console.log(`| ${k.name} | ${k.attack ? 'yes' : 'no'} | ${s.count} | ${[...s.statuses].map(([c, n]) => `${c}: ${n}`).join(', ')} | ${s.failures}${s.sample ? ` (${s.sample})` : ''} |`);
    }
    const failures = seen.reduce((n, s) => n + s.failures, 0);
    const ordinary = all.map((k, i) => (k.attack ? 0 : seen[i].count)).reduce((x, y) => x + y, 0);
    const ok = failures === 0 && health === 200 && result.errors === 0 && ordinary > 0;
    console.log(`[attack] ${ok ? 'passed' : 'FAILED'}: ${ordinary} ordinary queries answered, ${failures} wrong answers, server ${health === 200 ? 'up' : 'DOWN'}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await api.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
