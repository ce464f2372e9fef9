import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import type { Cursor } from '../../common/pagination/cursor';
import type { SpatialPredicate } from '../../geo/spatial-filter';
import { readableSnapshot } from './audit-sensitive';

/** Who wrote, and in which request. */
export interface AuditActor {
  actorUserId: number | null;
  actorUsername: string | null;
  actorOrgUnitId: number | null;
  apiTokenId: number | null;
  requestId: string | null;
}

/** One write, as the audit trail records it. */
export interface AuditRecord extends AuditActor {
  entity: string;
  entityId: string | number;
  action: string;
  before: unknown;
  after: unknown;
  /** Hex EWKB geometries the change touched (old and new place); nulls are skipped. */
  geometries?: (string | null)[];
}

export interface AuditRow {
  id: number;
  at: Date;
  actorUserId: number | null;
  actorUsername: string | null;
  apiTokenId: number | null;
  requestId: string | null;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

export interface AuditQuery {
  entity?: string | null;
  entityId?: string | null;
  actorUserId?: number | null;
  action?: string | null;
  from?: Date | null;
  to?: Date | null;
  predicates: SpatialPredicate[];
  /** The read scope of the request (null: every entry). */
  scope: Knex.Raw | null;
  first: number;
  after?: Cursor;
}

const COLUMNS = [
  'audit_log.id',
  'audit_log.at',
  'audit_log.actor_user_id as actorUserId',
  'audit_log.actor_username as actorUsername',
  'audit_log.api_token_id as apiTokenId',
  'audit_log.request_id as requestId',
  'audit_log.entity',
  'audit_log.entity_id as entityId',
  'audit_log.action',
];

/**
 * The append-only audit log: inserts in the writer's transaction, and filtered reads. Reads give
 * the stored values as `access` may read them: a sensitive field is null where no grant that
 * names it reaches the row (see readableSnapshot).
 */
export class AuditRepository {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly access: Access | null = null,
  ) {}

  private columns(): (string | Knex.Raw)[] {
    if (!this.access) throw new Error('AuditRepository reads need the Access of the request');
    const db = this.db as Knex;
    return [...COLUMNS, readableSnapshot(db, this.access, 'audit_log.before'), readableSnapshot(db, this.access, 'audit_log.after')];
  }

  async insert(r: AuditRecord): Promise<void> {
    const geoms = (r.geometries ?? []).filter((g): g is string => g != null);
    await this.db('audit_log').insert({
      actor_user_id: r.actorUserId,
      actor_username: r.actorUsername,
      actor_org_unit_id: r.actorOrgUnitId,
      api_token_id: r.apiTokenId,
      request_id: r.requestId,
      entity: r.entity,
      entity_id: String(r.entityId),
      action: r.action,
      before: r.before == null ? null : JSON.stringify(r.before),
      after: r.after == null ? null : JSON.stringify(r.after),
      geom: geoms.length ? this.db.raw(`ST_Collect(ARRAY[${geoms.map(() => '?::geometry').join(', ')}])`, geoms) : null,
    });
  }

  /**
   * Records many writes of one actor at once: `source` is SQL (a CTE's name or a subquery with its
   * alias) whose rows have entity_id, action, before, after (jsonb) and geom (the old and new
   * places collected, or null). For bulk writes, in the same statement or transaction as they are.
   */
  insertSelectSql(actor: AuditActor, entity: string, source: string): Knex.Raw {
    return this.db.raw(
      `INSERT INTO audit_log (actor_user_id, actor_username, actor_org_unit_id, api_token_id, request_id, entity, entity_id, action, before, after, geom)
       SELECT ?::int, ?::text, ?::int, ?::int, ?::text, ?::text, src.entity_id::text, src.action, src.before, src.after, src.geom FROM ${source} src`,
      [actor.actorUserId, actor.actorUsername, actor.actorOrgUnitId, actor.apiTokenId, actor.requestId, entity],
    );
  }

  private filtered(q: Omit<AuditQuery, 'first' | 'after'>): Knex.QueryBuilder {
    const qb = this.db('audit_log');
    if (q.scope) qb.where(q.scope);
    if (q.entity != null) qb.where('audit_log.entity', q.entity);
    if (q.entityId != null) qb.where('audit_log.entity_id', q.entityId);
    if (q.actorUserId != null) qb.where('audit_log.actor_user_id', q.actorUserId);
    if (q.action != null) qb.where('audit_log.action', q.action);
    if (q.from != null) qb.where('audit_log.at', '>=', q.from);
    if (q.to != null) qb.where('audit_log.at', '<', q.to);
    for (const p of q.predicates) qb.where(p(this.db as Knex, { name: 'audit_log.geom', points: false }));
    return qb;
  }

  /** Newest first; one more row than asked, to tell whether another page follows. */
  async page(q: AuditQuery): Promise<{ rows: AuditRow[]; hasNextPage: boolean }> {
    const qb = this.filtered(q).select(this.columns()).orderBy('audit_log.id', 'desc').limit(q.first + 1);
    if (q.after?.kind === 'id') qb.where('audit_log.id', '<', q.after.id);
    const rows = (await qb) as AuditRow[];
    const hasNextPage = rows.length > q.first;
    if (hasNextPage) rows.length = q.first;
    return { rows, hasNextPage };
  }

  async count(q: Omit<AuditQuery, 'first' | 'after'>): Promise<number> {
    const row = await this.filtered(q).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }
}
