import { writeFile } from 'node:fs/promises';
import { startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { fixtureDir, importCli, writeGeoJson } from './helpers/import';
import { IMPORT_LAYERS, importReferences } from '../src/modules/imports/import-layers';

let app: TestApp;
let fx: Awaited<ReturnType<typeof fixtureDir>>;
const ADMIN = 'kbs-test-admin';

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  fx = await fixtureDir();
});

afterAll(async () => {
  await fx?.remove();
  await app?.close();
});

/** A CSV as a spreadsheet saves it: UTF-8 with BOM, ";" between columns. */
const csv = async (name: string, lines: string[]) => {
  const file = fx.file(name);
  await writeFile(file, `\uFEFF${lines.join('\r\n')}\r\n`);
  return file;
};

const rejectedRows = (out: string) =>
  out.includes('rejected rows:\n') ? out.split('rejected rows:\n')[1].trim().split('\n').map((l) => l.trim().split('\t')) : [];

/** A stored row as an insert takes it: its generated columns (a camera's fov) left out. */
async function insertable(table: string, row: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { rows } = await app.knex.raw(`SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND attgenerated <> ''`, [table]);
  for (const { attname } of rows as { attname: string }[]) delete row[attname];
  return row;
}

/** A new camera (a copy of a stored one under another code, serving the same) that no asset is yet. */
async function newCamera(code: string): Promise<{ id: number; code: string; wkt: string }> {
  const { id: _id, created_at: _c, updated_at: _u, version: _v, ...camera } = await app.knex('cameras').orderBy('id').first();
  const [row] = await app.knex('cameras').insert({ ...(await insertable('cameras', camera)), code }).returning(['id', 'code', app.knex.raw('ST_AsText(geom) AS wkt')]);
  return row;
}

const HEADER = 'Demirbaş No;Seri No;Cinsi;Marka;Model;Konum;Alım Tarihi;IP Adresi;MAC Adresi;Kamera;Uzak Birim;Birim';

describe('the asset register from a spreadsheet', () => {
  it('no coordinates: each asset placed at its camera or remote unit (named by code or id); Turkish type names; audited; the same file again changes nothing', async () => {
    const unit = await app.knex('remote_units').orderBy('id').first('id', 'code', app.knex.raw('ST_AsText(geom) AS wkt'));
    const camera = await newCamera('KAM-IMPORT-1');
    const owner = await app.knex('org_units').where({ code: 'BIM' }).first('id', 'code');
    const file = await csv('envanter.csv', [
      HEADER,
      `D-2026-0001;SN-PC-1;Masaüstü Bilgisayar;Dell;OptiPlex 7010;Bilgi İşlem 2. kat;15.03.2024;10.20.30.41;08:00:2b:01:02:03;;${unit.code};${owner.id}`,
      `D-2026-0002;SN-CAM-1;Kamera;Hikvision;DS-2CD;Direk 12;01.04.2024;10.20.30.42;0800.2b01.0204;${camera.code};;${owner.code}`,
      `D-2026-0003;SN-UPS-1;Kesintisiz Güç Kaynağı;APC;SMT1500;Sistem odası;2024-05-01;;;;${unit.id};${owner.id}`,
    ]);
    const args = ['--map', 'Kamera=cameraId', '--map', 'Uzak Birim=remoteUnitId', '--map', 'Birim=ownerOrgUnitId', '--as', ADMIN];
    const dry = await importCli(app.knex, 'assets', file, '--dry-run', ...args);
    expect(dry.out).toMatch(/no geometry column: each asset takes the position of its cameraId or remoteUnitId, or keeps its stored one/);
    expect(dry.out).toMatch(/Demirbaş No -> inventoryNo, Seri No -> serialNo, Cinsi -> type, Marka -> make, Model -> model, Konum -> site, Alım Tarihi -> purchasedOn, IP Adresi -> ipAddress, MAC Adresi -> macAddress/);
    expect(dry.out).toMatch(/dry run: would insert 3, update 0, leave 0 unchanged, reject 0; nothing was written/);
    expect(await app.knex('assets').whereIn('inventory_no', ['D-2026-0001', 'D-2026-0002', 'D-2026-0003']).count({ n: '*' })).toEqual([{ n: 0 }]);

    const done = await importCli(app.knex, 'assets', file, ...args);
    expect([done.code, done.err.includes('\n    at ')]).toEqual([0, false]);
    expect(done.out).toMatch(/written: inserted 3, updated 0, left 0 unchanged/);
    const rows = await app.knex('assets').whereIn('inventory_no', ['D-2026-0001', 'D-2026-0002', 'D-2026-0003']).orderBy('inventory_no')
      .select('inventory_no', 'type', 'state', 'camera_id', 'remote_unit_id', 'purchased_on', app.knex.raw('host(ip_address) AS ip'), app.knex.raw('mac_address::text AS mac'), app.knex.raw('ST_AsText(geom) AS wkt'));
    expect(rows).toEqual([
      expect.objectContaining({ inventory_no: 'D-2026-0001', type: 'COMPUTER', state: 'IN_STOCK', remote_unit_id: unit.id, ip: '10.20.30.41', mac: '08:00:2b:01:02:03', wkt: unit.wkt }),
      expect.objectContaining({ inventory_no: 'D-2026-0002', type: 'CAMERA', camera_id: camera.id, mac: '08:00:2b:01:02:04', wkt: camera.wkt }),
      expect.objectContaining({ inventory_no: 'D-2026-0003', type: 'UPS', ip: null, mac: null, wkt: unit.wkt }),
    ]);
    // Each written asset has its CREATE audit row naming the import, as the API shows it.
    const id = /^import ([0-9a-f-]{36})/.exec(done.out)![1];
    const audit = await app.gql(`{ auditLog(filter: { entity: ASSETS }, first: 100) { edges { node { action requestId after } } } }`);
    const mine = audit.data.auditLog.edges.filter((e: { node: { requestId: string } }) => e.node.requestId === `import:${id}`);
    expect(mine.map((e: { node: { action: string; after: { inventory_no: string } } }) => [e.node.action, e.node.after.inventory_no]).sort()).toEqual([
      ['CREATE', 'D-2026-0001'], ['CREATE', 'D-2026-0002'], ['CREATE', 'D-2026-0003'],
    ]);
    // The GraphQL API reads them as it reads any asset.
    const read = await app.gql(`{ assetByNumber(number: "D-2026-0002") { type camera { id } geometry } }`);
    expect(read.errors).toBeUndefined();
    expect(read.data.assetByNumber).toMatchObject({ type: 'CAMERA', camera: { id: String(camera.id) } });

    const again = await importCli(app.knex, 'assets', file, '--mode', 'upsert', ...args);
    expect(again.out).toMatch(/written: inserted 0, updated 0, left 3 unchanged/);

    // An update by inventory number: the new make, the stored state kept, one UPDATE audit row.
    await app.knex('assets').where({ inventory_no: 'D-2026-0003' }).update({ state: 'IN_USE' });
    const changed = await csv('envanter-2.csv', [HEADER, `D-2026-0003;SN-UPS-1;UPS;Eaton;5P;Sistem odası;2024-05-01;;;;${unit.id};${owner.id}`]);
    const upd = await importCli(app.knex, 'assets', changed, '--mode', 'upsert', ...args);
    expect(upd.out).toMatch(/written: inserted 0, updated 1, left 0 unchanged/);
    expect(await app.knex('assets').where({ inventory_no: 'D-2026-0003' }).first('make', 'state', 'version')).toEqual({ make: 'Eaton', state: 'IN_USE', version: 2 });
  });

  it('the dry run names every rejected row of the register, and writes nothing', async () => {
    const unit = await app.knex('remote_units').orderBy('id').first('id');
    const linked = await app.knex('assets').whereNotNull('camera_id').first('camera_id', 'serial_no');
    const free = await newCamera('KAM-IMPORT-2');
    const file = await csv('kotu-envanter.csv', [
      'Demirbaş No;Seri No;Cinsi;IP Adresi;MAC Adresi;Kamera;Uzak Birim;Tedarikçi',
      `R-1;RS-1;Bilgisayar;10.0.0.1;;;${unit.id};`,
      `R-2;RS-2;Daktilo;;;;${unit.id};`,
      `R-3;RS-3;Yazıcı;10.0.0.300;;;${unit.id};`,
      `R-4;RS-4;Yazıcı;;08:00:2b:01:02;;${unit.id};`,
      `R-5;RS-5;Yazıcı;;;${free.id};;`,
      `R-6;RS-6;Kamera;;;2147483000;;`,
      `R-7;RS-7;Bilgisayar;;;;;`,
      `R-8;RS-1;Bilgisayar;;;;${unit.id};`,
      `R-9;${linked.serial_no};Bilgisayar;;;;${unit.id};`,
      `R-10;RS-10;Kamera;;;${linked.camera_id};;`,
      `R-11;RS-11;Bilgisayar;;;;${unit.id};2147483000`,
      `R-1;RS-12;Bilgisayar;;;;${unit.id};`,
      `R-13;RS-13;Bilgisayar;;;;UB-YOK;`,
    ]);
    const res = await importCli(app.knex, 'assets', file, '--map', 'Kamera=cameraId', '--map', 'Uzak Birim=remoteUnitId', '--map', 'Tedarikçi=vendorId', '--set', 'ownerOrgUnitId=1', '--dry-run', '--as', ADMIN);
    expect(res.code).toBe(1);
    expect(rejectedRows(res.out)).toEqual([
      ['row 2', 'type', 'unknown value "Daktilo": one of COMPUTER, LAPTOP, PRINTER, SCANNER, MONITOR, UPS, SWITCH, ROUTER, FIREWALL, SERVER, MODEM, PHONE, PBX, CAMERA, NVR, SPLICE_BOX, LEASED_LINE, OTHER'],
      ['row 3', 'ipAddress', '"10.0.0.300" is not an IP address (e.g. 10.20.30.40, 10.20.30.0/24 or 2001:db8::1)'],
      ['row 4', 'macAddress', '"08:00:2b:01:02" is not a MAC address (e.g. 08:00:2b:01:02:03)'],
      ['row 5', 'cameraId', 'only an asset of type CAMERA can be a camera, not PRINTER'],
      ['row 6', 'cameraId', 'there is no camera 2147483000 (among those you may read)'],
      ['row 7', 'geometry', 'missing: a new asset needs a geometry, a cameraId or a remoteUnitId'],
      ['row 8', 'serialNo', 'the same serialNo as row 1 of the file'],
      ['row 9', 'serialNo', 'another asset has this serialNo already'],
      ['row 10', 'cameraId', 'another asset has this cameraId already'],
      ['row 11', 'vendorId', 'there is no vendor 2147483000 (among those you may read)'],
      ['row 12', 'inventoryNo', 'the same inventoryNo as row 1 of the file'],
      ['row 13', 'remoteUnitId', 'there is no remote unit "UB-YOK" (among those you may read)'],
    ]);
    expect(res.out).toMatch(/would insert 1, update 0, leave 0 unchanged, reject 12; nothing was written/);
    expect(await app.knex('assets').where('inventory_no', 'like', 'R-%').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('grants per row: an editor of its own directorate imports assets of that directorate only', async () => {
    const [teknik, fen] = await Promise.all(['TEKNIK', 'FEN'].map((code) => app.knex('org_units').where({ code }).first('id')));
    await insertUserWithGrants(app.knex, teknik.id, 'envanter.editoru', [
      { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true },
      { resource: 'ASSETS', action: 'CREATE', ownOrgUnitOnly: true },
      { resource: 'REMOTE_UNITS', action: 'READ' },
    ]);
    const unit = await app.knex('remote_units').orderBy('id').first('id');
    const file = await csv('birim.csv', ['Demirbaş No;Seri No;Cinsi;Uzak Birim;Birim', `G-1;GS-1;Bilgisayar;${unit.id};${teknik.id}`, `G-2;GS-2;Bilgisayar;${unit.id};${fen.id}`]);
    const args = ['--map', 'Uzak Birim=remoteUnitId', '--map', 'Birim=ownerOrgUnitId', '--as', 'envanter.editoru'];
    const res = await importCli(app.knex, 'assets', file, ...args);
    expect(res.code).toBe(1);
    expect(rejectedRows(res.out)).toEqual([['row 2', 'ownerOrgUnitId', 'outside the area or directorate where you may create assets']]);
    const ok = await csv('birim-2.csv', ['Demirbaş No;Seri No;Cinsi;Uzak Birim;Birim', `G-1;GS-1;Bilgisayar;${unit.id};${teknik.id}`]);
    expect((await importCli(app.knex, 'assets', ok, ...args)).out).toMatch(/written: inserted 1/);
  });

  it('createAsset refuses a malformed IP or MAC address naming the field (not the database\'s nameless message)', async () => {
    const unit = await app.knex('remote_units').orderBy('id').first('id');
    for (const [field, value, message] of [
      ['ipAddress', '10.0.0.256', /^input.ipAddress "10.0.0.256" is not an IP address/],
      ['macAddress', 'zz:00:2b:01:02:03', /^input.macAddress "zz:00:2b:01:02:03" is not a MAC address/],
    ] as const) {
      const res = await app.gql(
        `mutation($v: String) { createAsset(input: { inventoryNo: "M-1", serialNo: "MS-1", type: COMPUTER, remoteUnitId: "${unit.id}", ${field}: $v }) { id } }`,
        { v: value },
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    const ok = await app.gql(`mutation { createAsset(input: { inventoryNo: "M-1", serialNo: "MS-1", type: COMPUTER, remoteUnitId: "${unit.id}", ownerOrgUnitId: "1", ipAddress: "2001:db8::1/64", macAddress: "08002b-010203" }) { ipAddress macAddress } }`);
    expect(ok.errors).toBeUndefined();
  });
});

/**
 * Every import target, from its schema: a copy of a stored feature whose reference field names a row
 * that does not exist is refused on that field; one that repeats a unique field of another stored
 * feature (besides the natural key) is refused on that field. Nothing reaches the database's
 * constraint errors, which would fail the whole import without a row number.
 */
describe('references and unique fields of every import target', () => {
  /** The definitions only, which do not depend on who asks. */
  const anyone = { condition: () => null } as never;
  const cases: [string, string][] = [];
  for (const layer of Object.values(IMPORT_LAYERS)) {
    const definition = layer.definition(null as never, anyone);
    for (const field of Object.keys(importReferences(definition))) if (field in layer.fields) cases.push([layer.name, field]);
  }
  const definitionOf = (layerName: string) => IMPORT_LAYERS[layerName].definition(app.knex, anyone);
  const referenceOf = (layerName: string, field: string) => importReferences(definitionOf(layerName))[field];
  const columnOf = (layerName: string, field: string) => definitionOf(layerName).columns[field] ?? { ownerOrgUnitId: 'owner_org_unit_id' }[field]!;

  /** A stored feature of the layer (the first whose `where` holds) as an importable GeoJSON feature, its fields by name. */
  async function stored(layerName: string, where: string): Promise<{ properties: Record<string, unknown>; geometry: unknown }> {
    const layer = IMPORT_LAYERS[layerName];
    const definition = definitionOf(layerName);
    const columns = Object.entries(definition.columns).filter(([f]) => f in layer.fields);
    const row = await app.knex(definition.table).whereRaw(where).orderBy('id').first(
      ...columns.map(([f, c]) => app.knex.raw('??::text AS ??', [c, f])),
      app.knex.raw('owner_org_unit_id::text AS "ownerOrgUnitId"'),
      app.knex.raw('ST_AsGeoJSON(geom)::json AS geometry'),
    );
    expect(row).toBeDefined();
    const { geometry, ...properties } = row;
    for (const k of Object.keys(properties)) if (properties[k] === null) delete properties[k];
    return { properties, geometry };
  }

  /** The fields of each unique index of plain columns of the layer, besides its natural key. */
  async function uniqueSets(layerName: string): Promise<string[][]> {
    const layer = IMPORT_LAYERS[layerName];
    const definition = definitionOf(layerName);
    const { rows } = await app.knex.raw(
      `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = ?::regclass AND i.indisunique AND NOT i.indisprimary AND i.indexprs IS NULL AND i.indpred IS NULL GROUP BY i.indexrelid`,
      [definition.table],
    );
    const keyColumns = layer.key.map((f) => definition.columns[f]).sort().join();
    const field = (c: string) => Object.entries(definition.columns).find(([, col]) => col === c)![0];
    return rows.map((r: { columns: string[] }) => r.columns).filter((cs: string[]) => [...cs].sort().join() !== keyColumns).map((cs: string[]) => cs.map(field));
  }

  /**
   * The feature made new: its key and its unique fields (but `keep`) changed (optional ones of one
   * column left out; of an index of several columns, a text one changed), so that it collides with nothing.
   */
  async function renewed(layerName: string, props: Record<string, unknown>, n: number, keep?: string): Promise<Record<string, unknown>> {
    const layer = IMPORT_LAYERS[layerName];
    const changed = (v: unknown) => (/^\d+$/.test(String(v)) ? String(Number(v) + 100000 + n) : `${String(v)}-X${n}`);
    for (const f of layer.key) props[f] = changed(props[f]);
    for (const set of await uniqueSets(layerName)) {
      if (keep && set.includes(keep)) continue;
      if (set.length > 1) {
        const f = set.find((x) => layer.fields[x].type() === String) ?? set[0];
        props[f] = changed(props[f]);
      } else if (layer.fields[set[0]].required) props[set[0]] = `U-${set[0]}-${n}`;
      else delete props[set[0]];
    }
    return props;
  }

  it.each(cases.filter(([l, f]) => importReferences(IMPORT_LAYERS[l].definition(null as never, anyone))[f].code))('%s: %s given as a code names the row with that code, and an unknown code is refused', async (layerName, field) => {
    const definition = definitionOf(layerName);
    const ref = referenceOf(layerName, field);
    const column = columnOf(layerName, field);
    const feature = await stored(layerName, `${column} IS NOT NULL`);
    await renewed(layerName, feature.properties, 5);
    // A row no feature of the layer refers to yet (a unique reference, as an asset's camera, takes no second one).
    const free = await app.knex(ref.table)
      .whereNotExists(app.knex(definition.table).whereRaw('?? = ??', [`${definition.table}.${column}`, `${ref.table}.id`]))
      .orderBy('id').first(`${ref.code} AS code`);
    if (free) feature.properties[field] = free.code;
    else {
      const { id: _i, created_at: _c, updated_at: _u, version: _v, ...row } = await app.knex(ref.table).orderBy('id').first();
      // The copy takes none of the row's other unique references (a node's asset).
      const { rows: unique } = await app.knex.raw(
        `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indrelid = ?::regclass AND i.indisunique AND NOT i.indisprimary AND i.indnatts = 1`,
        [ref.table],
      );
      for (const { name } of unique as { name: string }[]) if (name !== ref.code && row[name] != null && /_id$/.test(name)) row[name] = null;
      feature.properties[field] = (await app.knex(ref.table).insert({ ...(await insertable(ref.table, row)), [ref.code!]: `COPY-${field}` }).returning(`${ref.code} AS code`))[0].code;
    }
    const unknown = JSON.parse(JSON.stringify(feature));
    await renewed(layerName, unknown.properties, 6);
    unknown.properties[field] = 'YOK-KOD-1';
    const file = await writeGeoJson(fx.file(`${layerName}-${field}-code.geojson`), [feature, unknown]);
    const res = await importCli(app.knex, layerName, file, '--dry-run', '--as', ADMIN);
    const what = ref.table.replace(/_/g, ' ').replace(/s$/, '');
    expect(rejectedRows(res.out)).toEqual([['row 2', field, `there is no ${what} "YOK-KOD-1" (among those you may read)`]]);
    expect(res.out).toMatch(/would insert 1, update 0, leave 0 unchanged, reject 1/);
  });

  it('covers the targets that have references', () => {
    expect(cases.map(([l, f]) => `${l}.${f}`)).toEqual(expect.arrayContaining(['network-lines.aNodeId', 'assets.cameraId', 'parcels.ownerOrgUnitId']));
  });

  it.each(cases)('%s: %s naming no row is refused on that field', async (layerName, field) => {
    const column = columnOf(layerName, field);
    const feature = await stored(layerName, `${column} IS NOT NULL`);
    await renewed(layerName, feature.properties, 1);
    feature.properties[field] = '2147483000';
    const file = await writeGeoJson(fx.file(`${layerName}-${field}.geojson`), [feature]);
    const res = await importCli(app.knex, layerName, file, '--dry-run', '--as', ADMIN);
    expect([res.code, res.err.includes('\n    at ')]).toEqual([1, false]);
    const what = referenceOf(layerName, field).table.replace(/_/g, ' ').replace(/s$/, '');
    expect(rejectedRows(res.out)).toEqual([['row 1', field, `there is no ${what} 2147483000 (among those you may read)`]]);
  });

  it('every unique index besides the key, of every import target, is checked against stored features and within the file', async () => {
    const checked: string[] = [];
    for (const layerName of Object.keys(IMPORT_LAYERS)) {
      const layer = IMPORT_LAYERS[layerName];
      for (const set of await uniqueSets(layerName)) {
        const where = set.map((f) => `${columnOf(layerName, f)} IS NOT NULL`).join(' AND ');
        const a = await stored(layerName, where);
        const b = await stored(layerName, where);
        await renewed(layerName, a.properties, 2, set[0]);
        await renewed(layerName, b.properties, 3, set[0]);
        const file = await writeGeoJson(fx.file(`${layerName}-${set.join('-')}-unique.geojson`), [a, b]);
        const res = await importCli(app.knex, layerName, file, '--dry-run', '--as', ADMIN);
        const fields = set.join('+');
        expect([layerName, fields, res.code, res.err.includes('\n    at ')]).toEqual([layerName, fields, 1, false]);
        expect(rejectedRows(res.out)).toEqual([
          ['row 1', fields, `another ${layer.what} has this ${fields} already`],
          ['row 2', fields, `the same ${fields} as row 1 of the file`],
        ]);
        checked.push(`${layerName}.${fields}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['assets.serialNo', 'assets.cameraId', 'neighbourhoods.province+district+name']));
  });
});
