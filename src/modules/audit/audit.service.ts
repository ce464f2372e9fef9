import type { Knex } from 'knex';
import type { Context } from '../../context';
import { Action, Resource } from '../../common/auth/resources';
import { badInput } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import { Connection, pageSize, type PageArgs } from '../../common/pagination/connection';
import { resolveSpatialFilter } from '../../geo/spatial-filter';
import { AuditRepository, type AuditActor, type AuditRecord, type AuditRow } from './audit.repository';
import type { AuditFilter } from './audit.type';

/** What a write tells the audit log; the actor and request come from the context. */
export type AuditChange = Pick<AuditRecord, 'entity' | 'entityId' | 'action' | 'before' | 'after' | 'geometries'>;

/**
 * Records a write in the audit log, inside the writer's transaction: the change and its record
 * commit together or not at all.
 */
export async function recordAudit(trx: Knex.Transaction, ctx: Pick<Context, 'identity' | 'requestId'>, change: AuditChange): Promise<void> {
  await new AuditRepository(trx).insert({ ...change, ...auditActor(ctx) });
}

/** Who writes, as the audit log records it: the identity's user, unit and token, and the request id. */
export function auditActor(ctx: Pick<Context, 'identity' | 'requestId'>): AuditActor {
  const who = ctx.identity;
  return {
    actorUserId: who?.userId ?? null,
    actorUsername: who?.username ?? null,
    actorOrgUnitId: who?.orgUnitId ?? null,
    apiTokenId: who?.apiTokenId ?? null,
    requestId: ctx.requestId,
  };
}

export const auditService = {
  async list(ctx: Context, args: PageArgs & { filter?: AuditFilter | null }): Promise<Connection<AuditRow>> {
    ctx.access.require(Resource.AUDIT_LOG, Action.READ, 'the audit log');
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const f = args.filter ?? {};
    if (f.entityId != null && f.entity == null) throw badInput('filter.entityId needs filter.entity');
    if (f.from && f.to && f.from > f.to) throw badInput('filter.from is after filter.to');
    const query = {
      entity: f.entity ?? null,
      entityId: f.entityId ?? null,
      actorUserId: f.userId != null ? parseId(f.userId, 'filter.userId') : null,
      action: f.action ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      predicates: await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, f.spatial, 'filter.spatial'),
      scope: ctx.access.condition(ctx.db, Resource.AUDIT_LOG, Action.READ, { geom: 'audit_log.geom', owner: 'audit_log.actor_org_unit_id' }),
    };
    const repo = new AuditRepository(ctx.db, ctx.access);
    const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.page({ ...query, first, after });
    const edges = rows.map((node) => ({ node, cursor: encodeCursor({ kind: 'id', id: node.id }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => repo.count(query));
  },
};
