import type { Knex } from 'knex';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { hashPassword } from '../../src/common/auth/password';
import { BENCH_PASSWORD } from './data';

/** The bench cameras' extent (see prepareDatabase), cut into AREAS_X x AREAS_Y areas of a reader each. */
const EXTENT = { minx: 37.7, miny: 36.93, maxx: 37.9, maxy: 37.09 };
const AREAS_X = 10;
const AREAS_Y = 9;

export interface LiveBenchOptions {
  subscribers: number;
  /** Subscribers not limited to an area: half anonymous (the public cameras only: none of the bench's), half the administrator (every one). */
  seeingAll: number;
  editEveryMs: number;
  seconds: number;
  /** Seconds of edits at the same rate before the measured ones. */
  warmUpSeconds: number;
}

export interface LiveBenchResult {
  subscribers: number;
  edits: number;
  delivered: number;
  expected: number;
  lost: number;
  wrong: number;
  p50: number;
  p95: number;
  max: number;
}

type Box = [number, number, number, number];

/** The area readers: one a cell of the grid, each reading the cameras in its cell only; created once. */
async function ensureAreaReaders(knex: Knex): Promise<{ username: string; box: Box }[]> {
  const readers: { username: string; box: Box }[] = [];
  const w = (EXTENT.maxx - EXTENT.minx) / AREAS_X;
  const h = (EXTENT.maxy - EXTENT.miny) / AREAS_Y;
  const unit = await knex('org_units').orderBy('id').first('id');
  const hash = await hashPassword(BENCH_PASSWORD);
  for (let i = 0; i < AREAS_X; i++) {
    for (let j = 0; j < AREAS_Y; j++) {
      const box: Box = [EXTENT.minx + i * w, EXTENT.miny + j * h, EXTENT.minx + (i + 1) * w, EXTENT.miny + (j + 1) * h];
      const username = `bench.live.${i}.${j}`;
      readers.push({ username, box });
      if (await knex('users').where({ username }).first()) continue;
      const [role] = await knex('roles').insert({ code: `bench-live-${i}-${j}`, name: `Bench: cameras of area ${i},${j}` }).returning('id');
      await knex('role_grants').insert({ role_id: role.id, resource: 'CAMERAS', action: 'READ', area_geom: knex.raw('ST_Multi(ST_MakeEnvelope(?, ?, ?, ?, 4326))', box) });
      const [user] = await knex('users').insert({ org_unit_id: unit.id, username, full_name: `Bench live ${i},${j}`, password_hash: hash, active: true }).returning('id');
      await knex('user_roles').insert({ user_id: user.id, role_id: role.id });
    }
  }
  return readers;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/**
 * `subscribers` WebSocket clients subscribed to the cameras' changes (administrators, anonymous,
 * the rest area readers, spread over 90 areas), while one camera moves every `editEveryMs` for
 * `seconds`: the delay from sending each edit to each delivery, and, from the history afterwards
 * (PostGIS saying which areas each old and new position lies in), the deliveries expected: none may
 * be missing, none may reach a subscriber who may not see it.
 */
export async function liveBench(base: string, knex: Knex, login: (username: string, password: string) => Promise<string>, admin: { username: string; password: string }, o: LiveBenchOptions): Promise<LiveBenchResult> {
  const readers = await ensureAreaReaders(knex);
  const tokens = new Map<string, string>();
  for (const r of readers) tokens.set(r.username, await login(r.username, BENCH_PASSWORD));
  const adminToken = await login(admin.username, admin.password);
  // Cameras of their own, not public (every account reads the public ones through the public role):
  // 10,000 over the extent, removed again after, with their history.
  await knex.raw(`DELETE FROM cameras WHERE code LIKE 'L-%'`);
  await knex.raw(`DELETE FROM cameras_history WHERE code LIKE 'L-%'`);
  await knex.raw(
    `INSERT INTO cameras (code, name, kind, purpose, status, azimuth, horizontal_fov, range_m, is_public, geom)
     SELECT 'L-' || i, 'Live bench camera ' || i, 'FIXED', 'SECURITY', 'ACTIVE', i % 360, 60, 50, false,
            ST_SetSRID(ST_MakePoint(? + random() * ?, ? + random() * ?), 4326)
       FROM generate_series(1, 10000) AS i`,
    [EXTENT.minx, EXTENT.maxx - EXTENT.minx, EXTENT.miny, EXTENT.maxy - EXTENT.miny],
  );
  await knex.raw('ANALYZE cameras, cameras_history');
  const ids = (await knex('cameras').where('code', 'like', 'L-%').pluck('id')) as number[];

  // Anonymous subscribers see none of these cameras (not public); the administrator every one.
  type Sub = { who: 'all' | 'none' | Box; received: Map<string, number> };
  const subs: Sub[] = [];
  const clients: Client[] = [];
  const url = base.replace(/^http/, 'ws') + '/graphql';
  const query = 'subscription { layerChanges(layers: [CAMERAS], zoom: 16) { kind id version tiles { x y } } }';
  let acks = 0;
  for (let k = 0; k < o.subscribers; k++) {
    const all = k < o.seeingAll;
    const reader = readers[(k - o.seeingAll) % readers.length];
    const token = all ? (k % 2 ? adminToken : null) : tokens.get(reader.username)!;
    const sub: Sub = { who: all ? (token ? 'all' : 'none') : reader.box, received: new Map() };
    subs.push(sub);
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      lazy: false,
      retryAttempts: 0,
      on: { connected: () => acks++ },
    });
    clients.push(client);
    client.subscribe(
      { query },
      {
        next: (v) => {
          const e = (v.data as { layerChanges: { kind: string; id: string; version: number } } | undefined)?.layerChanges;
          if (e && e.kind !== 'RESYNC') sub.received.set(`${e.id}:${e.version}`, performance.now());
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  for (let i = 0; i < 600 && acks < o.subscribers; i++) await sleep(50);
  await sleep(1000);

  let edits: { id: number; version: number; sent: number }[] = [];
  const pending: Promise<void>[] = [];
  const edit = async () => {
    const id = ids[Math.floor(Math.random() * ids.length)];
    const lon = EXTENT.minx + Math.random() * (EXTENT.maxx - EXTENT.minx);
    const lat = EXTENT.miny + Math.random() * (EXTENT.maxy - EXTENT.miny);
    const sent = performance.now();
    const { rows } = await knex.raw('UPDATE cameras SET geom = ST_SetSRID(ST_MakePoint(?, ?), 4326), version = version + 1, updated_at = now() WHERE id = ? RETURNING version', [lon, lat, id]);
    edits.push({ id, version: rows[0].version, sent });
  };
  const editFor = async (seconds: number) => {
    const end = performance.now() + seconds * 1000;
    for (let next = performance.now(); next < end; next += o.editEveryMs) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(edit());
    }
    await Promise.all(pending);
  };
  // A warm-up at the same rate, as the other cases have (V8 optimises the hot paths), not counted.
  await editFor(o.warmUpSeconds);
  await sleep(2000);
  edits = [];
  for (const s of subs) s.received.clear();
  await editFor(o.seconds);
  await sleep(3000);
  for (const c of clients) await c.dispose();

  // Who may see each edit: every subscriber that sees all, and the area readers whose area holds the
  // camera's position before or after it (PostGIS, from the history).
  const { rows: places } = await knex.raw(
    `SELECT e.id, e.version, b.i AS area
       FROM unnest(?::int[], ?::int[]) AS e(id, version)
       JOIN cameras_history h ON h.id = e.id AND h.version IN (e.version, e.version - 1)
       JOIN unnest(?::float8[], ?::float8[], ?::float8[], ?::float8[]) WITH ORDINALITY AS b(minx, miny, maxx, maxy, i)
         ON ST_Intersects(h.geom, ST_MakeEnvelope(b.minx, b.miny, b.maxx, b.maxy, 4326))`,
    [edits.map((e) => e.id), edits.map((e) => e.version), readers.map((r) => r.box[0]), readers.map((r) => r.box[1]), readers.map((r) => r.box[2]), readers.map((r) => r.box[3])],
  );
  const seenBy = new Map<string, Set<number>>();
  for (const p of places as { id: number; version: number; area: string }[]) {
    const key = `${p.id}:${p.version}`;
    if (!seenBy.has(key)) seenBy.set(key, new Set());
    seenBy.get(key)!.add(Number(p.area) - 1);
  }
  const sent = new Map(edits.map((e) => [`${e.id}:${e.version}`, e.sent]));
  const delays: number[] = [];
  let expected = 0;
  let lost = 0;
  let wrong = 0;
  subs.forEach((s, k) => {
    const area = s.who === 'all' || s.who === 'none' ? -1 : (k - o.seeingAll) % readers.length;
    for (const e of edits) {
      const key = `${e.id}:${e.version}`;
      const may = s.who === 'all' || (s.who !== 'none' && seenBy.get(key)?.has(area) === true);
      const got = s.received.get(key);
      if (may) expected++;
      if (may && got === undefined) lost++;
      if (!may && got !== undefined) wrong++;
      if (got !== undefined) delays.push(got - e.sent);
    }
    for (const key of s.received.keys()) if (!sent.has(key)) wrong++;
  });
  delays.sort((a, b) => a - b);
  await knex.raw(`DELETE FROM cameras WHERE code LIKE 'L-%'`);
  await knex.raw(`DELETE FROM cameras_history WHERE code LIKE 'L-%'`);
  return {
    subscribers: o.subscribers,
    edits: edits.length,
    delivered: delays.length,
    expected,
    lost,
    wrong,
    p50: Math.round(percentile(delays, 50)),
    p95: Math.round(percentile(delays, 95)),
    max: Math.round(delays[delays.length - 1] ?? NaN),
  };
}
