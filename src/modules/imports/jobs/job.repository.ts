import type { Knex } from 'knex';
import type { Access } from '../../../common/auth/access';
import { Action, Resource } from '../../../common/auth/resources';
import type { ImportMode, ImportProgress, ImportReport, Rejection } from '../import.types';

export type ImportJobStateName = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'REJECTED' | 'FAILED';

/** One import job as stored. */
export interface ImportJobRow {
  id: number;
  importId: string;
  state: ImportJobStateName;
  layer: string;
  mode: ImportMode;
  dryRun: boolean;
  options: Record<string, unknown>;
  fileName: string;
  fileSize: number;
  startedBy: number;
  startedByUsername: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  phase: string | null;
  rowsRead: number;
  fraction: number | null;
  rows: number | null;
  inserted: number | null;
  updated: number | null;
  unchanged: number | null;
  rejected: number | null;
  committed: boolean;
  report: Pick<ImportReport, 'format' | 'crs' | 'srid' | 'encoding' | 'mapping' | 'ignored' | 'notes'> | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface NewImportJob {
  importId: string;
  layer: string;
  mode: ImportMode;
  dryRun: boolean;
  options: Record<string, unknown>;
  fileName: string;
  fileSize: number;
  uploadPath: string;
  startedBy: number;
  startedByUsername: string;
  startedByOrgUnitId: number | null;
  apiTokenId: number | null;
}

export interface RejectionRow extends Rejection {
  id: number;
  jobId: number;
}

const COLUMNS = [
  'import_jobs.id',
  'import_id as importId',
  'state',
  'layer',
  'mode',
  'dry_run as dryRun',
  'options',
  'file_name as fileName',
  'file_size as fileSize',
  'started_by as startedBy',
  'started_by_username as startedByUsername',
  'created_at as createdAt',
  'started_at as startedAt',
  'finished_at as finishedAt',
  'phase',
  'rows_read as rowsRead',
  'fraction',
  'rows',
  'inserted',
  'updated',
  'unchanged',
  'rejected',
  'committed',
  'report',
  'error_code as errorCode',
  'error_message as errorMessage',
];

/** Rejections sent per INSERT. */
const REJECTION_BATCH = 2000;

// bigint comes back as a string from pg.
const fixed = (row: ImportJobRow): ImportJobRow => ({ ...row, fileSize: Number(row.fileSize) });

/**
 * Which jobs a request may see: its own, and, with a READ grant on the audit log, those of the
 * starters that grant reaches (every job, or those started in its own directorate).
 */
export function jobScope(db: Knex, access: Access): Knex.Raw | null {
  const others = access.condition(db, Resource.AUDIT_LOG, Action.READ, { owner: 'import_jobs.started_by_org_unit_id' });
  if (others === null) return null;
  const userId = access.identity?.userId;
  if (userId == null) return others;
  return db.raw('(import_jobs.started_by = ? OR ?)', [userId, others]);
}

/** The import_jobs and import_job_rejections tables. */
export class ImportJobRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async create(job: NewImportJob): Promise<ImportJobRow> {
    const [row] = await this.db('import_jobs')
      .insert({
        import_id: job.importId,
        layer: job.layer,
        mode: job.mode,
        dry_run: job.dryRun,
        options: JSON.stringify(job.options),
        file_name: job.fileName,
        file_size: job.fileSize,
        upload_path: job.uploadPath,
        started_by: job.startedBy,
        started_by_username: job.startedByUsername,
        started_by_org_unit_id: job.startedByOrgUnitId,
        api_token_id: job.apiTokenId,
      })
      .returning(COLUMNS);
    return fixed(row as ImportJobRow);
  }

  /** QUEUED -> RUNNING; false when the job is no longer queued. */
  async start(id: number): Promise<boolean> {
    const n = await this.db('import_jobs').where({ id, state: 'QUEUED' }).update({ state: 'RUNNING', started_at: this.db.fn.now(), updated_at: this.db.fn.now(), phase: 'reading' });
    return n === 1;
  }

  /** Progress of a running job (a job that has ended keeps its final figures). */
  async progress(id: number, p: ImportProgress): Promise<void> {
    await this.db('import_jobs').where({ id, state: 'RUNNING' }).update({ phase: p.phase, rows_read: p.rows, fraction: p.fraction ?? null, updated_at: this.db.fn.now() });
  }

  /** Stores the report: its counts and summary on the job, its rejections in rows of their own, in one transaction. */
  async finish(id: number, state: ImportJobStateName, report: ImportReport): Promise<void> {
    const { rejections, importId: _id, layer: _layer, rows, inserted, updated, unchanged, rejected, committed, dryRun: _dry, ...summary } = report;
    const run = async (trx: Knex.Transaction) => {
      await trx('import_jobs').where({ id }).update({
        state, rows, inserted, updated, unchanged, rejected, committed,
        report: JSON.stringify(summary),
        phase: 'done', rows_read: rows, fraction: 1,
        upload_path: null, finished_at: trx.fn.now(), updated_at: trx.fn.now(),
      });
      for (let i = 0; i < rejections.length; i += REJECTION_BATCH) {
        const batch = rejections.slice(i, i + REJECTION_BATCH);
        await trx.raw(
          `INSERT INTO import_job_rejections (job_id, row, field, reason)
           SELECT ?, (e.r->>'row')::int, e.r->>'field', e.r->>'reason' FROM json_array_elements(?::json) WITH ORDINALITY AS e(r, n) ORDER BY e.n`,
          [id, JSON.stringify(batch)],
        );
      }
    };
    await this.db.transaction(run);
  }

  async fail(id: number, code: string, message: string): Promise<void> {
    await this.db('import_jobs').where({ id }).update({ state: 'FAILED', error_code: code, error_message: message, upload_path: null, finished_at: this.db.fn.now(), updated_at: this.db.fn.now() });
  }

  /**
   * Marks FAILED the jobs of `states` (left by a server that stopped) with `message`; returns the
   * uploads they leave behind, to be removed.
   */
  async abandon(states: ImportJobStateName[], message: string): Promise<string[]> {
    const rows: { upload_path: string | null }[] = await this.db.raw(
      `WITH old AS (SELECT id, upload_path FROM import_jobs WHERE state = ANY(?::text[]) FOR UPDATE)
       UPDATE import_jobs j SET state = 'FAILED', error_code = 'SERVICE_UNAVAILABLE', error_message = ?, upload_path = NULL,
         finished_at = now(), updated_at = now()
       FROM old WHERE j.id = old.id RETURNING old.upload_path`,
      [states, message],
    ).then((r: { rows: { upload_path: string | null }[] }) => r.rows);
    return rows.map((r) => r.upload_path).filter((p): p is string => p != null);
  }

  /** Jobs by id, within `scope`. */
  async byIds(ids: readonly number[], scope: Knex.Raw | null): Promise<ImportJobRow[]> {
    const qb = this.db('import_jobs').select(COLUMNS).whereIn('import_jobs.id', ids);
    if (scope) qb.where(scope);
    return ((await qb) as ImportJobRow[]).map(fixed);
  }

  private filtered(scope: Knex.Raw | null, state: ImportJobStateName | null): Knex.QueryBuilder {
    const qb = this.db('import_jobs');
    if (scope) qb.where(scope);
    if (state) qb.where('state', state);
    return qb;
  }

  /** Newest first; one more row than asked, to tell whether another page follows. */
  async page(q: { scope: Knex.Raw | null; state: ImportJobStateName | null; first: number; afterId?: number }): Promise<{ rows: ImportJobRow[]; hasNextPage: boolean }> {
    const qb = this.filtered(q.scope, q.state).select(COLUMNS).orderBy('import_jobs.id', 'desc').limit(q.first + 1);
    if (q.afterId !== undefined) qb.where('import_jobs.id', '<', q.afterId);
    const rows = ((await qb) as ImportJobRow[]).map(fixed);
    const hasNextPage = rows.length > q.first;
    if (hasNextPage) rows.length = q.first;
    return { rows, hasNextPage };
  }

  async count(scope: Knex.Raw | null, state: ImportJobStateName | null): Promise<number> {
    const row = await this.filtered(scope, state).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /**
   * A page of the rejections of each job, in the order of the file: at most `first` after the
   * rejection `afterId`, and one more to tell whether another page follows. One statement for
   * every job of a list.
   */
  async rejections(jobIds: readonly number[], first: number, afterId: number | null): Promise<Map<number, RejectionRow[]>> {
    const { rows } = await this.db.raw(
      `SELECT id, job_id AS "jobId", row, field, reason FROM (
         SELECT r.*, row_number() OVER (PARTITION BY r.job_id ORDER BY r.id) AS n
         FROM import_job_rejections r WHERE r.job_id = ANY(?::int[]) AND r.id > ?
       ) x WHERE n <= ? ORDER BY job_id, id`,
      [[...jobIds], afterId ?? 0, first + 1],
    );
    const out = new Map<number, RejectionRow[]>();
    for (const r of rows as RejectionRow[]) {
      const row = { ...r, id: Number(r.id) };
      const list = out.get(row.jobId);
      if (list) list.push(row);
      else out.set(row.jobId, [row]);
    }
    return out;
  }

  /** How many rejections each job has. */
  async rejectionCounts(jobIds: readonly number[]): Promise<Map<number, number>> {
    const rows: { jobId: number; n: string | number }[] = await this.db('import_job_rejections').whereIn('job_id', jobIds).groupBy('job_id').select('job_id as jobId').count({ n: '*' });
    return new Map(rows.map((r) => [Number(r.jobId), Number(r.n)]));
  }
}
