import type { Knex } from 'knex';
import type { Access } from '../../../common/auth/access';
import { AppError, notFound } from '../../../common/errors/app-error';
import { parseId } from '../../../common/ids';
import { Connection, pageSize, type PageArgs } from '../../../common/pagination/connection';
import { decodeCursor, encodeCursor } from '../../../common/pagination/cursor';
import type { Context } from '../../../context';
import { ImportJobRepository, jobScope, type ImportJobRow, type RejectionRow } from './job.repository';
import { type ImportJob, type ImportJobState, type ImportMode, type ImportRejection } from './job.type';
import type { JobOptions } from './upload-fields';

/** The job as GraphQL gives it. */
export function toJob(row: ImportJobRow): ImportJob {
  const done = row.rows !== null;
  return {
    id: row.id,
    importId: row.importId,
    state: row.state as ImportJobState,
    layer: row.layer,
    fileName: row.fileName,
    fileSize: row.fileSize,
    mode: row.mode as ImportMode,
    dryRun: row.dryRun,
    options: row.options,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    startedById: row.startedBy,
    startedByUsername: row.startedByUsername,
    progress: { phase: row.phase, rows: row.rowsRead, fraction: row.fraction },
    counts: done ? { rows: row.rows!, inserted: row.inserted!, updated: row.updated!, unchanged: row.unchanged!, rejected: row.rejected! } : null,
    committed: row.committed,
    format: row.report?.format ?? null,
    crs: row.report?.crs ?? null,
    mapping: row.report?.mapping ?? null,
    notes: row.report?.notes ?? [],
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
  };
}

/** The rejections a JSON answer of GET /imports/{id} lists (GraphQL pages through all of them). */
export const JSON_REJECTIONS = 100;

/** The job as GET /imports/{id} and the 202 of POST /imports give it. */
export function jobJson(row: ImportJobRow, rejections: RejectionRow[]) {
  const { startedById, startedByUsername, ...job } = toJob(row);
  return {
    ...job,
    mode: job.mode.toUpperCase(),
    startedBy: { id: String(startedById), username: startedByUsername },
    id: String(job.id),
    rejections: rejections.slice(0, JSON_REJECTIONS).map(({ row: r, field, reason }) => ({ row: r, field, reason })),
    moreRejections: rejections.length > JSON_REJECTIONS,
    links: { self: `/imports/${row.id}`, graphql: `query { importJob(id: "${row.id}") { state progress { rows fraction } counts { rows inserted updated unchanged rejected } error { code message } rejections(first: 100) { edges { node { row field reason } } } } }` },
  };
}

const requireLogin = (access: Access) => {
  if (access.anonymous) throw new AppError('UNAUTHENTICATED', 'log in (or send an API token) to see import jobs');
};

const rejectionEdges = (rows: RejectionRow[], first: number) => {
  const edges = rows.slice(0, first).map((node) => ({ node: node as ImportRejection, cursor: encodeCursor({ kind: 'id', id: node.id }), distanceMeters: null }));
  return new Connection(edges, Connection.pageInfo(edges, rows.length > first), async () => 0);
};

export const importJobService = {
  /** Records an uploaded file as a QUEUED job of who uploaded it. */
  async create(db: Knex, access: Access, options: JobOptions, file: { name: string; size: number; path: string }, importId: string): Promise<ImportJobRow> {
    const who = access.identity!;
    const { layer, mode, dryRun, ...rest } = options;
    return new ImportJobRepository(db).create({
      importId, layer, mode, dryRun,
      options: Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0))),
      fileName: file.name,
      fileSize: file.size,
      uploadPath: file.path,
      startedBy: who.userId,
      startedByUsername: who.username,
      startedByOrgUnitId: who.orgUnitId ?? null,
      apiTokenId: who.apiTokenId ?? null,
    });
  },

  /** One job the request may see, with its first rejections; NOT_FOUND otherwise. */
  async forJson(db: Knex, access: Access, id: number): Promise<{ job: ImportJobRow; rejections: RejectionRow[] }> {
    requireLogin(access);
    const repo = new ImportJobRepository(db);
    const [job] = await repo.byIds([id], jobScope(db, access));
    if (!job) throw notFound('import job', id);
    const rejections = job.rejected ? (await repo.rejections([id], JSON_REJECTIONS, null)).get(id) ?? [] : [];
    return { job, rejections };
  },

  async get(ctx: Context, idArg: string): Promise<ImportJob> {
    requireLogin(ctx.access);
    const id = parseId(idArg, 'id');
    const row = await ctx.loaders.imports.jobs.load(id);
    if (!row) throw notFound('import job', idArg);
    return toJob(row);
  },

  async list(ctx: Context, args: PageArgs & { state?: ImportJobState | null }): Promise<Connection<ImportJob>> {
    requireLogin(ctx.access);
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const scope = jobScope(ctx.db, ctx.access);
    const state = args.state ?? null;
    const repo = new ImportJobRepository(ctx.db);
    const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.page({ scope, state, first, afterId: after?.kind === 'id' ? after.id : undefined });
    const edges = rows.map((row) => ({ node: toJob(row), cursor: encodeCursor({ kind: 'id', id: row.id }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => repo.count(scope, state));
  },

  /** A page of a job's rejections, batched with the other jobs of the request (see the loaders). */
  async rejections(ctx: Context, job: ImportJob, args: PageArgs): Promise<Connection<ImportRejection>> {
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const afterId = after?.kind === 'id' ? after.id : null;
    const rows = first === 0 ? [] : await ctx.loaders.imports.rejections.load({ jobId: job.id, first, afterId });
    const page = rejectionEdges(rows, first);
    return new Connection(page.edges, page.pageInfo, () => ctx.loaders.imports.rejectionCounts.load(job.id));
  },
};
