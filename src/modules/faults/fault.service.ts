import type { GraphQLResolveInfo } from 'graphql';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { Connection, pageSize } from '../../common/pagination/connection';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import type { Context } from '../../context';
import { LayerEditRepository } from '../../geo/layer-edit.repository';
import { geometryField, getFeature, listLayer } from '../../geo/layer.service';
import { selectedNodeFields } from '../../geo/selection';
import { resolveSpatialFilter } from '../../geo/spatial-filter';
import type { SpatialFilter } from '../../geo/spatial.inputs';
import { AssetState, transitionAsset } from '../assets';
import { networkOperations } from '../network/network-operations.service';
import { recordAudit } from '../audit';
import { FaultEditRepository } from './fault-edit.repository';
import { openFaultConflict, reloadFault, requiredText, underDisposal } from './fault-workflow.service';
import { faultLayer, FaultRepository, type FaultQueryFilter } from './fault.repository';
import type { FaultsArgs, ReportFaultInput } from './fault.inputs';
import { FaultOrder, FaultState, type Fault, type FaultFigure, type FaultFilter, type FaultGrouping } from './fault.type';

/** Resolves `Fault.geometry(srid)`. */
export const faultGeometry = geometryField((ctx) => ctx.loaders.faults);

const MAX_SEARCH = 200;
/** The oldest age a filter may ask for: a century, where `now() - interval` is still a timestamp. */
export const MAX_AGE_DAYS = 36500;

/** The faults filter input checked, as the repository takes it. */
export function toQuery(f: FaultFilter | null | undefined): FaultQueryFilter | null {
  if (!f) return null;
  if (f.search != null && f.search.length > MAX_SEARCH) throw badInput(`filter.search may be at most ${MAX_SEARCH} characters`);
  if (f.olderThanDays != null && !(f.olderThanDays >= 0 && f.olderThanDays <= MAX_AGE_DAYS)) {
    throw badInput(`filter.olderThanDays must be between 0 and ${MAX_AGE_DAYS} (a century), got ${f.olderThanDays}`);
  }
  if (f.reportedAfter && f.reportedBefore && f.reportedAfter > f.reportedBefore) throw badInput('filter.reportedAfter is after filter.reportedBefore');
  return {
    ...f,
    ownerOrgUnit: f.ownerOrgUnitId != null ? parseId(f.ownerOrgUnitId, 'filter.ownerOrgUnitId') : undefined,
    assignee: f.assigneeId != null ? parseId(f.assigneeId, 'filter.assigneeId') : undefined,
    asset: f.assetId != null ? parseId(f.assetId, 'filter.assetId') : undefined,
  };
}

export const faultService = {
  /** A page of faults: by id (keyset), by distance, or as a queue (most urgent, then oldest first). */
  async list(ctx: Context, args: FaultsArgs, info?: GraphQLResolveInfo): Promise<Connection<Fault>> {
    const repo = new FaultRepository(ctx.db, ctx.access);
    const filter = toQuery(args.filter);
    if (args.orderBy === FaultOrder.IMPACT) return this.byImpact(ctx, repo, args, filter);
    if (args.orderBy !== FaultOrder.PRIORITY_AND_AGE) return listLayer(ctx, repo, { ...args, filter }, info);
    if (args.nearest) throw badInput('give either nearest or orderBy: PRIORITY_AND_AGE, not both');
    ctx.access.require(Resource.FAULTS, Action.READ, 'faults');
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'offset') : undefined;
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, args.spatial);
    const query = { filter, predicates, first, after, fields: selectedNodeFields(info) };
    const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.queuePage(query);
    const offset = after?.kind === 'offset' ? after.offset : 0;
    const edges = rows.map((node, i) => ({ node, cursor: encodeCursor({ kind: 'offset', offset: offset + i + 1 }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => repo.count(query));
  },

  /**
   * The queue by impact: every fault of the query ranked by what it cuts off now (the network
   * graph's count, see networkOperations.rankByImpact), the page read by id. Three statements
   * beside the graph's, whatever the page size; totalCount is the ranked list's length.
   */
  async byImpact(ctx: Context, repo: FaultRepository, args: FaultsArgs, filter: FaultQueryFilter | null | undefined): Promise<Connection<Fault>> {
    if (args.nearest) throw badInput('give either nearest or orderBy: IMPACT, not both');
    ctx.access.require(Resource.FAULTS, Action.READ, 'faults');
    ctx.access.require(Resource.NETWORK_LINES, Action.READ, 'the network');
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'offset') : undefined;
    const offset = after?.kind === 'offset' ? after.offset : 0;
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, args.spatial);
    const ranked = await networkOperations.rankByImpact(ctx, await repo.impactCandidates({ filter, predicates }));
    const ids = ranked.slice(offset, offset + first);
    const rows = ids.length ? await ctx.loaders.faults.byId.loadMany(ids) : [];
    const edges = rows.map((node, i) => {
      if (!node || node instanceof Error) throw node ?? new AppError('INTERNAL_SERVER_ERROR', 'a ranked fault vanished');
      return { node, cursor: encodeCursor({ kind: 'offset', offset: offset + i + 1 }), distanceMeters: null };
    });
    return new Connection(edges, Connection.pageInfo(edges, offset + first < ranked.length), () => Promise.resolve(ranked.length));
  },

  /** One fault; NOT_FOUND when there is none the request may read. */
  get(ctx: Context, id: string): Promise<Fault> {
    return getFeature(ctx.loaders.faults, id, 'fault');
  },

  async figures(ctx: Context, by: FaultGrouping, filter: FaultFilter | null | undefined, spatial: SpatialFilter | null | undefined): Promise<FaultFigure[]> {
    ctx.access.require(Resource.FAULTS, Action.READ, 'faults');
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, spatial);
    return new FaultRepository(ctx.db, ctx.access).figures(by, { filter: toQuery(filter), predicates });
  },

  /**
   * Reports a fault, in one transaction: the asset (which the reporter must be able to read:
   * NOT_FOUND otherwise) becomes FAULTY, remembering the state it was in; CONFLICT when it already
   * has an open fault. The fault belongs to the reporter's directorate and lies where the asset is
   * (or at the place given); FORBIDDEN outside the reporter's FAULTS CREATE grants. Its first event
   * and audit row are written with it.
   */
  async report(ctx: Context, input: ReportFaultInput): Promise<Fault | null> {
    ctx.access.require(Resource.FAULTS, Action.CREATE, 'faults');
    const who = ctx.identity;
    if (!who) throw new AppError('UNAUTHENTICATED', 'log in to report a fault');
    const description = requiredText(input.description, 'input.description');
    if ((input.assetId == null) === (input.geometry == null)) throw badInput('input: give either assetId or geometry (a place), not both or neither');
    const assetId = input.assetId != null ? parseId(input.assetId, 'input.assetId') : null;
    const place = input.geometry
      ? await ctx.geo.geometry(ctx.db, input.geometry, input.srid ?? 4326, { argument: 'input.geometry', types: ['POINT'] })
      : null;
    return ctx.db.transaction(async (trx) => {
      const faults = new FaultEditRepository(trx);
      let before: AssetState | null = null;
      if (assetId != null) {
        before = (await transitionAsset(trx, ctx, assetId, AssetState.FAULTY, 'FAULT')).from;
        if (before === AssetState.PENDING_DISPOSAL) throw underDisposal(assetId);
        const open = await faults.openFaultOf(ctx.access, assetId);
        if (open) throw openFaultConflict(open, `asset ${assetId} already has an open fault`, 'add to that one instead');
      }
      const edit = new LayerEditRepository(trx, faultLayer(ctx.db), ctx.access);
      const written = await edit.insert(
        {
          asset_id: assetId,
          owner_org_unit_id: who.orgUnitId,
          reported_by: who.userId,
          category: input.category,
          priority: input.priority,
          description,
          state: FaultState.NEW,
          asset_state_before: before,
        },
        place ? trx.raw('?::geometry', [place.ewkb]) : trx.raw('(SELECT geom FROM assets WHERE id = ?)', [assetId]),
      );
      if (!written.allowed) throw forbidden('you may not report faults there: it is outside the area or directorate where you may report faults');
      await faults.insertEvent({ faultId: written.id, actorId: who.userId, from: null, to: FaultState.NEW, note: null });
      await recordAudit(trx, ctx, { entity: Resource.FAULTS, entityId: written.id, action: Action.CREATE, before: null, after: written.after, geometries: [written.geom] });
      return reloadFault(ctx, trx, written.id);
    });
  },
};
