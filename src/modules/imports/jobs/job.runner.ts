import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Access } from '../../../common/auth/access';
import type { ImportJobSettings } from '../../../config';
import { clientError } from '../../../common/errors/client-error';
import type { GeoService } from '../../../geo/geo.service';
import type { Logger } from '../../../logger';
import { runImport } from '../import.service';
import type { ImportProgress, ImportReport } from '../import.types';
import { ImportJobRepository, type ImportJobRow } from './job.repository';
import { inFormFields, reportInFormFields, type JobOptions } from './upload-fields';

/** How often a running job's progress is written to its record. */
const PROGRESS_EVERY_MS = 1000;

export const STOPPED_WHILE_RUNNING = 'the server stopped while the import ran; nothing was written (an import commits all its rows in one transaction, or none): upload the file again';
const STOPPED_WHILE_QUEUED = 'the server stopped before the import started; nothing was written: upload the file again';

interface Queued {
  job: ImportJobRow;
  access: Access;
  options: JobOptions;
  /** The uploaded file, in a folder of its own that goes when the job ends. */
  file: string;
}

/**
 * Runs the imports uploaded to this server, `atOnce` at a time, in this process, each with the
 * grants of who uploaded it (as the command line's --as): progress, the report and its rejections,
 * or the error, go to the job's record; the upload is removed when the job ends. Jobs are records
 * that outlive the server: those a stopped server left QUEUED or RUNNING are marked FAILED when the
 * next one starts (recover), which is true to what happened, since an import writes all or nothing.
 */
export class ImportJobRunner {
  private readonly queue: Queued[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly db: Knex,
    private readonly geo: GeoService,
    private readonly logger: Logger,
    readonly settings: ImportJobSettings,
  ) {}

  /**
   * Marks FAILED the jobs a stopped server left behind and removes their uploads. Meant for a
   * database that one server process serves (as every setting of this project is): a second
   * process starting would fail the first one's running jobs.
   */
  async recover(): Promise<void> {
    const uploads = await new ImportJobRepository(this.db).abandon(['RUNNING'], STOPPED_WHILE_RUNNING);
    uploads.push(...(await new ImportJobRepository(this.db).abandon(['QUEUED'], STOPPED_WHILE_QUEUED)));
    if (uploads.length) this.logger.info(`import jobs: ${uploads.length} left by a stopped server marked FAILED`);
    await Promise.all(uploads.map((u) => removeUpload(u)));
  }

  /** Queues a job whose record is made and whose file is stored. */
  submit(job: ImportJobRow, access: Access, options: JobOptions, file: string): void {
    this.queue.push({ job, access, options, file });
    this.next();
  }

  /** Jobs waiting or running in this process. */
  get pending(): number {
    return this.queue.length + this.running.size;
  }

  private next(): void {
    while (!this.stopped && this.running.size < this.settings.atOnce && this.queue.length) {
      const item = this.queue.shift()!;
      const run = this.run(item).finally(() => {
        this.running.delete(run);
        this.next();
      });
      this.running.add(run);
    }
  }

  private async run({ job, access, options, file }: Queued): Promise<void> {
    const repo = new ImportJobRepository(this.db);
    let latest: ImportProgress | undefined;
    let written: ImportProgress | undefined;
    let writing: Promise<void> | undefined;
    // The import holds a connection for its transaction; progress goes on another, and never holds
    // the import up (on a one-connection database it waits until the import is done).
    const flush = () => {
      if (!latest || latest === written || writing) return;
      const p = (written = latest);
      writing = repo
        .progress(job.id, p)
        .catch((err) => this.logger.error(`import job ${job.id}: progress not recorded`, err))
        .finally(() => (writing = undefined));
    };
    const timer = setInterval(flush, PROGRESS_EVERY_MS);
    let outcome: { report: ImportReport } | { error: unknown } | undefined;
    try {
      if (await repo.start(job.id)) {
        outcome = { report: await runImport({ db: this.db, geo: this.geo, access }, { ...options, file, importId: job.importId }, (p) => (latest = p)) };
      }
    } catch (error) {
      outcome = { error };
    } finally {
      clearInterval(timer);
      // Gone before the record says the job ended, so that nothing of it is left once it has.
      await removeUpload(path.dirname(file));
      await writing;
    }
    if (!outcome) return;
    try {
      if ('report' in outcome) await repo.finish(job.id, outcome.report.rejected > 0 ? 'REJECTED' : 'SUCCEEDED', reportInFormFields(outcome.report));
      else {
        // A bad file, a CRS without an area of use, a conflict: the import's own errors say what to do.
        const known = clientError(outcome.error);
        if (!known) this.logger.error(`import job ${job.id} failed`, outcome.error);
        await repo.fail(job.id, known?.code ?? 'INTERNAL_SERVER_ERROR', known ? inFormFields(known.message) : 'the import failed on the server (its log says why); nothing was written');
      }
    } catch (err) {
      this.logger.error(`import job ${job.id}: its end not recorded`, err);
    }
  }

  /** Takes no more jobs: those waiting are marked FAILED, those running are waited for. */
  async stop(): Promise<void> {
    this.stopped = true;
    const waiting = this.queue.splice(0);
    const repo = new ImportJobRepository(this.db);
    for (const q of waiting) {
      await repo.fail(q.job.id, 'SERVICE_UNAVAILABLE', STOPPED_WHILE_QUEUED).catch((err) => this.logger.error(`import job ${q.job.id}: failure not recorded`, err));
      await removeUpload(path.dirname(q.file));
    }
    await Promise.all([...this.running]);
  }
}

/** Removes an upload's folder (its path as stored: the folder, or a file inside it). */
async function removeUpload(where: string): Promise<void> {
  const dir = path.basename(where).startsWith(UPLOAD_PREFIX) ? where : path.dirname(where);
  if (!path.basename(dir).startsWith(UPLOAD_PREFIX)) return;
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/** Uploads are kept in folders named so (one per job), so that only those are ever removed. */
export const UPLOAD_PREFIX = 'kbs-import-';
