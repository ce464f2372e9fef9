import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants, type GrantSpec } from './helpers/access';
import { insertCamera, insertNeighbourhood, insertNetworkLine, insertNetworkNode, insertOrgUnit } from './helpers/factories';

/**
 * Editing the layers under the permission model: Fen İşleri's editor edits inside neighbourhood A
 * only; an analyst reads and changes nothing; a Zabıta editor edits the rows of its own directorate.
 * Every refused or failed write leaves neither the change nor an audit row.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const BOX_A: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];
const BOX_B: [number, number, number, number] = [37.74, 37.0, 37.76, 37.02];
const pointIn = (box: number[], dx = 0.005) => ({ type: 'Point', coordinates: [box[0] + dx, box[1] + 0.005] });
const LAYERS = ['CAMERAS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS', 'NEIGHBOURHOODS'] as const;

async function user(name: string, orgUnit: number, grants: GrantSpec[]): Promise<void> {
  ({ id: id[name], token: token[name] } = await insertUserWithGrants(app.knex, orgUnit, name, grants));
}

beforeAll(async () => {
  app = await startTestApp();
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.zab = await insertOrgUnit(app.knex, 'ZAB');
  id.nA = await insertNeighbourhood(app.knex, BOX_A, { name: 'A' });
  id.nB = await insertNeighbourhood(app.knex, BOX_B, { name: 'B' });
  id.camA = await insertCamera(app.knex, BOX_A[0] + 0.005, BOX_A[1] + 0.005, { name: 'Kamera A' });
  id.camB = await insertCamera(app.knex, BOX_B[0] + 0.005, BOX_B[1] + 0.005, { name: 'Kamera B' });
  id.nodeA = await insertNetworkNode(app.knex, BOX_A[0] + 0.006, BOX_A[1] + 0.006);
  id.nodeA2 = await insertNetworkNode(app.knex, BOX_A[0] + 0.016, BOX_A[1] + 0.006);
  id.lineA = await insertNetworkLine(app.knex, { node: id.nodeA }, { node: id.nodeA2 }, [
    [BOX_A[0] + 0.006, BOX_A[1] + 0.006],
    [BOX_A[0] + 0.016, BOX_A[1] + 0.006],
  ]);
  await app.knex('network_lines').where({ id: id.lineA }).update({ owner_org_unit_id: id.zab });
  await user('fen', id.fen, [
    ...LAYERS.map((resource) => ({ resource, action: 'READ' as const })),
    ...LAYERS.flatMap((resource) => (['CREATE', 'UPDATE', 'DELETE'] as const).map((action) => ({ resource, action, neighbourhoodIds: [id.nA] }))),
  ]);
  await user('analyst', id.fen, LAYERS.map((resource) => ({ resource, action: 'READ' as const })));
  await user('zabita', id.zab, [
    { resource: 'NETWORK_LINES', action: 'READ' },
    { resource: 'NETWORK_LINES', action: 'UPDATE', ownOrgUnitOnly: true },
  ]);
});
afterAll(() => app.close());

const auditCount = async () => Number((await app.knex('audit_log').count({ n: '*' }).first())!.n);
const camera = (cid: number) => app.knex('cameras').where({ id: cid }).first('name', 'version', app.knex.raw('ST_AsText(geom) AS wkt'));

const UPDATE = `mutation($id: ID!, $version: Int!, $input: CameraUpdateInput!) {
  updateCamera(id: $id, version: $version, input: $input) { id name version geometry }
}`;
const CREATE = `mutation($input: CameraCreateInput!) { createCamera(input: $input) { id code version ownerOrgUnit { code } isPublic } }`;
const newCamera = (geometry: unknown, srid = 4326) => ({
  code: `KAM-${Math.random().toString(36).slice(2, 8)}`, name: 'Yeni kamera', kind: 'FIXED', purpose: 'SECURITY',
  azimuth: 90, horizontalFov: 60, rangeMeters: 40, geometry, srid, ownerOrgUnitId: String(id.fen), isPublic: true,
});

describe('creating', () => {
  it('creates a feature inside the editor\'s area, from GeoJSON in any SRID, with its audit row', async () => {
    const before = await auditCount();
    // The same place as a TM39 (EPSG:5257) point, computed by PostGIS.
    const { rows } = await app.knex.raw(`SELECT ST_X(p) x, ST_Y(p) y FROM ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 5257) p`, [BOX_A[0] + 0.01, BOX_A[1] + 0.01]);
    const res = await app.gql(CREATE, { input: newCamera({ type: 'Point', coordinates: [rows[0].x, rows[0].y] }, 5257) }, token.fen);
    expect(res.errors).toBeUndefined();
    expect(res.data.createCamera).toMatchObject({ version: 1, ownerOrgUnit: { code: 'FEN' }, isPublic: true });
    expect(await auditCount()).toBe(before + 1);
    const entry = await app.knex('audit_log').orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ entity: 'CAMERAS', entity_id: res.data.createCamera.id, action: 'CREATE', actor_user_id: id.fen, actor_username: 'fen', before: null });
    expect(entry.after).toMatchObject({ name: 'Yeni kamera', owner_org_unit_id: id.fen, geometry: { type: 'Point' } });
    expect(entry.after.geometry.coordinates[0]).toBeCloseTo(BOX_A[0] + 0.01, 6);
  });

  it('refuses a feature outside the area (FORBIDDEN), and anonymous writes (UNAUTHENTICATED), writing nothing', async () => {
    const before = await auditCount();
    const cams = Number((await app.knex('cameras').count({ n: '*' }).first())!.n);
    expect(codeOf(await app.gql(CREATE, { input: newCamera(pointIn(BOX_B)) }, token.fen))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(CREATE, { input: newCamera(pointIn(BOX_A)) }, token.analyst))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(CREATE, { input: newCamera(pointIn(BOX_A)) }, null))).toBe('UNAUTHENTICATED');
    expect(Number((await app.knex('cameras').count({ n: '*' }).first())!.n)).toBe(cams);
    expect(await auditCount()).toBe(before);
  });

  it('refuses bad input with BAD_USER_INPUT and the reason: geometry type, SRID, validity, size, values', async () => {
    const before = await auditCount();
    const cases: [unknown, number, RegExp][] = [
      [{ type: 'LineString', coordinates: [[37.705, 37.005], [37.706, 37.006]] }, 4326, /expected Point, got LineString/],
      [pointIn(BOX_A), 999999, /unknown SRID 999999/],
      [{ type: 'Point', coordinates: [237.7, 37.0] }, 4326, /longitude 237.7 is out of range/],
    ];
    for (const [geometry, srid, message] of cases) {
      const res = await app.gql(CREATE, { input: newCamera(geometry, srid) }, token.fen);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(message);
    }
    const bowtie = { type: 'Polygon', coordinates: [[[37.701, 37.001], [37.709, 37.009], [37.709, 37.001], [37.701, 37.009], [37.701, 37.001]]] };
    const parcel = await app.gql(
      `mutation($input: ParcelCreateInput!) { createParcel(input: $input) { id } }`,
      { input: { province: 'Gaziantep', district: 'Nizip', mahalle: 'A', ada: 1, parsel: 1, geometry: bowtie } },
      token.fen,
    );
    expect(codeOf(parcel)).toBe('BAD_USER_INPUT');
    expect(parcel.errors![0].message).toMatch(/Self-intersection/);
    const long = { type: 'LineString', coordinates: Array.from({ length: 10001 }, (_, i) => [37.701 + i * 1e-6, 37.005]) };
    const tooBig = await app.gql(
      `mutation($input: NetworkLineCreateInput!) { createNetworkLine(input: $input) { id } }`,
      { input: { code: 'HAT-BIG', name: 'big', medium: 'FIBER', aNodeId: String(id.nodeA), zNodeId: String(id.nodeA2), geometry: long } },
      token.fen,
    );
    expect(codeOf(tooBig)).toBe('BAD_USER_INPUT');
    expect(tooBig.errors![0].message).toMatch(/10001 vertices; at most 10000/);
    const azimuth = await app.gql(CREATE, { input: { ...newCamera(pointIn(BOX_A)), azimuth: 400 } }, token.fen);
    expect(codeOf(azimuth)).toBe('BAD_USER_INPUT');
    const duplicate = await app.gql(CREATE, { input: { ...newCamera(pointIn(BOX_A)), code: 'T-KAM-dup' } }, token.fen);
    expect(duplicate.errors).toBeUndefined();
    expect(codeOf(await app.gql(CREATE, { input: { ...newCamera(pointIn(BOX_A)), code: 'T-KAM-dup' } }, token.fen))).toBe('CONFLICT');
    expect(await auditCount()).toBe(before + 1);
  });
});

describe('updating', () => {
  it('changes a feature inside the area, bumps its version and records before and after', async () => {
    const res = await app.gql(UPDATE, { id: String(id.camA), version: 1, input: { name: 'Kamera A (yeni)' } }, token.fen);
    expect(res.errors).toBeUndefined();
    expect(res.data.updateCamera).toMatchObject({ name: 'Kamera A (yeni)', version: 2 });
    const entry = await app.knex('audit_log').orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ entity: 'CAMERAS', entity_id: String(id.camA), action: 'UPDATE' });
    expect(entry.before).toMatchObject({ name: 'Kamera A', version: 1 });
    expect(entry.after).toMatchObject({ name: 'Kamera A (yeni)', version: 2 });
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    const before = await auditCount();
    const res = await app.gql(UPDATE, { id: String(id.camA), version: 1, input: { name: 'eski sürümden' } }, token.fen);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions?.currentVersion).toBe(2);
    expect(await camera(id.camA)).toMatchObject({ name: 'Kamera A (yeni)', version: 2 });
    expect(await auditCount()).toBe(before);
  });

  it('refuses moving a feature out of the area, or one outside it into it (FORBIDDEN), leaving both as they were', async () => {
    const before = await auditCount();
    const [a, b] = [await camera(id.camA), await camera(id.camB)];
    const out = await app.gql(UPDATE, { id: String(id.camA), version: 2, input: { geometry: pointIn(BOX_B) } }, token.fen);
    expect(codeOf(out)).toBe('FORBIDDEN');
    const into = await app.gql(UPDATE, { id: String(id.camB), version: 1, input: { geometry: pointIn(BOX_A) } }, token.fen);
    expect(codeOf(into)).toBe('FORBIDDEN');
    expect(into.errors![0].message).toMatch(new RegExp(`camera ${id.camB}: it is outside the area`));
    expect([await camera(id.camA), await camera(id.camB)]).toEqual([a, b]);
    expect(await auditCount()).toBe(before);
  });

  it('moves a feature within the area', async () => {
    const res = await app.gql(UPDATE, { id: String(id.camA), version: 2, input: { geometry: pointIn(BOX_A, 0.015) } }, token.fen);
    expect(res.errors).toBeUndefined();
    expect(res.data.updateCamera.geometry.coordinates[0]).toBeCloseTo(BOX_A[0] + 0.015, 8);
  });

  it('says FORBIDDEN to a reader without an UPDATE grant, NOT_FOUND for what the editor may not read', async () => {
    expect(codeOf(await app.gql(UPDATE, { id: String(id.camA), version: 3, input: { name: 'x' } }, token.analyst))).toBe('FORBIDDEN');
    const hidden = await app.gql(`mutation($id: ID!) { updateNetworkLine(id: $id, version: 1, input: { name: "x" }) { id } }`, { id: '999999' }, token.zabita);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(UPDATE, { id: String(id.camA), version: 3, input: {} }, token.fen))).toBe('BAD_USER_INPUT');
  });

  it('keeps own-directorate editors to their rows: a line cannot be handed to another directorate', async () => {
    const Q = `mutation($id: ID!, $v: Int!, $input: NetworkLineUpdateInput!) { updateNetworkLine(id: $id, version: $v, input: $input) { name version } }`;
    const ok = await app.gql(Q, { id: String(id.lineA), v: 1, input: { name: 'Zabıta hattı' } }, token.zabita);
    expect(ok.errors).toBeUndefined();
    const away = await app.gql(Q, { id: String(id.lineA), v: 2, input: { ownerOrgUnitId: String(id.fen) } }, token.zabita);
    expect(codeOf(away)).toBe('FORBIDDEN');
    expect((await app.knex('network_lines').where({ id: id.lineA }).first()).owner_org_unit_id).toBe(id.zab);
  });

  it('refuses to set a sensitive field without a grant that reveals it', async () => {
    const res = await app.gql(UPDATE, { id: String(id.camA), version: 3, input: { streamUrl: 'rtsp://x' } }, token.fen);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/streamUrl/);
  });
});

describe('deleting', () => {
  it('deletes with the version read, refuses a stale one, and keeps the audit row of the deletion', async () => {
    const Q = `mutation($id: ID!, $v: Int!) { deleteCamera(id: $id, version: $v) }`;
    const cam = await insertCamera(app.knex, BOX_A[0] + 0.002, BOX_A[1] + 0.002);
    expect(codeOf(await app.gql(Q, { id: String(cam), v: 7 }, token.fen))).toBe('CONFLICT');
    expect(codeOf(await app.gql(Q, { id: String(id.camB), v: 1 }, token.fen))).toBe('FORBIDDEN');
    const res = await app.gql(Q, { id: String(cam), v: 1 }, token.fen);
    expect(res.data.deleteCamera).toBe(String(cam));
    expect(await app.knex('cameras').where({ id: cam }).first()).toBeUndefined();
    const entry = await app.knex('audit_log').orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ entity: 'CAMERAS', entity_id: String(cam), action: 'DELETE', after: null });
    expect(codeOf(await app.gql(Q, { id: String(cam), v: 1 }, token.fen))).toBe('NOT_FOUND');
  });

  it('refuses to delete what is still in use (CONFLICT), keeping it', async () => {
    const res = await app.gql(`mutation($id: ID!) { deleteNetworkNode(id: $id, version: 1) }`, { id: String(id.nodeA) });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toMatch(/still in use/);
    expect(await app.knex('network_nodes').where({ id: id.nodeA }).first()).toBeDefined();
  });
});

describe('a write and its audit row', () => {
  it('commit together: when the audit row cannot be written, the change is rolled back too', async () => {
    await app.knex.raw(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await app.knex.raw('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
    try {
      const before = await camera(id.camA);
      const res = await app.gql(UPDATE, { id: String(id.camA), version: before.version, input: { name: 'kayıtsız değişiklik' } }, token.fen);
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.errors![0].message).toBe('Internal server error');
      expect(await camera(id.camA)).toEqual(before);
    } finally {
      await app.knex.raw('DROP TRIGGER refuse_audit ON audit_log');
      await app.knex.raw('DROP FUNCTION refuse_audit()');
    }
  });
});

describe('the audit log', () => {
  it('cannot be changed or deleted, even by the database owner', async () => {
    await expect(app.knex('audit_log').update({ action: 'X' })).rejects.toThrow(/append-only/);
    await expect(app.knex('audit_log').delete()).rejects.toThrow(/append-only/);
  });

  it('answers by entity, user, time range and area, newest first, for administrators and auditors only', async () => {
    const Q = `query($f: AuditFilter) { auditLog(filter: $f) { totalCount edges { node { entity entityId action actorUsername actor { username } requestId before after } } } }`;
    const byEntity = await app.gql(Q, { f: { entity: 'CAMERAS', entityId: String(id.camA) } });
    expect(byEntity.errors).toBeUndefined();
    expect(byEntity.data.auditLog.edges.map((e: any) => e.node.after?.version)).toEqual([3, 2]);
    expect(byEntity.data.auditLog.edges[0].node.actor).toEqual({ username: 'fen' });
    const byUser = await app.gql(Q, { f: { userId: String(id.zabita) } });
    expect(byUser.data.auditLog.edges.map((e: any) => e.node.entity)).toEqual(['NETWORK_LINES']);
    const future = await app.gql(Q, { f: { from: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.data.auditLog.totalCount).toBe(0);
    const inB = await app.gql(Q, { f: { spatial: { inNeighbourhood: String(id.nB) } } });
    expect(inB.data.auditLog.totalCount).toBe(0);
    const inA = await app.gql(Q, { f: { spatial: { inNeighbourhood: String(id.nA) } } });
    expect(inA.data.auditLog.totalCount).toBeGreaterThanOrEqual(5);
    expect(codeOf(await app.gql(Q, {}, token.fen))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(Q, {}, null))).toBe('UNAUTHENTICATED');
  });

  it('gives an auditor limited to an area only the changes made there', async () => {
    await user('auditor', id.fen, [{ resource: 'AUDIT_LOG', action: 'READ', neighbourhoodIds: [id.nB] }]);
    const res = await app.gql(`{ auditLog { totalCount edges { node { entityId } } } }`, {}, token.auditor);
    expect(res.errors).toBeUndefined();
    expect(res.data.auditLog.totalCount).toBe(0);
  });

  it('records the request id the client sent', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.fen}`, 'x-request-id': 'edit-42' },
      body: JSON.stringify({ query: UPDATE, variables: { id: String(id.camA), version: 3, input: { name: 'Kamera A' } } }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect((await app.knex('audit_log').orderBy('id', 'desc').first()).request_id).toBe('edit-42');
  });
});
