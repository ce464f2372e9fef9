import { startTestApp, type TestApp } from './helpers/app';
import { seedSampleData } from '../src/db/migrate';
import { randomBytes } from 'node:crypto';
import { createKnex } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { silentLogger } from '../src/logger';
import { copySampleData, ensureSampleTemplate, TEMPLATE_ENV } from './helpers/sample-template';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: 'run' });
});
afterAll(() => app.close());

describe('Nizip sample data', () => {
  it('has at least 20 neighbourhoods that do not overlap and cover the town, and 150 cameras inside them', async () => {
    const { rows } = await app.knex.raw(`
      SELECT (SELECT count(*) FROM neighbourhoods) AS neighbourhoods,
             (SELECT count(*) FROM cameras) AS cameras,
             (SELECT count(*) FROM neighbourhoods a JOIN neighbourhoods b ON a.id < b.id
                WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlaps,
             (SELECT count(*) FROM cameras c
                WHERE (SELECT count(*) FROM neighbourhoods n WHERE ST_Intersects(n.geom, c.geom)) <> 1) AS cameras_not_in_one,
             (SELECT bool_and(ST_IsValid(geom)) FROM neighbourhoods) AS valid,
             (SELECT ST_X(ST_Centroid(ST_Collect(geom))) FROM cameras) AS lon,
             (SELECT ST_Y(ST_Centroid(ST_Collect(geom))) FROM cameras) AS lat,
             (SELECT ST_NumInteriorRings(ST_Union(geom)) FROM neighbourhoods) AS holes`);
    const r = rows[0];
    expect(r.neighbourhoods).toBeGreaterThanOrEqual(20);
    expect(r.cameras).toBeGreaterThanOrEqual(150);
    expect(r.overlaps).toBe(0);
    expect(r.cameras_not_in_one).toBe(0);
    expect(r.valid).toBe(true);
    expect(r.holes).toBe(0);
    // On Nizip: about 37.79 E, 37.01 N.
    expect(Math.abs(r.lon - 37.79)).toBeLessThan(0.03);
    expect(Math.abs(r.lat - 37.01)).toBeLessThan(0.03);
  });

  it('has at least 30 remote units and a network that joins every one of them to the central data room', async () => {
    const { rows } = await app.knex.raw(`
      WITH RECURSIVE edges AS (
        SELECT coalesce('n' || a_node_id, 'u' || a_remote_unit_id) AS a, coalesce('n' || z_node_id, 'u' || z_remote_unit_id) AS z
        FROM network_lines
      ), reach(v) AS (
        SELECT 'n' || id FROM network_nodes WHERE kind = 'CENTRAL_DATA_ROOM'
        UNION
        SELECT CASE WHEN e.a = r.v THEN e.z ELSE e.a END FROM edges e JOIN reach r ON r.v IN (e.a, e.z)
      )
      SELECT (SELECT count(*) FROM remote_units) AS units,
             (SELECT count(*) FROM network_nodes WHERE kind = 'CENTRAL_DATA_ROOM') AS centres,
             (SELECT count(*) FROM remote_units WHERE 'u' || id NOT IN (SELECT v FROM reach)) AS unreachable,
             (SELECT count(*) FROM remote_units u WHERE (SELECT count(*) FROM network_lines l
                WHERE l.a_remote_unit_id = u.id OR l.z_remote_unit_id = u.id) >= 2) AS redundant,
             (SELECT count(*) FROM network_lines l
                LEFT JOIN network_nodes an ON an.id = l.a_node_id LEFT JOIN remote_units au ON au.id = l.a_remote_unit_id
                WHERE NOT ST_Equals(ST_StartPoint(l.geom), coalesce(an.geom, au.geom))) AS misdrawn`);
    expect(rows[0]).toMatchObject({ centres: 1, unreachable: 0, misdrawn: 0 });
    expect(rows[0].units).toBeGreaterThanOrEqual(30);
    expect(rows[0].redundant).toBeGreaterThan(0);
  });

  it('has at least 2,000 parcels that tile the neighbourhoods without overlapping, numbered like a cadastre', async () => {
    const { rows } = await app.knex.raw(`
      SELECT (SELECT count(*) FROM parcels) AS parcels,
             (SELECT count(DISTINCT (mahalle, ada)) FROM parcels) AS adas,
             (SELECT count(*) FROM parcels a JOIN parcels b ON a.id < b.id AND a.geom && b.geom
                WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlaps,
             (SELECT count(*) FROM parcels WHERE abs(registered_area_m2 - ST_Area(geom::geography)) > 0.05 * registered_area_m2) AS disagreeing,
             (SELECT count(*) FROM parcels WHERE mahalle = 'İSTASYON') AS istasyon`);
    const r = rows[0];
    expect(r.parcels).toBeGreaterThanOrEqual(2000);
    expect(r.parcels / r.adas).toBeGreaterThan(2);
    expect(r.overlaps).toBe(0);
    expect(r.disagreeing).toBeGreaterThan(0);
    expect(r.istasyon).toBeGreaterThan(0);
    const lookup = await app.gql(`{ parcelByNumber(mahalle: "Istasyon", ada: 103, parsel: 1) { mahalle ada parsel neighbourhood { name } } }`);
    expect(lookup.data.parcelByNumber).toEqual({ mahalle: 'İSTASYON', ada: 103, parsel: 1, neighbourhood: { name: 'İstasyon' } });
  });

  it('has sample accounts that can log in with the documented password', async () => {
    const res = await app.gql(`mutation { login(username: "ayse.demir", password: "nizip-ornek-2026") { user { username orgUnit { code } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.login.user).toEqual({ username: 'ayse.demir', orgUnit: { code: 'SISTEM' } });
  });

  it('has the example roles README uses: each sample account reads and edits what its role says', async () => {
    const login = async (u: string) =>
      (await app.gql(`mutation { login(username: "${u}", password: "nizip-ornek-2026") { accessToken } }`)).data.login.accessToken as string;
    const fatma = await login('fatma.kaya');
    const lines = `query($n: String!) { neighbourhoods(filter: { name: $n }) { edges { node { id } } } }`;
    const inside = (await app.gql(lines, { n: 'Kıbrıs' }, fatma)).data.neighbourhoods.edges[0].node.id;
    const outside = (await app.gql(lines, { n: 'İstasyon' }, fatma)).data.neighbourhoods.edges[0].node.id;
    const pick = async (n: string) =>
      (await app.gql(`query($n: ID!) { networkLines(first: 50, spatial: { inNeighbourhood: $n }) { edges { node { id version geometry } } } }`, { n }, fatma))
        .data.networkLines.edges.map((e: any) => e.node);
    // Lines wholly inside Kıbrıs are Fatma's to edit; a line in İstasyon is not.
    const rename = `mutation($id: ID!, $v: Int!) { updateNetworkLine(id: $id, version: $v, input: { name: "Fen denemesi" }) { name } }`;
    const candidates = await pick(inside);
    const results = await Promise.all(candidates.map((l: any) => app.gql(rename, { id: l.id, v: l.version }, fatma)));
    expect(results.some((r) => r.data?.updateNetworkLine?.name === 'Fen denemesi')).toBe(true);
    const far = (await pick(outside))[0];
    expect((await app.gql(rename, { id: far.id, v: far.version }, fatma)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const ali = await login('ali.celik');
    const cams = await app.gql(`{ cameras(first: 1) { totalCount edges { node { streamUrl } } } }`, {}, ali);
    expect(cams.data.cameras.totalCount).toBeGreaterThan(150);
    expect(cams.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await app.gql(`{ networkLines { totalCount } }`, {}, ali)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const anonymous = await app.gql(`{ cameras { totalCount } parcels(first: 1) { totalCount } }`, {}, null);
    expect(anonymous.errors).toBeUndefined();
    const live = await app.knex('cameras').where({ purpose: 'LIVE_BROADCAST' }).count({ n: '*' }).first();
    expect(anonymous.data.cameras.totalCount).toBe(Number(live!.n));
    expect(anonymous.data.parcels.totalCount).toBeGreaterThan(2000);
  });

  it('lets directorate staff report faults on their own assets and reopen them, but not manage them', async () => {
    const login = async (u: string) =>
      (await app.gql(`mutation { login(username: "${u}", password: "nizip-ornek-2026") { accessToken } }`)).data.login.accessToken as string;
    const fatma = await login('fatma.kaya');
    const own = await app.gql(`{ assets(first: 1, filter: { type: [PRINTER], state: [IN_USE] }) { edges { node { id ownerOrgUnit { code } } } } }`, {}, fatma);
    const printer = own.data.assets.edges[0].node;
    expect(printer.ownerOrgUnit.code).toBe('FEN');
    const report = await app.gql(
      `mutation($a: ID!) { reportFault(input: { assetId: $a, category: PERIPHERAL, description: "Kağıt sıkıştırıyor" }) { id version asset { state } } }`,
      { a: printer.id },
      fatma,
    );
    expect(report.errors).toBeUndefined();
    expect(report.data.reportFault.asset.state).toBe('FAULTY');
    const assign = await app.gql(`mutation($f: ID!) { assignFault(id: $f, version: 1, assigneeId: "1") { id } }`, { f: report.data.reportFault.id }, fatma);
    expect(assign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await app.knex('assets').join('org_units as o', 'o.id', 'assets.owner_org_unit_id').where('o.code', 'ZAB').first('assets.id');
    const outside = await app.gql(`mutation($a: ID!) { reportFault(input: { assetId: $a, category: OTHER, description: "x" }) { id } }`, { a: String(other.id) }, fatma);
    expect(outside.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('has the names the Turkish-matching examples use', async () => {
    const res = await app.gql(`{ neighbourhoods(filter: { name: "ISTASYON" }) { edges { node { name cameras { totalCount } } } } }`);
    expect(res.data.neighbourhoods.edges.map((e: any) => e.node.name)).toEqual(['İstasyon']);
  });

  it('is deterministic and safe to run again: same rows, same ids', async () => {
    const snapshot = () =>
      app.knex.raw(`SELECT
        (SELECT md5(string_agg(id || code || name || ST_AsText(geom), ',' ORDER BY id)) FROM neighbourhoods) AS n,
        (SELECT md5(string_agg(id || code || name || kind || status || azimuth || ST_AsText(geom), ',' ORDER BY id)) FROM cameras) AS c,
        (SELECT md5(string_agg(id || code || ST_AsText(geom), ',' ORDER BY id)) FROM remote_units) AS u,
        (SELECT md5(string_agg(id || code || ST_AsText(geom), ',' ORDER BY id)) FROM network_lines) AS l,
        (SELECT md5(string_agg(id || mahalle || ada || parsel || ST_AsText(geom), ',' ORDER BY id)) FROM parcels) AS p`);
    const before = (await snapshot()).rows[0];
    await seedSampleData(app.knex);
    const after = (await snapshot()).rows[0];
    expect(after).toEqual(before);
  });
});

describe('the sample data other test files get (a copy of the run\'s seeded template)', () => {
  it('is the template row for row in every table, with the sequences where seeding left them', async () => {
    await ensureSampleTemplate(process.env.TEST_DATABASE_URL!);
    const template = process.env[TEMPLATE_ENV]!;
    const schema = `test_copy_${randomBytes(6).toString('hex')}`;
    // A schema of its own, without the administrator startTestApp adds; on the embedded database
    // the session's search_path is put back afterwards (its connections share one session).
    const knex = createKnex(process.env.TEST_DATABASE_URL!, { poolMax: 1, logger: silentLogger });
    const { rows: [{ search_path: previous }] } = await knex.raw('SHOW search_path');
    try {
      await knex.raw('CREATE SCHEMA ??', [schema]);
      await knex.raw("SELECT set_config('search_path', ?, false)", [`"${schema}", public`]);
      await migrateLatest(knex);
      await copySampleData(knex, schema);
      const { rows: tables } = await knex.raw(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ? AND c.relkind = 'r' AND c.relname NOT LIKE 'knex_migrations%' ORDER BY 1`,
        [schema],
      );
      expect(tables.length).toBeGreaterThan(20);
      const digest = async (from: string, table: string) =>
        (await knex.raw(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS md5 FROM ??.?? t`, [from, table])).rows[0];
      const copied = [];
      const seeded = [];
      for (const { name } of tables) {
        copied.push({ name, ...(await digest(schema, name)) });
        seeded.push({ name, ...(await digest(template, name)) });
      }
      expect(copied).toEqual(seeded);
      const sequences = async (from: string) =>
        (await knex.raw('SELECT sequencename::text AS name, last_value FROM pg_sequences WHERE schemaname = ? ORDER BY 1', [from])).rows;
      const copiedSequences = await sequences(schema);
      expect(copiedSequences.length).toBeGreaterThan(10);
      expect(copiedSequences).toEqual(await sequences(template));
      const { rows: [counts] } = await knex.raw('SELECT (SELECT count(*) FROM parcels)::int AS parcels, (SELECT count(*) FROM users)::int AS users');
      expect(counts.parcels).toBeGreaterThan(1000);
      expect(counts.users).toBeGreaterThan(5);
    } finally {
      await knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
      await knex.raw("SELECT set_config('search_path', ?, false)", [previous]);
      await knex.destroy();
    }
  });
});
