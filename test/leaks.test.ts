import { Action, Resource, SENSITIVE_FIELDS } from '../src/common/auth/resources';
import type { LayerDefinition } from '../src/geo/layer.repository';
import { COLLECTIONS } from '../src/ogc/collections';
import { TILE_LAYERS } from '../src/tiles/tile.layers';
import { Access } from '../src/common/auth/access';
import { COUNTED_LAYERS } from '../src/modules/neighbourhoods/neighbourhood.repository';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertGrant, insertUserWithGrants, publicRoleId, type GrantSpec } from './helpers/access';
import {
  insertCamera,
  insertNeighbourhood,
  insertNetworkLine,
  insertNetworkNode,
  insertOrgUnit,
  insertRemoteUnit,
  insertUser,
} from './helpers/factories';
import { insertAsset, insertFault, insertVendor } from './helpers/faults';
import { ogcGet } from './helpers/ogc';
import { getTiles, tileAt, tilePath, fetchTile } from './helpers/tiles';

/**
 * Data a reader may not see must not come out anywhere: not in the audit log's snapshots (sensitive
 * fields), not as a relation (vendors), not as the id of a row in a feature's properties, not in a
 * CONFLICT naming a fault, not in how a tile's ETag moves; and counts follow the lists.
 */
let app: TestApp;
const id: Record<string, number> = {};
const BOX: [number, number, number, number] = [37.78, 37.0, 37.8, 37.02];
const P = (dx: number, dy = 0): [number, number] => [37.79 + dx, 37.01 + dy];

/** A READ grant on every resource but `without`, and `extra`. */
function readAllBut(without: Resource | null, extra: GrantSpec[] = []): GrantSpec[] {
  return [...Object.values(Resource).filter((r) => r !== without).map((resource) => ({ resource, action: Action.READ })), ...extra];
}

/** READ grants on every resource but `without`; naming `fields`; limited to the own directorate when `own`. */
function readArgs(without: Resource | null, fields: string[] = [], own = false): GrantSpec[] {
  return readAllBut(without).map((g) => ({
    ...g,
    ownOrgUnitOnly: own,
    fields: fields.filter((f) => (SENSITIVE_FIELDS[g.resource as Resource] ?? []).includes(f)),
  }));
}

let users = 0;
async function reader(orgUnitId: number, grants: GrantSpec[]): Promise<string> {
  return (await insertUserWithGrants(app.knex, orgUnitId, `leak-reader-${++users}`, grants)).token;
}

beforeAll(async () => {
  app = await startTestApp();
  id.own = await insertOrgUnit(app.knex, 'LK-OWN');
  id.other = await insertOrgUnit(app.knex, 'LK-OTHER');
  id.n = await insertNeighbourhood(app.knex, BOX, { name: 'Sızıntı' });
  // Every row a foreign key points to belongs to `own` (those that have an owner).
  id.unit = await insertRemoteUnit(app.knex, ...P(0), id.own);
  id.camera = await insertCamera(app.knex, ...P(0.001));
  id.nodeA = await insertNetworkNode(app.knex, ...P(0.002));
  id.nodeZ = await insertNetworkNode(app.knex, ...P(0.003));
  await app.knex('cameras').whereIn('id', [id.camera]).update({ owner_org_unit_id: id.own });
  await app.knex('network_nodes').whereIn('id', [id.nodeA, id.nodeZ]).update({ owner_org_unit_id: id.own });
  id.lineAz = await insertNetworkLine(app.knex, { node: id.nodeA }, { unit: id.unit }, [P(0.002), P(0)]);
  id.lineZa = await insertNetworkLine(app.knex, { unit: id.unit }, { node: id.nodeZ }, [P(0), P(0.003)]);
  id.vendor = await insertVendor(app.knex, 'Sızıntı Bilişim');
  id.asset = await insertAsset(app.knex, ...P(0.001), id.own, { type: 'CAMERA', vendor_id: id.vendor });
  await app.knex('assets').where({ id: id.asset }).update({ remote_unit_id: id.unit, camera_id: id.camera });
  id.reporter = await insertUser(app.knex, id.own, 'leak-reporter');
  id.assignee = await insertUser(app.knex, id.own, 'leak-assignee');
  // What serves a camera (a node, or a remote unit: one of them each), and the assets the network elements are.
  await app.knex('cameras').where({ id: id.camera }).update({ served_by_node_id: id.nodeA });
  id.unitCamera = await insertCamera(app.knex, ...P(0.0015));
  await app.knex('cameras').where({ id: id.unitCamera }).update({ owner_org_unit_id: id.own, served_by_remote_unit_id: id.unit });
  id.nodeAsset = await insertAsset(app.knex, ...P(0.002), id.own, { type: 'SWITCH' });
  id.lineAsset = await insertAsset(app.knex, ...P(0.002), id.own, { type: 'LEASED_LINE' });
  await app.knex('network_nodes').where({ id: id.nodeA }).update({ asset_id: id.nodeAsset });
  await app.knex('network_lines').where({ id: id.lineAz }).update({ asset_id: id.lineAsset });
  id.fault = await insertFault(app.knex, { owner: id.own, assetId: id.asset, reportedBy: id.reporter, assigneeId: id.assignee, state: 'ASSIGNED', reportedAt: '2026-01-05T09:00:00Z' });
  await app.knex('vendor_repairs').insert({ fault_id: id.fault, asset_id: id.asset, vendor_id: id.vendor, basis: 'WARRANTY', sent_on: '2026-01-06' });
});
afterAll(() => app.close());

describe('sensitive fields in the audit log follow the field grants', () => {
  const SECRET = 'rtsp://admin:Gizli-Parola-1@10.9.8.7:554/live';

  /** For each sensitive field: writes a row of its resource in `orgUnitId` with `value` in the field (create, then another change), returns the entity id. */
  const WRITERS: Record<string, (value: string, orgUnitId: number) => Promise<string>> = {
    'CAMERAS.streamUrl': async (value, orgUnitId) => {
      const created = await app.gql(
        `mutation($input: CameraCreateInput!) { createCamera(input: $input) { id version } }`,
        {
          input: {
            code: `LK-KAM-${++users}`, name: 'Sızıntı kamerası', kind: 'PTZ', purpose: 'SECURITY', azimuth: 10, horizontalFov: 90, rangeMeters: 40,
            streamUrl: value, ownerOrgUnitId: String(orgUnitId), geometry: { type: 'Point', coordinates: P(0.004) },
          },
        },
      );
      expect(created.errors).toBeUndefined();
      const { id: cameraId, version } = created.data.createCamera;
      const updated = await app.gql(`mutation($id: ID!, $v: Int!) { updateCamera(id: $id, version: $v, input: { name: "Yeni ad" }) { id } }`, { id: cameraId, v: version });
      expect(updated.errors).toBeUndefined();
      return cameraId;
    },
    'USERS.email': async (value, orgUnitId) => {
      const created = await app.gql(`mutation($input: UserCreateInput!) { createUser(input: $input) { id } }`, {
        input: { username: `leak.user.${++users}`, fullName: 'Sızıntı Kullanıcı', email: value, orgUnitId: String(orgUnitId), password: 'uzun-bir-parola-2026' },
      });
      expect(created.errors).toBeUndefined();
      const userId = created.data.createUser.id;
      const updated = await app.gql(`mutation($id: ID!) { updateUser(id: $id, input: { fullName: "Başka Ad" }) { id } }`, { id: userId });
      expect(updated.errors).toBeUndefined();
      return userId;
    },
  };

  const fields = Object.entries(SENSITIVE_FIELDS).flatMap(([resource, names]) => names!.map((field) => ({ resource, field })));

  it('has a writer for every sensitive field (the cases below are generated from SENSITIVE_FIELDS)', () => {
    expect(Object.keys(WRITERS).sort()).toEqual(fields.map((f) => `${f.resource}.${f.field}`).sort());
  });

  it.each(fields.map((f) => [`${f.resource}.${f.field}`, f] as const))('withholds %s in before/after unless a grant naming it reaches the row', async (_name, { resource, field }) => {
    const value = field === 'email' ? `gizli.${++users}@nizip.bel.tr` : `${SECRET}/${++users}`;
    const entityId = await WRITERS[`${resource}.${field}`](value, id.own);
    const everyField = Object.values(SENSITIVE_FIELDS).flat() as string[];
    const audit: GrantSpec = { resource: 'AUDIT_LOG', action: 'READ' };
    const readers = {
      // An auditor: may read the log and every resource, but no sensitive field.
      auditor: await reader(id.other, [audit, ...readArgs(null)]),
      // Grants naming every sensitive field, limited to the holder's directorate: another one's row.
      otherDirectorate: await reader(id.other, [audit, ...readArgs(null, everyField, true)]),
      // The same grants, in the row's directorate: it sees the value, as in the entity's own queries.
      ownDirectorate: await reader(id.own, [audit, ...readArgs(null, everyField, true)]),
    };
    const Q = `query($e: Resource!, $id: ID!) { auditLog(filter: { entity: $e, entityId: $id }) { edges { node { action before after } } } }`;

    const asAdmin = await app.gql(Q, { e: resource, id: entityId });
    expect(asAdmin.errors).toBeUndefined();
    const snapshots = asAdmin.data.auditLog.edges.flatMap((e: any) => [e.node.before, e.node.after]).filter(Boolean);
    expect(snapshots).toHaveLength(3); // CREATE after, UPDATE before and after
    // Where the value is stored: under some key of each snapshot.
    const keys = snapshots.map((s: Record<string, unknown>) => Object.keys(s).find((k) => s[k] === value));
    expect(keys.every((k: string | undefined) => k !== undefined)).toBe(true);

    for (const [who, token] of Object.entries(readers)) {
      const res = await app.gql(Q, { e: resource, id: entityId }, token);
      expect([who, res.errors]).toEqual([who, undefined]);
      const seen = res.data.auditLog.edges.flatMap((e: any) => [e.node.before, e.node.after]).filter(Boolean);
      expect([who, seen.length]).toEqual([who, 3]);
      const shown = JSON.stringify(seen).includes(value);
      expect([who, shown]).toEqual([who, who === 'ownDirectorate']);
      if (who !== 'ownDirectorate') {
        // Withheld as everywhere: the key stays, its value is null; the other values are intact.
        seen.forEach((s: Record<string, unknown>, i: number) => {
          expect(s[keys[i]]).toBeNull();
          expect({ ...s, [keys[i]]: null }).toEqual({ ...snapshots[i], [keys[i]]: null });
        });
      }
    }
  });

  it('judges an area-limited grant on the row as the snapshot describes it (a camera inside or outside the area)', async () => {
    const value = `${SECRET}/area-${++users}`;
    const cameraId = await WRITERS['CAMERAS.streamUrl'](value, id.own);
    const [x, y] = P(0.004);
    const around: [number, number, number, number] = [x - 0.001, y - 0.001, x + 0.001, y + 0.001];
    const elsewhere: [number, number, number, number] = [x + 0.01, y + 0.01, x + 0.02, y + 0.02];
    const Q = `query($id: ID!) { auditLog(filter: { entity: CAMERAS, entityId: $id }) { edges { node { before after } } } }`;
    const seen = async (box: [number, number, number, number]) => {
      const token = await reader(id.other, [{ resource: 'AUDIT_LOG', action: 'READ' }, { resource: 'CAMERAS', action: 'READ', box, fields: ['streamUrl'] }]);
      const res = await app.gql(Q, { id: cameraId }, token);
      expect(res.errors).toBeUndefined();
      return res.data.auditLog.edges.flatMap((e: any) => [e.node.before?.stream_url, e.node.after?.stream_url]).filter((v: unknown) => v !== undefined);
    };
    expect(await seen(around)).toEqual([value, value, value]);
    expect(await seen(elsewhere)).toEqual([null, null, null]);
  });
});

describe('relations to vendors follow the VENDORS grant', () => {
  const Q = `query($a: ID!, $f: ID!) { asset(id: $a) { id vendor { name } } fault(id: $f) { id vendorRepairs { basis vendor { name } } } }`;

  it('gives Asset.vendor and VendorRepair.vendor only to a reader who may read vendors', async () => {
    const without = await app.gql(Q, { a: String(id.asset), f: String(id.fault) }, await reader(id.own, readAllBut(Resource.VENDORS)));
    expect(without.errors).toBeUndefined();
    expect(without.data).toEqual({
      asset: { id: String(id.asset), vendor: null },
      fault: { id: String(id.fault), vendorRepairs: [{ basis: 'WARRANTY', vendor: null }] },
    });
    // A VENDORS grant limited to a directorate reaches no vendor (vendors have no owner).
    const limited = await app.gql(Q, { a: String(id.asset), f: String(id.fault) }, await reader(id.own, readAllBut(Resource.VENDORS, [{ resource: 'VENDORS', action: 'READ', ownOrgUnitOnly: true }])));
    expect(limited.data.asset.vendor).toBeNull();
    expect(limited.data.fault.vendorRepairs[0].vendor).toBeNull();

    const withGrant = await app.gql(Q, { a: String(id.asset), f: String(id.fault) }, await reader(id.own, readAllBut(null)));
    expect(withGrant.data.asset.vendor).toEqual({ name: 'Sızıntı Bilişim' });
    expect(withGrant.data.fault.vendorRepairs[0].vendor).toEqual({ name: 'Sızıntı Bilişim' });
  });
});

describe('foreign-key ids in feature properties follow the grants on what they name', () => {
  /** The layer definitions the outputs serve: those of the OGC collections (the same as featureCollection's and the tiles'). */
  const definitions = (): { collection: string; query: string; layer: LayerDefinition<unknown> }[] =>
    COLLECTIONS.map((c) => ({
      collection: c.id,
      // The GraphQL list of each collection: network-lines -> networkLines.
      query: c.id.replace(/-(\w)/g, (_m, ch: string) => ch.toUpperCase()),
      layer: c.layer(app.knex, new Access(null, [], [])),
    }));

  /** The foreign keys of a table, as the database has them: column and referenced table. */
  async function foreignKeys(table: string): Promise<{ column: string; target: string }[]> {
    const { rows } = await app.knex.raw(
      `SELECT a.attname AS column, r.relname AS target
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ?
       ORDER BY a.attname`,
      [table],
    );
    return rows;
  }

  /**
   * Every id-reference property of every layer (each foreign key of its table, as a GraphQL field)
   * and the resource of the rows it names: the cases, generated from the database. Org units are
   * left out: anyone may read those.
   */
  async function cases() {
    const resourceOf: Record<string, Resource> = { users: Resource.USERS, vendors: Resource.VENDORS };
    for (const { layer } of definitions()) resourceOf[layer.table] = layer.resource;
    const found: { collection: string; query: string; field: string; target: Resource; layer: LayerDefinition<unknown> }[] = [];
    for (const { collection, query, layer } of definitions()) {
      for (const fk of await foreignKeys(layer.table)) {
        if (fk.target === 'org_units') continue;
        const field = Object.entries({ ownerOrgUnitId: 'owner_org_unit_id', ...layer.columns }).find(([, c]) => c === fk.column)?.[0];
        expect([layer.table, fk.column, field === undefined, resourceOf[fk.target]]).toEqual([layer.table, fk.column, false, expect.any(String)]);
        found.push({ collection, query, field: field!, target: resourceOf[fk.target], layer });
      }
    }
    return found;
  }

  it('finds id references to check: the data below sets each one', async () => {
    expect((await cases()).length).toBeGreaterThanOrEqual(10);
  });

  it('declares each of them in its layer definition, naming the table the database says', async () => {
    for (const { layer, field, target } of await cases()) {
      expect([layer.table, field, layer.references?.[field]?.resource]).toEqual([layer.table, field, target]);
    }
  });

  it('gives an id in featureCollection and OGC API items only to a reader who may read the row it names', async () => {
    for (const { collection, query, field, target } of await cases()) {
      const fc = async (token?: string) => {
        const res = await app.gql(`{ ${query}(first: 1000) { featureCollection } }`, {}, token);
        expect([collection, res.errors]).toEqual([collection, undefined]);
        return res.data[query].featureCollection.features as { id: number; properties: Record<string, unknown> }[];
      };
      const ogc = async (token?: string) => {
        const res = await ogcGet(app, `/ogc/collections/${collection}/items?limit=1000`, token);
        expect([collection, res.status]).toEqual([collection, 200]);
        return res.body.features as { id: number; properties: Record<string, unknown> }[];
      };
      const set = (await fc()).filter((f) => f.properties[field] != null);
      expect([collection, field, set.length > 0]).toEqual([collection, field, true]);
      expect((await ogc()).filter((f) => f.properties[field] != null).map((f) => f.id)).toEqual(set.map((f) => f.id));

      // No grant on the target; and a grant on it limited to a directorate that owns none of those rows.
      const readers = [
        await reader(id.other, readAllBut(target)),
        await reader(id.other, readAllBut(target, [{ resource: target, action: 'READ', ownOrgUnitOnly: true }])),
      ];
      for (const token of readers) {
        for (const [output, features] of [['featureCollection', await fc(token)], ['OGC items', await ogc(token)]] as const) {
          const seen = features.filter((f) => set.some((s) => s.id === f.id));
          expect([collection, output, seen.length]).toEqual([collection, output, set.length]);
          expect([collection, output, field, seen.map((f) => f.properties[field])]).toEqual([collection, output, field, seen.map(() => null)]);
        }
        const one = await ogcGet(app, `/ogc/collections/${collection}/items/${set[0].id}`, token);
        expect([collection, field, one.body.properties[field]]).toEqual([collection, field, null]);
      }
    }
  });

  it('answers the GraphQL relation of such an id with null, without an error (a line whose node the reader may not read)', async () => {
    const Q = `{ networkLines(first: 1000) { edges { node { id aEnd { __typename } zEnd { __typename } } } } }`;
    const res = await app.gql(Q, {}, await reader(id.other, readAllBut(Resource.NETWORK_NODES)));
    expect(res.errors).toBeUndefined();
    const ends = Object.fromEntries(res.data.networkLines.edges.map((e: any) => [e.node.id, [e.node.aEnd?.__typename ?? null, e.node.zEnd?.__typename ?? null]]));
    expect(ends[String(id.lineAz)]).toEqual([null, 'RemoteUnit']);
    expect(ends[String(id.lineZa)]).toEqual(['RemoteUnit', null]);
  });

  it('puts no id a reader may not follow into a tile (the tile attributes that are id references; none today)', async () => {
    for (const { collection, field, target } of await cases()) {
      const tileLayer = TILE_LAYERS.find((l) => l.name === collection);
      if (!tileLayer || !(field in tileLayer.attributes)) continue;
      const t = tileAt(...P(0), tileLayer.maxzoom - 4);
      const set = ((await fetchTile(app, tileLayer.name, t))?.features ?? []).filter((f) => f.properties[field] != null);
      expect(set.length).toBeGreaterThan(0);
      const blind = await fetchTile(app, tileLayer.name, t, await reader(id.other, readAllBut(target)));
      expect(blind!.features.filter((f) => set.some((s) => s.id === f.id)).map((f) => f.properties[field] ?? null)).toEqual(set.map(() => null));
    }
  });
});

describe('CONFLICT on an open fault names it only to who may read it', () => {
  const REPORT = `mutation($a: ID!) { reportFault(input: { assetId: $a, category: HARDWARE, description: "Yine bozuk" }) { id } }`;
  const REOPEN = `mutation($id: ID!, $v: Int!) { reopenFault(id: $id, version: $v, note: "Olmadı") { id } }`;

  it('reportFault and reopenFault say that the asset has an open fault without naming one the caller may not read', async () => {
    const asset = await insertAsset(app.knex, ...P(0.005), id.own, { state: 'FAULTY' });
    // The open fault belongs to another directorate; the caller's own is resolved.
    const hidden = await insertFault(app.knex, { owner: id.other, assetId: asset, state: 'NEW', reportedAt: '2026-02-01T09:00:00Z' });
    const mine = await insertFault(app.knex, { owner: id.own, assetId: asset, state: 'RESOLVED', reportedAt: '2026-01-01T09:00:00Z', resolvedAt: '2026-01-02T09:00:00Z' });
    const own: GrantSpec[] = [
      { resource: 'ASSETS', action: 'READ' },
      { resource: 'FAULTS', action: 'READ', ownOrgUnitOnly: true },
      { resource: 'FAULTS', action: 'CREATE', ownOrgUnitOnly: true },
    ];
    const token = await reader(id.own, own);
    expect(codeOf(await app.gql(`query($id: ID!) { fault(id: $id) { id } }`, { id: String(hidden) }, token))).toBe('NOT_FOUND');

    const report = await app.gql(REPORT, { a: String(asset) }, token);
    expect(codeOf(report)).toBe('CONFLICT');
    expect(report.errors![0].message).toBe(`asset ${asset} already has an open fault; you may not read it, so it is not named here`);
    expect(report.errors![0].extensions!.openFaultId).toBeUndefined();

    const reopen = await app.gql(REOPEN, { id: String(mine), v: 1 }, token);
    expect(codeOf(reopen)).toBe('CONFLICT');
    expect(reopen.errors![0].message).toBe('the asset has another open fault; you may not read it, so it is not named here');
    expect(reopen.errors![0].extensions!.openFaultId).toBeUndefined();

    // Who may read it is told which one.
    const named = await app.gql(REPORT, { a: String(asset) }, await reader(id.own, [...own, { resource: 'FAULTS', action: 'READ' }]));
    expect(codeOf(named)).toBe('CONFLICT');
    expect(named.errors![0].message).toBe(`asset ${asset} already has an open fault, ${hidden}: add to that one instead`);
    expect(named.errors![0].extensions!.openFaultId).toBe(String(hidden));
    expect(await app.knex('faults').where({ asset_id: asset }).count({ n: '*' }).first()).toEqual({ n: 2 });
  });
});

describe("an anonymous tile's ETag depends only on what the request may read", () => {
  it('stays when a non-public row changes, and changes when a public one does', async () => {
    await insertGrant(app.knex, await publicRoleId(app.knex), { resource: 'CAMERAS', action: 'READ' });
    const shown = await insertCamera(app.knex, ...P(0.006));
    const hidden = await insertCamera(app.knex, ...P(0.0061));
    await app.knex('cameras').where({ id: shown }).update({ is_public: true });
    const path = tilePath('cameras', tileAt(...P(0.006), 16));
    const etag = async () => {
      const res = await getTiles(app, path, null);
      expect(res.status).toBe(200);
      return res.headers.get('etag');
    };
    const edit = (cameraId: number, name: string) =>
      app.knex('cameras').where({ id: cameraId }).update({ name, version: app.knex.raw('version + 1'), updated_at: app.knex.raw("now() + interval '1 minute'") });

    const first = await etag();
    await edit(hidden, 'Gizli kamera, yeni adıyla');
    expect(await etag()).toBe(first);
    // Nor when one leaves or joins what others see, but not anonymous requests (here: stays non-public).
    await app.knex('cameras').where({ id: hidden }).delete();
    expect(await etag()).toBe(first);

    await edit(shown, 'Açık kamera, yeni adıyla');
    const second = await etag();
    expect(second).not.toBe(first);
    await app.knex('cameras').where({ id: shown }).update({ is_public: false });
    expect(await etag()).not.toBe(second);
  });
});

describe('neighbourhood counts follow the lists', () => {
  it('counts, for every counted layer, what the list inside the neighbourhood holds: no disposed assets', async () => {
    await insertAsset(app.knex, ...P(0.007), id.own, { state: 'DISPOSED' });
    await insertAsset(app.knex, ...P(0.0071), id.own, { state: 'IN_STOCK' });
    const fields = Object.keys(COUNTED_LAYERS);
    const lists = fields.map((f) => `${f}(spatial: { inNeighbourhood: $n }) { totalCount }`).join(' ');
    const res = await app.gql(`query($n: ID!) { neighbourhood(id: $n) { counts { ${fields.join(' ')} } } ${lists} }`, { n: String(id.n) });
    expect(res.errors).toBeUndefined();
    const listed = Object.fromEntries(fields.map((f) => [f, res.data[f].totalCount]));
    expect(res.data.neighbourhood.counts).toEqual(listed);
    const active = await app.knex('assets').whereNot({ state: 'DISPOSED' }).count({ n: '*' }).first();
    expect(listed.assets).toBe(Number(active!.n));
  });
});
