import { HISTORY_TABLES } from '../src/geo/history';
import { IMPORT_LAYERS } from '../src/modules/imports/import-layers';
import { Action, Resource } from '../src/common/auth/resources';
import { insertUserWithGrants } from './helpers/access';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { fixtureDir, importCli, writeGeoJson } from './helpers/import';

/**
 * History and point-in-time reads: every layer keeps each version of its rows, whatever writes it
 * (an edit, an import, a workflow, plain SQL, a deletion); `asOf` on lists, lookups by id, feature
 * collections and OGC items answers with the rows as they were; `history` and `changes` tell who
 * changed what, under the reader's grants.
 */
let app: TestApp;
let fx: Awaited<ReturnType<typeof fixtureDir>>;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  fx = await fixtureDir();
});
afterAll(async () => {
  await fx.remove();
  await app.close();
});

/** The database's clock (versions are stamped with it). */
const dbNow = async (): Promise<Date> => (await app.knex.raw('SELECT clock_timestamp() AS t')).rows[0].t;
const camel = (table: string) => table.replace(/_(.)/g, (_, c: string) => c.toUpperCase());

/** Every layer the API writes (the import's list: every layer with create/update mutations) and its names. */
const layers = Object.values(IMPORT_LAYERS).map((l) => {
  const table = l.name.replace(/-/g, '_');
  return { table, list: camel(table), one: camel(table).replace(/s$/, ''), enum: table.toUpperCase(), ogc: table.replace(/_/g, '-') };
});

describe('every layer keeps its past', () => {
  it('the layers that keep a history are exactly the layers the API writes, and each history table has every column of its table', async () => {
    expect([...HISTORY_TABLES].sort()).toEqual(layers.map((l) => l.table).sort());
    for (const { table } of layers) {
      const columns = async (t: string) =>
        (await app.knex('information_schema.columns').where({ table_schema: app.schema, table_name: t }).select('column_name', 'data_type', 'udt_name'))
          .map((c) => `${c.column_name}:${c.udt_name}`);
      const own = await columns(table);
      const kept = await columns(`${table}_history`);
      expect({ table, missing: own.filter((c) => !kept.includes(c)) }).toEqual({ table, missing: [] });
      expect(kept.filter((c) => !own.includes(c)).sort()).toEqual(['history_id:int8', 'valid_from:timestamptz', 'valid_to:timestamptz']);
    }
  });

  it('a write by plain SQL to any layer: asOf on the list, by id, in the feature collection and in OGC items gives the version before', async () => {
    for (const l of layers) {
      const row = await app.knex(l.table).whereNotNull('geom').modify((q) => (l.table === 'assets' ? q.whereNot('state', 'DISPOSED') : q)).orderBy('id').first('id', 'is_public');
      const before = await app.gql(`{ ${l.one}(id: "${row.id}") { isPublic geometry } }`);
      expect(before.errors).toBeUndefined();
      const t0 = await dbNow();
      await app.knex(l.table).where('id', row.id).update({ is_public: !row.is_public, geom: app.knex.raw('ST_Translate(geom, 0.0005, 0)'), updated_at: app.knex.fn.now() });

      const q = `query($t: DateTimeISO) {
        one: ${l.one}(id: "${row.id}", asOf: $t) { isPublic geometry }
        list: ${l.list}(asOf: $t, first: 1000) { asOfKnownFrom edges { node { id isPublic geometry } } featureCollection }
        now: ${l.list}(first: 1000) { asOfKnownFrom edges { node { id isPublic } } }
        history(layer: ${l.enum}, id: "${row.id}") { action validFrom validTo changes { field before after } }
      }`;
      const res = await app.gql(q, { t: t0.toISOString() });
      expect({ layer: l.table, errors: res.errors }).toEqual({ layer: l.table, errors: undefined });
      const { one, list, now, history } = res.data;
      expect({ layer: l.table, one }).toEqual({ layer: l.table, one: before.data[l.one] });
      const then = list.edges.find((e: any) => Number(e.node.id) === row.id).node;
      expect({ layer: l.table, then }).toEqual({ layer: l.table, then: { id: String(row.id), ...before.data[l.one] } });
      expect(list.featureCollection.features.find((f: any) => f.id === row.id).properties.isPublic).toBe(row.is_public);
      expect(now.edges.find((e: any) => Number(e.node.id) === row.id).node.isPublic).toBe(!row.is_public);
      expect(new Date(list.asOfKnownFrom).getTime()).toBeLessThanOrEqual(t0.getTime());
      expect(now.asOfKnownFrom).toBeNull();
      const last = history[history.length - 1];
      // Besides the two: what is computed from the geometry (a line's length, an area).
      const fields = last.changes.map((c: any) => c.field).filter((f: string) => !/Meters$/.test(f)).sort();
      expect({ layer: l.table, action: last.action, fields, validTo: last.validTo }).toEqual({ layer: l.table, action: 'UPDATED', fields: ['geometry', 'isPublic'], validTo: null });
      expect(new Date(last.validFrom).getTime()).toBeGreaterThanOrEqual(t0.getTime());

      const ogc = await fetch(`${app.url}/ogc/collections/${l.ogc}/items?limit=1000&datetime=${encodeURIComponent(t0.toISOString())}`, {
        headers: { authorization: `Bearer ${app.admin.token}` },
      });
      expect(ogc.status).toBe(200);
      const feature = ((await ogc.json()) as any).features.find((f: any) => f.id === row.id);
      expect({ layer: l.table, isPublic: feature.properties.isPublic }).toEqual({ layer: l.table, isPublic: row.is_public });
    }
  });
});

describe('edits, deletions, imports and workflows, with who made them', () => {
  const CAMERA = `id version name status geometry`;

  it('a camera created, moved and deleted: every version, the deletion, asOf between them and spatial filters on the geometry of that time', async () => {
    const create = await app.gql(`mutation { createCamera(input: { code: "HIST-1", name: "Tarih Kamerası", kind: FIXED, purpose: TRAFFIC, status: ACTIVE,
      azimuth: 90, horizontalFov: 60, rangeMeters: 50, geometry: { type: "Point", coordinates: [37.79, 37.01] } }) { ${CAMERA} } }`);
    expect(create.errors).toBeUndefined();
    const id = create.data.createCamera.id;
    const t1 = await dbNow();
    const moved = await app.gql(`mutation { updateCamera(id: "${id}", version: 1, input: { name: "Tarih Kamerası (taşındı)", geometry: { type: "Point", coordinates: [37.80, 37.02] } }) { ${CAMERA} } }`);
    expect(moved.errors).toBeUndefined();
    const t2 = await dbNow();
    expect((await app.gql(`mutation { deleteCamera(id: "${id}", version: 2) }`)).errors).toBeUndefined();
    const t3 = await dbNow();

    const history = (await app.gql(`{ history(layer: CAMERAS, id: "${id}") { action version changedBy requestId validFrom validTo properties geometry changes { field before after } } }`)).data.history;
    expect(history.map((v: any) => [v.action, v.version, v.changedBy])).toEqual([
      ['CREATED', 1, 'kbs-test-admin'],
      ['UPDATED', 2, 'kbs-test-admin'],
      ['DELETED', null, 'kbs-test-admin'],
    ]);
    expect(history[0].validTo).toBe(history[1].validFrom);
    expect(history[1].validTo).toBe(history[2].validFrom);
    expect(history[1].changes).toEqual([
      { field: 'name', before: 'Tarih Kamerası', after: 'Tarih Kamerası (taşındı)' },
      { field: 'geometry', before: { type: 'Point', coordinates: [37.79, 37.01] }, after: { type: 'Point', coordinates: [37.8, 37.02] } },
    ]);
    expect(history[0].changes.map((c: any) => c.field)).toEqual(expect.arrayContaining(['code', 'name', 'status', 'geometry']));
    expect(history[2]).toMatchObject({ properties: null, geometry: null });
    expect(history[2].changes.find((c: any) => c.field === 'name')).toEqual({ field: 'name', before: 'Tarih Kamerası (taşındı)', after: null });
    expect(history.every((v: any) => typeof v.requestId === 'string')).toBe(true);

    const at = (t: Date, box: number[]) =>
      app.gql(`query($t: DateTimeISO) { cameras(asOf: $t, spatial: { bbox: { minx: ${box[0]}, miny: ${box[1]}, maxx: ${box[2]}, maxy: ${box[3]} } }) { totalCount edges { node { id name } } } camera(id: "${id}", asOf: $t) { name } }`, { t: t.toISOString() });
    const first = [37.789, 37.009, 37.791, 37.011];
    const second = [37.799, 37.019, 37.801, 37.021];
    const names = (res: any) => res.data.cameras.edges.filter((e: any) => e.node.id === id).map((e: any) => e.node.name);
    const firstThen = await at(t1, first);
    expect(firstThen.errors).toBeUndefined();
    expect(names(firstThen)).toEqual(['Tarih Kamerası']);
    expect(names(await at(t1, second))).toEqual([]);
    expect(names(await at(t2, second))).toEqual(['Tarih Kamerası (taşındı)']);
    expect((await at(t2, second)).data.camera).toEqual({ name: 'Tarih Kamerası (taşındı)' });
    const gone = await at(t3, second);
    expect(codeOf(gone)).toBe('NOT_FOUND');
    const list = await app.gql(`query($t: DateTimeISO) { cameras(asOf: $t, filter: { search: "HIST-1" }) { totalCount } }`, { t: t3.toISOString() });
    expect(list.data.cameras.totalCount).toBe(0);
    expect(codeOf(await app.gql(`{ camera(id: "${id}") { name } }`))).toBe('NOT_FOUND');

    // What changed between the three instants, kind by kind.
    const changes = async (from: Date, to: Date) =>
      (await app.gql(`query($f: DateTimeISO!, $t: DateTimeISO) { changes(from: $f, to: $t, layers: [CAMERAS]) { totalCount edges { node { id kind changedBy before after changes { field } } } } }`, { f: from.toISOString(), t: to.toISOString() })).data.changes;
    const mine = (c: any) => c.edges.filter((e: any) => e.node.id === id).map((e: any) => e.node);
    const t0 = new Date(new Date(history[0].validFrom).getTime() - 1);
    expect(mine(await changes(t0, t1))).toMatchObject([{ kind: 'CREATED', changedBy: 'kbs-test-admin', before: null, after: { name: 'Tarih Kamerası' } }]);
    expect(mine(await changes(t1, t2))).toMatchObject([{ kind: 'UPDATED', changes: [{ field: 'name' }, { field: 'geometry' }] }]);
    expect(mine(await changes(t2, t3))).toMatchObject([{ kind: 'DELETED', before: { name: 'Tarih Kamerası (taşındı)' }, after: null }]);
    // Created and deleted inside the period: nothing was there at either end.
    expect(mine(await changes(t0, t3))).toEqual([]);
  });

  it('an import: each row created with the import as its request, by who ran it', async () => {
    const file = await writeGeoJson(fx.file('nodes.geojson'), [
      { properties: { code: 'HIST-N1', name: 'Tarih Dolabı', kind: 'CABINET', status: 'PLANNED' }, geometry: { type: 'Point', coordinates: [37.795, 37.015] } },
    ]);
    const done = await importCli(app.knex, 'network-nodes', file, '--as', 'kbs-test-admin');
    expect(done.code).toBe(0);
    const { id } = await app.knex('network_nodes').where('code', 'HIST-N1').first('id');
    const history = (await app.gql(`{ history(layer: NETWORK_NODES, id: "${id}") { action changedBy requestId properties } }`)).data.history;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'CREATED', changedBy: 'kbs-test-admin', properties: { code: 'HIST-N1', status: 'PLANNED' } });
    expect(history[0].requestId).toMatch(/^import:/);
  });

  it('a workflow: a fault reported on an asset puts it FAULTY, a version of the asset written by the reporter', async () => {
    const asset = await app.knex('assets').where('state', 'IN_USE').whereNotNull('geom').orderBy('id').first('id');
    const res = await app.gql(`mutation { reportFault(input: { assetId: "${asset.id}", category: HARDWARE, description: "Ekran açılmıyor" }) { id } }`);
    expect(res.errors).toBeUndefined();
    const history = (await app.gql(`{ history(layer: ASSETS, id: "${asset.id}") { action changedBy changes { field before after } } }`)).data.history;
    expect(history[history.length - 1]).toEqual({ action: 'UPDATED', changedBy: 'kbs-test-admin', changes: [{ field: 'state', before: 'IN_USE', after: 'FAULTY' }] });
  });

  it('two writes to a row in one transaction make one version; writing the same values makes none', async () => {
    const { id } = await app.knex('remote_units').orderBy('id').first('id');
    const versions = async () => Number((await app.knex('remote_units_history').where('id', id).count({ n: '*' }))[0].n);
    const n = await versions();
    await app.knex.transaction(async (trx) => {
      await trx('remote_units').where('id', id).update({ name: 'Ara ad' });
      await trx('remote_units').where('id', id).update({ name: 'Son ad' });
    });
    expect(await versions()).toBe(n + 1);
    await app.knex('remote_units').where('id', id).update({ name: 'Son ad', updated_at: app.knex.fn.now() });
    expect(await versions()).toBe(n + 1);
    const history = (await app.gql(`{ history(layer: REMOTE_UNITS, id: "${id}") { changes { field after } } }`)).data.history;
    expect(history[history.length - 1].changes).toEqual([{ field: 'name', after: 'Son ad' }].map((c) => expect.objectContaining(c)));
  });
});

describe('grants', () => {
  it('an area-limited reader: only its area in changes and in history; no writers without the audit log; a sensitive field withheld', async () => {
    const unit = app.admin.orgUnitId;
    const box: [number, number, number, number] = [37.785, 37.005, 37.795, 37.015];
    const reader = await insertUserWithGrants(app.knex, unit, 'hist-reader', [{ resource: Resource.CAMERAS, action: Action.READ, box }]);
    const t0 = await dbNow();
    // Cameras not public (the public role lets everybody read public ones).
    const inside = await app.knex('cameras').where('is_public', false).whereRaw('geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)', box).orderBy('id').first('id', 'stream_url');
    const outside = await app.knex('cameras').where('is_public', false).whereRaw('NOT geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)', box).orderBy('id').first('id');
    for (const c of [inside, outside]) await app.knex('cameras').where('id', c.id).update({ name: app.knex.raw("name || ' (değişti)'"), stream_url: 'rtsp://10.0.0.1/yeni' });

    const q = `query($f: DateTimeISO!) { changes(from: $f) { totalCount edges { node { id kind changedBy changes { field } after } } } }`;
    const seen = (await app.gql(q, { f: t0.toISOString() }, reader.token)).data.changes;
    expect(seen.edges.map((e: any) => Number(e.node.id))).toEqual([inside.id]);
    expect(seen.totalCount).toBe(1);
    expect(seen.edges[0].node.changes.map((c: any) => c.field)).toEqual(['name']);
    expect(seen.edges[0].node.after.streamUrl).toBeNull();
    const admin = (await app.gql(q, { f: t0.toISOString() })).data.changes;
    expect(admin.edges.map((e: any) => Number(e.node.id)).sort((a: number, b: number) => a - b)).toEqual([inside.id, outside.id].sort((a, b) => a - b));
    expect(admin.edges[0].node.changes.map((c: any) => c.field).sort()).toEqual(['name', 'streamUrl']);

    expect(codeOf(await app.gql(`{ history(layer: CAMERAS, id: "${outside.id}") { action } }`, {}, reader.token))).toBe('NOT_FOUND');
    const own = await app.gql(`{ history(layer: CAMERAS, id: "${inside.id}") { changedBy properties } }`, {}, reader.token);
    expect(own.data.history.every((v: any) => v.changedBy === null && v.properties.streamUrl === null)).toBe(true);
    expect(codeOf(await app.gql(`{ history(layer: ASSETS, id: "1") { action } }`, {}, reader.token))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`query($f: DateTimeISO!) { changes(from: $f, layers: [ASSETS]) { totalCount } }`, { f: t0.toISOString() }, reader.token))).toBe('FORBIDDEN');
  });
});

describe('bad input and limits', () => {
  it('a future asOf is BAD_USER_INPUT everywhere; an asOf before the history began answers with what is known, and says from when', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(codeOf(await app.gql(`query($t: DateTimeISO) { cameras(asOf: $t) { totalCount } }`, { t: future }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(`query($t: DateTimeISO) { camera(id: "1", asOf: $t) { id } }`, { t: future }))).toBe('BAD_USER_INPUT');
    const ogc = await fetch(`${app.url}/ogc/collections/cameras/items?datetime=${encodeURIComponent(future)}`, { headers: { authorization: `Bearer ${app.admin.token}` } });
    expect(ogc.status).toBe(400);
    const old = await app.gql(`{ cameras(asOf: "2000-01-01T00:00:00Z") { totalCount asOfKnownFrom } }`);
    expect(old.data.cameras.totalCount).toBe(0);
    const known = (await app.knex('history_known_from').where('table_name', 'cameras').first('known_from')).known_from as Date;
    expect(new Date(old.data.cameras.asOfKnownFrom).getTime()).toBe(known.getTime());
    expect(codeOf(await app.gql(`{ changes(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } }`))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(`{ history(layer: CAMERAS, id: "999999") { action } }`))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(`{ history(layer: CAMERAS, id: "x") { action } }`))).toBe('BAD_USER_INPUT');
  });

  it('changes pages through every layer without repeating or skipping, in a constant number of statements', async () => {
    const t0 = await dbNow();
    await app.knex('cameras').whereIn('id', app.knex('cameras').select('id').orderBy('id').limit(7)).update({ name: app.knex.raw("name || ' *'") });
    await app.knex('parcels').whereIn('id', app.knex('parcels').select('id').orderBy('id').limit(6)).update({ nitelik: app.knex.raw("coalesce(nitelik, '') || ' *'") });
    await app.knex('network_lines').whereIn('id', app.knex('network_lines').select('id').orderBy('id').limit(5)).update({ name: app.knex.raw("name || ' *'") });
    const q = `query($f: DateTimeISO!, $n: Int, $a: String) { changes(from: $f, first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { layer id kind } } } }`;
    const all = (await app.gql(q, { f: t0.toISOString(), n: 100 })).data.changes;
    expect(all.totalCount).toBe(18);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await app.gql(q, { f: t0.toISOString(), n: 4, a: after })).data.changes;
      seen.push(...page.edges.map((e: any) => `${e.node.layer}:${e.node.id}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e: any) => `${e.node.layer}:${e.node.id}`));
    const statements = async (n: number) => (await app.countStatements(() => app.gql(`query($f: DateTimeISO!) { changes(from: $f, first: ${n}) { edges { node { id before after } } } }`, { f: t0.toISOString() }))).statements;
    expect(await statements(2)).toBe(await statements(18));
    expect(await statements(18)).toBe(1 + app.accessCheckStatements);
  });
});
