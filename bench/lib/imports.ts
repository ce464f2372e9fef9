import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Knex } from 'knex';

/** Where the imported parcels go: a district of their own, so that each run starts from none of them. */
export const IMPORT_DISTRICT = 'Nizip-import';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A GeoPackage of `count` parcels of 20 m in TUREF TM39 (EPSG:5257) as a TKGM export names its
 * fields (Il, Ilce, Mahalle, Ada, ParselNo, Alan, Nitelik), south of the bench grid. GDAL's
 * ogr2ogr writes it from a generate_series on the bench database: the file is GDAL's, not ours.
 */
export function parcelsGpkg(pgUrl: string, file: string, count: number, originX: number, originY: number): Promise<void> {
  fs.rmSync(file, { force: true });
  const side = 400; // lots per row
  const sql = `SELECT 'Gaziantep' AS "Il", '${IMPORT_DISTRICT}' AS "Ilce", 'Aktarım ' || (i / 1000) AS "Mahalle",
       (i / ${side}) + 1 AS "Ada", (i % ${side}) + 1 AS "ParselNo", '400,00' AS "Alan",
       (ARRAY['ARSA','TARLA','BAHÇE','KONUT'])[1 + i % 4] AS "Nitelik",
       ST_MakeEnvelope(${originX} + (i % ${side}) * 20, ${originY} - (i / ${side} + 1) * 20,
                       ${originX} + (i % ${side}) * 20 + 20, ${originY} - (i / ${side}) * 20, 5257) AS geom
     FROM generate_series(0, ${count - 1}) AS i`;
  const u = new URL(pgUrl);
  const pg = `PG:host=${u.hostname} port=${u.port || 5432} dbname=${u.pathname.slice(1)} user=${decodeURIComponent(u.username)} password=${decodeURIComponent(u.password)}`;
  return new Promise((resolve, reject) =>
    execFile('ogr2ogr', ['-f', 'GPKG', file, pg, '-sql', sql, '-nln', 'parseller', '-a_srs', 'EPSG:5257', '-nlt', 'POLYGON'], { maxBuffer: 1 << 24 }, (err, _o, stderr) =>
      err ? reject(new Error(`ogr2ogr (scripts/setup-gdal.sh installs it): ${stderr || err.message}`)) : resolve(),
    ),
  );
}

export interface ImportJob {
  id: string;
  importId: string;
  state: string;
  counts: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number } | null;
  error: { code: string; message: string } | null;
  rejections: { row: number; field: string | null; reason: string }[];
}

/**
 * Uploads `file` to POST /imports with the form `fields` as `token`, then follows GET /imports/{id}
 * until the job ends; the seconds are from the upload to the end.
 */
export async function runImport(base: string, token: string, file: string, fields: Record<string, string>): Promise<{ job: ImportJob; seconds: number }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([fs.readFileSync(file)]), file.split('/').pop());
  const started = Date.now();
  const res = await fetch(`${base}/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  if (res.status !== 202) throw new Error(`POST /imports: ${res.status} ${await res.text()}`);
  let job = (await res.json()) as ImportJob;
  while (job.state === 'QUEUED' || job.state === 'RUNNING') {
    await sleep(100);
    const r = await fetch(`${base}/imports/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
    if (r.status !== 200) throw new Error(`GET /imports/${job.id}: ${r.status} ${await r.text()}`);
    job = (await r.json()) as ImportJob;
  }
  const seconds = (Date.now() - started) / 1000;
  if (job.state !== 'SUCCEEDED') throw new Error(`the import ${job.id} ended ${job.state}: ${JSON.stringify(job.error ?? job.rejections.slice(0, 5))}`);
  return { job, seconds };
}

/**
 * Removes the imported parcels and the audit rows of the bench's imports, so that the bench
 * database does not grow by 100,000 audit rows a run. The audit log is append-only (a trigger
 * refuses deletes); its owner lifts the trigger for this one transaction of the bench database.
 */
export async function forgetImports(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx('parcels').where({ district: IMPORT_DISTRICT }).delete();
    await trx.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await trx('audit_log').where({ entity: 'PARCELS' }).andWhere('request_id', 'like', 'import:%').delete();
    await trx.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
}
