import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { createKnex } from '../src/db/knex';
import { createServer, type KbsServer } from '../src/server';
import { GeoService } from '../src/geo/geo.service';
import { silentLogger } from '../src/logger';
import { Action, Resource } from '../src/common/auth/resources';
import { insertUserWithGrants } from './helpers/access';
import { embedded, startTestApp, TEST_AUTH, type TestApp } from './helpers/app';

/**
 * Live updates over WebSocket (graphql-ws): layer changes and fault steps pushed as they commit,
 * filtered per subscriber by the same grants as a read, from any server on the database; re-checked
 * when grants change; RESYNC after a gap; the query limits, subscription limits and the heartbeat.
 */
let app: TestApp;
const clients: Client[] = [];

beforeAll(async () => {
  app = await startTestApp({ seed: true, server: { limits: { subscriptionsPerConnection: 3, subscriptionKeepAliveMs: 1000 } } });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await app.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A graphql-ws client of `url` as `token` (null: anonymous), with what the server closed it with. */
function connect(token: string | null, url = app.url): Client & { closed: Promise<{ code: number; reason: string }> } {
  let closed!: (e: { code: number; reason: string }) => void;
  const whenClosed = new Promise<{ code: number; reason: string }>((r) => (closed = r));
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (e) => closed({ code: (e as { code: number }).code, reason: (e as { reason: string }).reason }) },
  });
  clients.push(client);
  return Object.assign(client, { closed: whenClosed });
}

/** Subscribes and collects: the events, the errors, and a wait for events that match. */
function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: any[] = [];
  const errors: any[] = [];
  let done = false;
  const stop = client.subscribe({ query, variables }, {
    next: (v) => (v.errors ? errors.push(...v.errors) : events.push(v.data)),
    error: (e) => errors.push(...(Array.isArray(e) ? e : [e])),
    complete: () => (done = true),
  });
  return {
    events,
    errors,
    stop,
    get done() {
      return done;
    },
    async until(check: (events: any[]) => boolean, ms = 5000): Promise<boolean> {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (check(events) || errors.length) return check(events);
        await sleep(20);
      }
      return false;
    },
  };
}

/** Subscriptions each server had added when the test began. */
const marks = new Map<KbsServer, number>();
beforeEach(() => marks.set(app.server, app.server.live.feed.added));

/** Waits until the server has added `n` subscriptions since the test began (so none misses the change that follows). */
async function subscribed(server: KbsServer, n: number): Promise<void> {
  const from = marks.get(server) ?? 0;
  for (let i = 0; i < 250 && server.live.feed.added < from + n; i++) await sleep(20);
  expect(server.live.feed.added).toBeGreaterThanOrEqual(from + n);
}

const LAYER = `subscription($layers: [HistoryLayer!], $spatial: SpatialFilter, $zoom: Int, $since: DateTimeISO) {
  layerChanges(layers: $layers, spatial: $spatial, zoom: $zoom, since: $since) { kind layer id version at tiles { z x y } bbox resyncFrom } }`;

const moveCamera = async (id: number, lon: number, lat: number) => {
  const { version } = await app.knex('cameras').where({ id }).first('version');
  const res = await app.gql(`mutation { updateCamera(id: "${id}", version: ${version}, input: { geometry: { type: "Point", coordinates: [${lon}, ${lat}] } }) { version } }`);
  expect(res.errors).toBeUndefined();
  return res.data.updateCamera.version as number;
};

describe('layer changes', () => {
  it('an edit is pushed at once with its version and the tiles it touched, which PostGIS puts around the old and the new place', async () => {
    const client = connect(app.admin.token);
    const sub = subscribe(client, LAYER, { layers: ['CAMERAS'], zoom: 17 });
    await subscribed(app.server, 1);
    const { id } = await app.knex('cameras').orderBy('id').first('id');
    const started = Date.now();
    const version = await moveCamera(id, 37.7905, 37.0105);
    expect(await sub.until((e) => e.length >= 1)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    const event = sub.events[0].layerChanges;
    expect(event).toMatchObject({ kind: 'UPDATED', layer: 'CAMERAS', id: String(id), version, resyncFrom: null });
    // Each tile's envelope (ST_TileEnvelope) holds the old or the new position; together they hold both.
    const history = (await app.gql(`{ history(layer: CAMERAS, id: "${id}") { geometry } }`)).data.history;
    const places = history.slice(-2).map((v: any) => v.geometry.coordinates);
    const { rows } = await app.knex.raw(
      `SELECT p.i, t.i AS tile FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS p(x, y, i)
         JOIN unnest(?::int[], ?::int[], ?::int[]) WITH ORDINALITY AS t(z, x, y, i)
           ON ST_Intersects(ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), 3857), ST_TileEnvelope(t.z, t.x, t.y))`,
      [places.map((p: number[]) => p[0]), places.map((p: number[]) => p[1]), event.tiles.map((t: any) => t.z), event.tiles.map((t: any) => t.x), event.tiles.map((t: any) => t.y)],
    );
    expect(new Set(rows.map((r: any) => Number(r.i)))).toEqual(new Set([1, 2]));
    expect(new Set(rows.map((r: any) => Number(r.tile))).size).toBe(event.tiles.length);
    expect(event.tiles.every((t: any) => t.z === 17)).toBe(true);
    sub.stop();
  });

  it('a burst of writes (read in batches) arrives whole and in order: 30 versions of one camera, each once', async () => {
    const sub = subscribe(connect(app.admin.token), LAYER, { layers: ['CAMERAS'] });
    await subscribed(app.server, 1);
    const { id, version } = await app.knex('cameras').orderBy('id').offset(1).first('id', 'version');
    for (let k = 1; k <= 30; k++) await app.knex('cameras').where({ id }).update({ name: `Seri ${k}`, version: version + k });
    expect(await sub.until((e) => e.length >= 30)).toBe(true);
    await sleep(200);
    expect(sub.events.map((e) => e.layerChanges.version)).toEqual(Array.from({ length: 30 }, (_, k) => version + k + 1));
    sub.stop();
  });

  it('creations and deletions, and a write by an import or by plain SQL in another connection', async () => {
    const client = connect(app.admin.token);
    const sub = subscribe(client, LAYER, { layers: ['NETWORK_NODES', 'PARCELS'] });
    await subscribed(app.server, 1);
    const created = await app.gql(`mutation { createNetworkNode(input: { code: "LIVE-1", name: "Canlı düğüm", kind: CABINET, status: PLANNED, geometry: { type: "Point", coordinates: [37.792, 37.012] } }) { id version } }`);
    expect(created.errors).toBeUndefined();
    const id = created.data.createNetworkNode.id;
    expect((await app.gql(`mutation { deleteNetworkNode(id: "${id}", version: 1) }`)).errors).toBeUndefined();
    const other = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    if (!embedded()) {
      await other.connect();
      await other.query(`SET search_path TO "${app.schema}", public`);
      await other.query(`UPDATE parcels SET nitelik = 'Arsa (canlı)' WHERE id = (SELECT min(id) FROM parcels)`);
      await other.end();
    } else {
      await app.knex.raw(`UPDATE parcels SET nitelik = 'Arsa (canlı)' WHERE id = (SELECT min(id) FROM parcels)`);
    }
    expect(await sub.until((e) => e.length >= 3)).toBe(true);
    expect(sub.events.map((e) => [e.layerChanges.kind, e.layerChanges.layer])).toEqual([
      ['CREATED', 'NETWORK_NODES'],
      ['DELETED', 'NETWORK_NODES'],
      ['UPDATED', 'PARCELS'],
    ]);
    expect(sub.events[1].layerChanges).toMatchObject({ id, version: 1 });
    sub.stop();
  });

  it('an area-limited subscriber gets only its area; a layer it may not read is FORBIDDEN; when its grant moves, the next events follow it', async () => {
    const box: [number, number, number, number] = [37.785, 37.005, 37.795, 37.015];
    const reader = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'live-area', [{ resource: Resource.CAMERAS, action: Action.READ, box }]);
    const client = connect(reader.token);
    const refused = subscribe(client, LAYER, { layers: ['ASSETS'] });
    expect(await refused.until(() => false, 1000)).toBe(false);
    expect(refused.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const sub = subscribe(client, LAYER, { layers: ['CAMERAS'] });
    const everything = subscribe(connect(app.admin.token), LAYER, { layers: ['CAMERAS'] });
    await subscribed(app.server, 2);
    const [inside, outside] = await Promise.all([
      app.knex('cameras').where('is_public', false).whereRaw('geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)', box).orderBy('id').first('id'),
      app.knex('cameras').where('is_public', false).whereRaw('NOT geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)', [37.78, 37.0, 37.8, 37.02]).orderBy('id').first('id'),
    ]);
    await moveCamera(outside.id, 37.75, 36.99);
    await moveCamera(inside.id, 37.79, 37.01);
    expect(await everything.until((e) => e.length >= 2)).toBe(true);
    await sleep(300);
    expect(sub.events.map((e) => Number(e.layerChanges.id))).toEqual([inside.id]);

    // The grant moves to where the other camera is: the next events follow at once.
    const { id: grant } = await app.knex('role_grants').join('user_roles', 'user_roles.role_id', 'role_grants.role_id').where('user_roles.user_id', reader.id).first('role_grants.id');
    await app.knex('role_grants').where({ id: grant }).update({ area_geom: app.knex.raw('ST_Multi(ST_MakeEnvelope(37.74, 36.98, 37.76, 37.0, 4326))') });
    await sleep(300);
    await moveCamera(inside.id, 37.7901, 37.0101);
    await moveCamera(outside.id, 37.7501, 36.9901);
    expect(await everything.until((e) => e.length >= 4)).toBe(true);
    await sleep(300);
    expect(sub.events.map((e) => Number(e.layerChanges.id))).toEqual([inside.id, outside.id]);
    sub.stop();
    everything.stop();
  });

  it('a deactivated account is disconnected at once; a wrong token is refused at connection', async () => {
    const user = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'live-leaver', [{ resource: Resource.CAMERAS, action: Action.READ }]);
    const client = connect(user.token);
    subscribe(client, LAYER, {});
    await subscribed(app.server, 1);
    expect((await app.gql(`mutation { updateUser(id: "${user.id}", input: { active: false }) { id } }`)).errors).toBeUndefined();
    const closed = await Promise.race([client.closed, sleep(3000).then(() => null)]);
    expect(closed).toMatchObject({ code: 4403 });
    expect(closed!.reason).toMatch(/deactivated/);

    const wrong = connect('not-a-token');
    expect(await Promise.race([wrong.closed, sleep(3000).then(() => null)])).toMatchObject({ code: 4401 });
  });

  it('since: the first event is a RESYNC from then; losing the database connection sends one to every subscriber', async () => {
    const since = new Date(Date.now() - 60_000);
    const sub = subscribe(connect(app.admin.token), LAYER, { layers: ['CAMERAS'], since: since.toISOString() });
    expect(await sub.until((e) => e.length >= 1)).toBe(true);
    expect(sub.events[0].layerChanges).toMatchObject({ kind: 'RESYNC', layer: null, id: null, resyncFrom: since.toISOString() });
    if (!embedded()) {
      await subscribed(app.server, 1);
      const killer = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await killer.connect();
      await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`kbs-graphql live ${app.schema}`.slice(0, 63)]);
      await killer.end();
      expect(await sub.until((e) => e.length >= 2, 5000)).toBe(true);
      expect(sub.events[1].layerChanges.kind).toBe('RESYNC');
      // And it listens again: the next edit arrives.
      const { id } = await app.knex('cameras').orderBy('id', 'desc').first('id');
      await moveCamera(id, 37.781, 37.001);
      expect(await sub.until((e) => e.some((x) => x.layerChanges.kind === 'UPDATED'))).toBe(true);
    }
    sub.stop();
  });
});

describe('fault events', () => {
  it('a report and its assignment are pushed with the fault, only to those who may read it and whose filter it matches', async () => {
    const admin = subscribe(connect(app.admin.token), `subscription { faultEvents { kind step { fromState toState } fault { id state description } } }`);
    const urgent = subscribe(connect(app.admin.token), `subscription { faultEvents(filter: { priority: [URGENT] }) { kind fault { id } } }`);
    const nobody = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'live-nofaults', [{ resource: Resource.CAMERAS, action: Action.READ }]);
    const refused = subscribe(connect(nobody.token), `subscription { faultEvents { kind } }`);
    await subscribed(app.server, 2);
    const report = await app.gql(`mutation { reportFault(input: { category: NETWORK, priority: NORMAL, description: "Canlı arıza", geometry: { type: "Point", coordinates: [37.79, 37.01] } }) { id version } }`);
    expect(report.errors).toBeUndefined();
    const { id, version } = report.data.reportFault;
    const assigned = await app.gql(`mutation { assignFault(id: "${id}", version: ${version}, assigneeId: "${app.admin.userId}") { state } }`);
    expect(assigned.errors).toBeUndefined();
    expect(await admin.until((e) => e.length >= 2)).toBe(true);
    expect(admin.events.map((e) => [e.faultEvents.step.fromState, e.faultEvents.step.toState, e.faultEvents.fault.id])).toEqual([
      [null, 'NEW', id],
      ['NEW', 'ASSIGNED', id],
    ]);
    await sleep(300);
    expect(urgent.events).toEqual([]);
    expect(refused.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('limits', () => {
  it('the query limits apply; at most 3 subscriptions a connection here; queries go over HTTP', async () => {
    const client = connect(app.admin.token);
    const deep = subscribe(client, `subscription { faultEvents { fault { asset { faults { asset { faults { asset { faults { asset { faults { asset { faults { asset { faults { id } } } } } } } } } } } } } } }`);
    await deep.until(() => false, 500);
    expect(deep.errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    const query = subscribe(client, `{ cameras(first: 1) { totalCount } }`);
    await query.until(() => false, 300);
    expect(query.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const held = [1, 2, 3].map(() => subscribe(client, LAYER, {}));
    await sleep(300);
    const fourth = subscribe(client, LAYER, {});
    await fourth.until(() => false, 500);
    expect(fourth.errors.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_REQUESTS']);
    for (const h of held) h.stop();
    await sleep(200);
    const again = subscribe(client, LAYER, {});
    await again.until(() => false, 300);
    expect(again.errors).toEqual([]);
    again.stop();
    const zoom = subscribe(client, LAYER, { zoom: 25 });
    await zoom.until(() => false, 300);
    expect(zoom.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('the heartbeat: a client that stops answering pings is closed', async () => {
    const socket = new WebSocket(app.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws', { autoPong: false });
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${app.admin.token}` } }));
    const code = await Promise.race([new Promise<number>((r) => socket.once('close', (c) => r(c))), sleep(5000).then(() => null)]);
    expect(code).not.toBeNull();
  });
});

describe(embedded() ? 'the embedded database: one process, listening on its own connections' : 'several servers on one database', () => {
  it('a change made through one server reaches the subscribers of another', async () => {
    if (embedded()) {
      // Its socket passes a connection only its own notifications: the feed listens on the pool.
      expect(app.server.live.feed.mode).toBe('pool');
      return;
    }
    expect(app.server.live.feed.mode).toBe('listener');
    const knex = createKnex(process.env.TEST_DATABASE_URL!, { searchPath: [app.schema, 'public'], poolMax: 2, logger: silentLogger });
    const second = await createServer({ db: knex, geo: new GeoService(), auth: TEST_AUTH }, silentLogger);
    const port = await second.listen(0, '127.0.0.1');
    try {
      const here = subscribe(connect(app.admin.token), LAYER, { layers: ['CAMERAS'] });
      const there = subscribe(connect(app.admin.token, `http://127.0.0.1:${port}`), LAYER, { layers: ['CAMERAS'] });
      await subscribed(app.server, 1);
      await subscribed(second, 1);
      const { id } = await app.knex('cameras').orderBy('id').offset(3).first('id');
      const version = await moveCamera(id, 37.7911, 37.0111);
      expect(await there.until((e) => e.length >= 1)).toBe(true);
      expect(await here.until((e) => e.length >= 1)).toBe(true);
      expect(there.events[0]).toEqual(here.events[0]);
      expect(there.events[0].layerChanges).toMatchObject({ kind: 'UPDATED', id: String(id), version });
    } finally {
      await second.stop();
      await new Promise((r) => second.httpServer.close(r));
      await knex.destroy();
    }
  });
});
