import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, TEST_AUTH, type TestApp } from './helpers/app';
import { tokenFor } from './helpers/access';
import { fixtureDir, ogr2ogr, writeGeoJson, type Feature } from './helpers/import';
import { createServer } from '../src/server';
import { createKnex } from '../src/db/knex';
import { GeoService } from '../src/geo/geo.service';
import { silentLogger } from '../src/logger';

/** Imports over HTTP: POST /imports and the jobs it starts, through the real server. */
let app: TestApp;
let fx: Awaited<ReturnType<typeof fixtureDir>>;
let uploads: string;
const MAX_BYTES = 256 * 1024;
/** Sample users: Fen İşleri's editor (network nodes and lines in the northern neighbourhoods), the analyst (reads only), the auditor (the audit log). */
const token: Record<string, string> = {};
/** A point well inside Sakarya, one of the editor's neighbourhoods. */
let at: [number, number];

const JOB = `id importId state layer fileName fileSize mode dryRun committed format crs startedByUsername startedBy { username }
  createdAt startedAt finishedAt progress { phase rows fraction } counts { rows inserted updated unchanged rejected } error { code message }`;

/** Uploads a file with form fields, as a browser's FormData or curl -F does. */
async function upload(file: Buffer | string, name: string, fields: Record<string, string | string[]>, as: string | null = token.editor) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) form.append(k, value);
  form.append('file', new Blob([typeof file === 'string' ? await readFile(file) : file]), name);
  const headers: Record<string, string> = as ? { authorization: `Bearer ${as}` } : {};
  const res = await fetch(`${app.url}/imports`, { method: 'POST', body: form, headers });
  return { status: res.status, location: res.headers.get('location'), body: (await res.json()) as any };
}

/** The job through GraphQL, polled until it is final. */
async function finished(id: string, as = token.editor) {
  for (let i = 0; i < 300; i++) {
    const res = await app.gql(`query($id: ID!) { importJob(id: $id) { ${JOB} } }`, { id }, as);
    expect(res.errors).toBeUndefined();
    const job = res.data.importJob;
    if (!['QUEUED', 'RUNNING'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

const node = (code: string, dx = 0, extra: Record<string, unknown> = {}): Feature => ({
  properties: { kod: code, ad: `Düğüm ${code} Şıhlar`, kind: 'CABINET', ...extra },
  geometry: { type: 'Point', coordinates: [at[0] + dx, at[1]] },
});

const nodes = async (prefix: string) => app.knex('network_nodes').where('code', 'like', `${prefix}%`).orderBy('code').select('code', 'name', 'kind', 'version');

const auditOf = async (importId: string) => {
  const res = await app.gql(`{ auditLog(filter: { entity: NETWORK_NODES }, first: 1000) { edges { node { action requestId actorUsername } } } }`);
  return (res.data.auditLog.edges as { node: { action: string; requestId: string; actorUsername: string } }[]).map((e) => e.node).filter((n) => n.requestId === `import:${importId}`);
};

beforeAll(async () => {
  uploads = await mkdtemp(path.join(tmpdir(), 'kbs-uploads-test-'));
  app = await startTestApp({ seed: true, server: { imports: { maxBytes: MAX_BYTES, uploadDir: uploads } } });
  fx = await fixtureDir();
  const users = await app.knex('users').whereIn('username', ['fatma.kaya', 'zeynep.arslan', 'elif.yurt']).select('id', 'username');
  const id = (u: string) => users.find((x) => x.username === u).id;
  token.editor = tokenFor(id('fatma.kaya'), 3600);
  token.analyst = tokenFor(id('zeynep.arslan'), 3600);
  token.auditor = tokenFor(id('elif.yurt'), 3600);
  const [p] = (await app.knex.raw(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) p FROM neighbourhoods WHERE name = 'Sakarya') s`)).rows;
  at = [p.x, p.y];
});

afterAll(async () => {
  await fx?.remove();
  await app?.close();
  await rm(uploads, { recursive: true, force: true });
});

describe('POST /imports starts a job; importJob shows it to the end', () => {
  it('a GeoJSON uploaded by the network editor: 202 with Location, SUCCEEDED, rows written and audited as the editor, the upload removed', async () => {
    const file = await writeGeoJson(fx.file('dugumler.geojson'), [node('HTTP-1'), node('HTTP-2', 0.00001), node('HTTP-3', -0.00001)]);
    const res = await upload(file, 'düğümler.geojson', { layer: 'network-nodes', set: 'status=PLANNED' });
    expect(res.status).toBe(202);
    expect(res.location).toBe(`/imports/${res.body.id}`);
    expect(res.body).toMatchObject({ state: 'QUEUED', layer: 'network-nodes', fileName: 'düğümler.geojson', mode: 'INSERT', dryRun: false, startedBy: { username: 'fatma.kaya' } });

    const job = await finished(res.body.id);
    expect(job).toMatchObject({
      state: 'SUCCEEDED', committed: true, format: 'GeoJSON', fileName: 'düğümler.geojson', fileSize: (await readFile(file)).length, mode: 'INSERT', dryRun: false,
      startedByUsername: 'fatma.kaya', startedBy: null, // the editor may not read user accounts
      progress: { phase: 'done', rows: 3, fraction: 1 }, counts: { rows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 }, error: null,
    });
    expect(new Date(job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.startedAt).getTime());
    expect(await nodes('HTTP-')).toEqual([
      { code: 'HTTP-1', name: 'Düğüm HTTP-1 Şıhlar', kind: 'CABINET', version: 1 },
      { code: 'HTTP-2', name: 'Düğüm HTTP-2 Şıhlar', kind: 'CABINET', version: 1 },
      { code: 'HTTP-3', name: 'Düğüm HTTP-3 Şıhlar', kind: 'CABINET', version: 1 },
    ]);
    expect(await app.knex('network_nodes').where('code', 'like', 'HTTP-%').distinct('status')).toEqual([{ status: 'PLANNED' }]);
    const audit = await auditOf(job.importId);
    expect(audit).toHaveLength(3);
    expect(audit.every((a) => a.action === 'CREATE' && a.actorUsername === 'fatma.kaya')).toBe(true);
    expect(await readdir(uploads)).toEqual([]);

    // GET /imports/{id}: the same job as JSON
    const get = await fetch(`${app.url}${res.location}`, { headers: { authorization: `Bearer ${token.editor}` } });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ id: res.body.id, state: 'SUCCEEDED', counts: { inserted: 3 }, rejections: [], error: null });
  });

  it('a zipped Shapefile in TM39 and cp1254 written by ogr2ogr, as upsert; the same file again (dry run) changes nothing', async () => {
    const src = await writeGeoJson(fx.file('shp-src.geojson'), [node('HTTP-1', 0, { ad: 'Işıklı Kavşak Dolabı' }), node('HTTP-2', 0.00001, { kind: 'SWITCH' }), node('HTTP-4', 0.00002)]);
    const shp = await ogr2ogr(fx.file('dugumler.shp.zip'), src, '-t_srs', 'EPSG:5257', '-lco', 'ENCODING=CP1254');
    const res = await upload(shp, 'dugumler.shp.zip', { layer: 'network-nodes', mode: 'upsert', set: 'status=PLANNED' });
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ state: 'SUCCEEDED', format: 'Shapefile', mode: 'UPSERT', counts: { rows: 3, inserted: 1, updated: 2, unchanged: 0, rejected: 0 } });
    expect(job.crs).toMatch(/^EPSG:5257 \(TUREF \/ TM39\)/);
    expect((await nodes('HTTP-')).map((n) => [n.code, n.name, n.kind, n.version])).toEqual([
      ['HTTP-1', 'Işıklı Kavşak Dolabı', 'CABINET', 2], ['HTTP-2', 'Düğüm HTTP-2 Şıhlar', 'SWITCH', 2], ['HTTP-3', 'Düğüm HTTP-3 Şıhlar', 'CABINET', 1], ['HTTP-4', 'Düğüm HTTP-4 Şıhlar', 'CABINET', 1],
    ]);
    expect((await auditOf(job.importId)).map((a) => a.action).sort()).toEqual(['CREATE', 'UPDATE', 'UPDATE']);

    const again = await finished((await upload(shp, 'dugumler.shp.zip', { layer: 'network-nodes', mode: 'upsert', set: 'status=PLANNED', dryRun: 'true' })).body.id);
    expect(again.counts).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
  });

  it('a dry run reports and leaves nothing', async () => {
    const file = await writeGeoJson(fx.file('dry.geojson'), [node('DRY-1'), node('DRY-2', 0.00001)]);
    const res = await upload(file, 'dry.geojson', { layer: 'network-nodes', dryRun: 'true' });
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ state: 'SUCCEEDED', dryRun: true, committed: false, counts: { rows: 2, inserted: 2, rejected: 0 } });
    expect(await nodes('DRY-')).toEqual([]);
    expect(await auditOf(job.importId)).toEqual([]);
  });
});

describe('the asset register over HTTP, and messages that name the form fields', () => {
  it('a spreadsheet of assets without coordinates, placed at their remote units; what to change is named as the form field, not the CLI option', async () => {
    const unit = await app.knex('remote_units').orderBy('id').first('id');
    const bim = await app.knex('org_units').where({ code: 'BIM' }).first('id');
    const admin = tokenFor((await app.knex('users').where({ username: 'kbs-test-admin' }).first('id')).id, 3600);
    const sheet = `Demirbaş No;Seri No;Cinsi;Uzak Birim\nH-1;HS-1;Yazıcı;${unit.id}\nH-2;HS-2;Tarayıcı;${unit.id}\n`;
    const res = await upload(Buffer.from(sheet), 'envanter.csv', { layer: 'assets', map: 'Uzak Birim=remoteUnitId', set: `ownerOrgUnitId=${bim.id}` }, admin);
    expect(res.status).toBe(202);
    const job = await finished(res.body.id, admin);
    expect(job).toMatchObject({ state: 'SUCCEEDED', committed: true, counts: { rows: 2, inserted: 2, rejected: 0 } });
    expect(job.crs).toBe('EPSG:4326: the file names no CRS (give the field srid otherwise)');
    expect(await app.knex('assets').whereIn('inventory_no', ['H-1', 'H-2']).orderBy('inventory_no').pluck('type')).toEqual(['PRINTER', 'SCANNER']);

    const again = await upload(Buffer.from(sheet), 'envanter.csv', { layer: 'assets', map: 'Uzak Birim=remoteUnitId', set: `ownerOrgUnitId=${bim.id}` }, admin);
    const refused = await finished(again.body.id, admin);
    expect(refused.state).toBe('REJECTED');
    const reasons = await app.gql(`query($id: ID!) { importJob(id: $id) { rejections(first: 5) { edges { node { row field reason } } } } }`, { id: again.body.id }, admin);
    expect(reasons.data.importJob.rejections.edges[0].node).toEqual({ row: 1, field: 'inventoryNo', reason: 'an asset with this inventoryNo exists already (import with the field mode upsert to update it)' });

    const badKey = await upload(Buffer.from(sheet), 'envanter.csv', { layer: 'assets', key: 'barcode' }, admin);
    const failed = await finished(badKey.body.id, admin);
    expect(failed.error).toEqual({ code: 'BAD_USER_INPUT', message: 'the field key barcode: assets have no field barcode' });
  });
});

describe('rows refused, bad files, the server stopping', () => {
  it('a file with bad rows: REJECTED (as the CLI exits 1), nothing written, the rejections paged', async () => {
    const file = await writeGeoJson(fx.file('bad.geojson'), [
      node('BAD-1'),
      node('BAD-2', 0, { kind: 'ROUTER' }),
      node('BAD-3', 0, { ad: '' }),
      node('BAD-1', 0.00001),
      { ...node('BAD-5'), geometry: { type: 'Point', coordinates: [37.2, 37.3] } },
    ]);
    const res = await upload(file, 'bad.geojson', { layer: 'network-nodes' });
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ state: 'REJECTED', committed: false, error: null, counts: { rows: 5, inserted: 1, rejected: 4 } });
    expect(await nodes('BAD-')).toEqual([]);

    const page = (after: string | null) =>
      app.gql(`query($id: ID!, $after: String) { importJob(id: $id) { rejections(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { row field reason } } } } }`, { id: res.body.id, after }, token.editor);
    const one = (await page(null)).data.importJob.rejections;
    expect(one.totalCount).toBe(4);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await page(one.pageInfo.endCursor)).data.importJob.rejections;
    expect(two.pageInfo.hasNextPage).toBe(false);
    expect([...one.edges, ...two.edges].map((e: { node: unknown }) => e.node)).toEqual([
      { row: 2, field: 'kind', reason: 'unknown value "ROUTER": one of CENTRAL_DATA_ROOM, CABINET, SWITCH, SPLICE_POINT' },
      { row: 3, field: 'name', reason: 'missing: every network node needs name' },
      { row: 4, field: 'code', reason: 'the same code as row 1 of the file' },
      { row: 5, field: 'geometry', reason: 'outside the area or directorate where you may create network nodes' },
    ]);
    const json: any = await (await fetch(`${app.url}/imports/${res.body.id}`, { headers: { authorization: `Bearer ${token.editor}` } })).json();
    expect(json.rejections).toHaveLength(4);
  });

  it.each([
    ['not a zip', 'text.zip', 'PK? no, just text', /^text.zip is not a zip file: its first bytes say otherwise/],
    ['a name that says no format', 'nodes.xlsx', 'x', /nodes.xlsx: cannot tell the format from the name/],
    ['a GeoJSON without features', 'empty.geojson', '{"type":"FeatureCollection","features":[]}', /the file holds no features/],
  ])('%s: the job FAILED with BAD_USER_INPUT and the message, never INTERNAL', async (_what, name, content, message) => {
    const res = await upload(Buffer.from(content), name, { layer: 'network-nodes' });
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job.state).toBe('FAILED');
    expect(job.error.code).toBe('BAD_USER_INPUT');
    expect(job.error.message).toMatch(message);
    expect(app.logged).toEqual([]);
    expect(await readdir(uploads)).toEqual([]);
  });

  it('a job left RUNNING or QUEUED by a stopped server is FAILED when the server starts, saying nothing was written', async () => {
    const editor = await app.knex('users').where({ username: 'fatma.kaya' }).first('id', 'org_unit_id');
    const [running, queued] = await app.knex('import_jobs')
      .insert([
        { import_id: '00000000-0000-4000-8000-000000000001', state: 'RUNNING', layer: 'network-nodes', mode: 'insert', dry_run: false, options: '{}', file_name: 'a.geojson', file_size: 1, started_by: editor.id, started_by_username: 'fatma.kaya', started_by_org_unit_id: editor.org_unit_id, started_at: new Date() },
        { import_id: '00000000-0000-4000-8000-000000000002', state: 'QUEUED', layer: 'network-nodes', mode: 'insert', dry_run: false, options: '{}', file_name: 'b.geojson', file_size: 1, started_by: editor.id, started_by_username: 'fatma.kaya', started_by_org_unit_id: editor.org_unit_id },
      ])
      .returning('id');
    // Another server process on the same database: a knex of its own, as it would have.
    const knex = createKnex(process.env.TEST_DATABASE_URL!, { searchPath: [app.schema, 'public'], poolMax: 1, logger: silentLogger });
    try {
      const restarted = await createServer({ db: knex, geo: new GeoService(), auth: TEST_AUTH }, silentLogger);
      await restarted.stop();
    } finally {
      await knex.destroy();
    }
    const a = await finished(String(running.id));
    expect(a).toMatchObject({ state: 'FAILED', error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/^the server stopped while the import ran; nothing was written/) } });
    expect(a.finishedAt).not.toBeNull();
    const b = await finished(String(queued.id));
    expect(b).toMatchObject({ state: 'FAILED', error: { message: expect.stringMatching(/^the server stopped before the import started; nothing was written/) } });
  });
});

describe('who may upload and who may see a job', () => {
  it('anonymous: 401; the analyst (reads only): 403 and nothing stored; a file over the limit: 413; a job for nothing else', async () => {
    const file = await writeGeoJson(fx.file('who.geojson'), [node('WHO-1')]);
    const before = await app.knex('import_jobs').count({ n: '*' }).first();

    const anonymous = await upload(file, 'who.geojson', { layer: 'network-nodes' }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const analyst = await upload(file, 'who.geojson', { layer: 'network-nodes' }, token.analyst);
    expect(analyst.status).toBe(403);
    expect(analyst.body.errors[0]).toMatchObject({ message: 'you may not create network nodes', extensions: { code: 'FORBIDDEN' } });
    // the editor may write network nodes, not parcels
    const parcels = await upload(file, 'who.geojson', { layer: 'parcels', mode: 'upsert' }, token.editor);
    expect(parcels.status).toBe(403);
    expect(parcels.body.errors[0].message).toBe('you may not update parcels');

    const big = await upload(Buffer.alloc(MAX_BYTES + 1, ' '), 'big.geojson', { layer: 'network-nodes' });
    expect(big.status).toBe(413);
    expect(big.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^the file is larger than the 262144 bytes this server takes \(KBS_IMPORT_MAX_BYTES\)/), extensions: { code: 'BAD_REQUEST' } });
    // one declared far larger is refused before it is read
    const huge = await fetch(`${app.url}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.editor}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(MAX_BYTES + 2 * 1024 * 1024) },
      body: '--x--\r\n'.padEnd(MAX_BYTES + 2 * 1024 * 1024, ' '),
    });
    expect(huge.status).toBe(413);

    const bad = await upload(file, 'who.geojson', { layer: 'roads' });
    expect([bad.status, bad.body.errors[0].extensions.code, bad.body.errors[0].message]).toEqual([400, 'BAD_USER_INPUT', expect.stringMatching(/^unknown layer roads: one of cameras/)]);
    const noFile = await fetch(`${app.url}/imports`, { method: 'POST', body: (() => { const f = new FormData(); f.append('layer', 'network-nodes'); return f; })(), headers: { authorization: `Bearer ${token.editor}` } });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as any).errors[0].message).toMatch(/no file was sent/);

    expect(await app.knex('import_jobs').count({ n: '*' }).first()).toEqual(before);
    expect(await readdir(uploads)).toEqual([]);
  });

  it("another user's job is NOT_FOUND to them; the auditor (AUDIT_LOG READ) sees every job", async () => {
    const file = await writeGeoJson(fx.file('mine.geojson'), [node('MINE-1')]);
    const { body } = await upload(file, 'mine.geojson', { layer: 'network-nodes', dryRun: '1' });
    await finished(body.id);
    const theirs = await app.gql(`query($id: ID!) { importJob(id: $id) { id } }`, { id: body.id }, token.analyst);
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await app.gql(`{ importJobs { totalCount edges { node { id } } } }`, {}, token.analyst);
    expect(list.data.importJobs).toEqual({ totalCount: 0, edges: [] });
    const get = await fetch(`${app.url}/imports/${body.id}`, { headers: { authorization: `Bearer ${token.analyst}` } });
    expect(get.status).toBe(404);
    expect((await fetch(`${app.url}/imports/${body.id}`)).status).toBe(401);
    expect(codeOf(await app.gql(`{ importJobs { totalCount } }`, {}, null))).toBe('UNAUTHENTICATED');

    const auditor = await app.gql(`query($id: ID!) { importJob(id: $id) { startedByUsername startedBy { username } } importJobs(state: SUCCEEDED) { edges { node { id state } } } }`, { id: body.id }, token.auditor);
    expect(auditor.errors).toBeUndefined();
    expect(auditor.data.importJob).toEqual({ startedByUsername: 'fatma.kaya', startedBy: { username: 'fatma.kaya' } });
    expect(auditor.data.importJobs.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(body.id);
    expect(auditor.data.importJobs.edges.every((e: { node: { state: string } }) => e.node.state === 'SUCCEEDED')).toBe(true);
  });

  it('importJobs: the same number of SQL statements for a page of 1 and of 8, with starters and rejections', async () => {
    const editor = await app.knex('users').where({ username: 'fatma.kaya' }).first('id', 'org_unit_id');
    for (let i = 0; i < 8; i++) {
      const [job] = await app.knex('import_jobs')
        .insert({ import_id: `00000000-0000-4000-9000-00000000000${i}`, state: 'REJECTED', layer: 'parcels', mode: 'insert', dry_run: true, options: '{}', file_name: `p${i}.geojson`, file_size: 10, started_by: editor.id, started_by_username: 'fatma.kaya', started_by_org_unit_id: editor.org_unit_id, rows: 3, inserted: 1, updated: 0, unchanged: 0, rejected: 2 })
        .returning('id');
      await app.knex('import_job_rejections').insert([{ job_id: job.id, row: 1, field: 'ada', reason: 'r1' }, { job_id: job.id, row: 3, field: 'parsel', reason: 'r3' }]);
    }
    const query = `query($n: Int) { importJobs(first: $n, state: REJECTED) { totalCount edges { node { id fileName startedBy { username } counts { rejected } rejections(first: 1) { totalCount edges { node { row field } } } } } } }`;
    const one = await app.countStatements(() => app.gql(query, { n: 1 }, token.auditor));
    const eight = await app.countStatements(() => app.gql(query, { n: 8 }, token.auditor));
    expect(one.result.errors).toBeUndefined();
    expect(eight.result.data.importJobs.edges).toHaveLength(8);
    expect(eight.result.data.importJobs.edges[0].node.rejections).toEqual({ totalCount: 2, edges: [{ node: { row: 1, field: 'ada' } }] });
    expect(eight.result.data.importJobs.edges[0].node.startedBy).toEqual({ username: 'fatma.kaya' });
    expect(eight.statements).toBe(one.statements);
    // page, count, users, rejections, their counts (and the access check where the server cannot hear notifications)
    expect(eight.statements).toBe(5 + app.accessCheckStatements);
  });
});

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
