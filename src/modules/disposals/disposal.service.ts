import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { Connection, pageSize, type PageArgs } from '../../common/pagination/connection';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import type { Context } from '../../context';
import { ASSET_TRANSITIONS, AssetState, transitionAsset } from '../assets';
import { recordAudit } from '../audit';
import { endCustodyOfAsset } from '../custody';
import { DisposalEditRepository, type LockedDisposal } from './disposal-edit.repository';
import { DisposalRepository } from './disposal.repository';
import { DisposalState, type Disposal, type DisposalFilter } from './disposal.type';

const MAX_REASON = 2000;
const MAX_DECISION_NO = 100;

/**
 * The state a rejected proposal returns the asset to: the one it was in, or FAULTY when that was a
 * repair state (IN_REPAIR, AT_VENDOR) the asset cannot go back to directly; its fault moves it on.
 */
export function restoredState(before: AssetState | null): AssetState {
  const allowed = ASSET_TRANSITIONS[AssetState.PENDING_DISPOSAL];
  if (before && allowed.includes(before)) return before;
  return before === AssetState.IN_REPAIR || before === AssetState.AT_VENDOR ? AssetState.FAULTY : AssetState.IN_STOCK;
}

/** The disposal, locked, with the version the client read: NOT_FOUND, FORBIDDEN, CONFLICT. */
async function lockForWrite(edit: DisposalEditRepository, id: number, version: number, doing: string): Promise<LockedDisposal> {
  const current = await edit.lock(id, Action.UPDATE);
  if (!current) throw notFound('disposal', id);
  if (!current.allowed) throw forbidden(`you may not ${doing} disposal ${id}: its asset is outside the area or directorate where you may`);
  if (current.version !== version) {
    throw new AppError('CONFLICT', `disposal ${id} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
      currentVersion: current.version,
    });
  }
  return current;
}

/** The disposal as the writer now reads it, in the write's transaction: a committed write always gets its answer. */
const reload = async (ctx: Context, trx: Knex.Transaction, id: number) => (await new DisposalRepository(trx, ctx.access).byIds([id]))[0] ?? null;

/**
 * Disposal (hurda): proposal, decision, execution. Each step moves the asset through
 * transitionAsset (via DISPOSAL) in the same transaction as the disposal row and their audit rows,
 * so the asset's state and its disposal never disagree.
 */
export const disposalService = {
  async list(ctx: Context, args: PageArgs & { filter?: DisposalFilter | null }): Promise<Connection<Disposal>> {
    ctx.access.require(Resource.DISPOSALS, Action.READ, 'disposals');
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const f = args.filter ?? {};
    const query = { states: f.state ?? null, assetId: f.assetId != null ? parseId(f.assetId, 'filter.assetId') : null };
    const repo = new DisposalRepository(ctx.db, ctx.access);
    const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.page(query, first, after);
    const edges = rows.map((node) => ({ node, cursor: encodeCursor({ kind: 'id', id: node.id }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => repo.count(query));
  },

  async get(ctx: Context, idArg: string): Promise<Disposal> {
    ctx.access.require(Resource.DISPOSALS, Action.READ, 'disposals');
    const found = await ctx.loaders.disposals.byId.load(parseId(idArg, 'id'));
    if (!found) throw notFound('disposal', idArg);
    return found;
  },

  /** Proposes disposing of an asset: it becomes PENDING_DISPOSAL, the state it leaves is kept. */
  async propose(ctx: Context, assetIdArg: string, reasonArg: string): Promise<Disposal | null> {
    ctx.access.require(Resource.DISPOSALS, Action.CREATE, 'disposals');
    const assetId = parseId(assetIdArg, 'assetId');
    const reason = reasonArg.trim();
    if (!reason) throw badInput('reason must not be empty: say why the asset should be disposed of');
    if (reason.length > MAX_REASON) throw badInput(`reason may be at most ${MAX_REASON} characters`);
    return ctx.db.transaction(async (trx) => {
      const edit = new DisposalEditRepository(trx, ctx.access);
      const asset = await edit.lockAsset(assetId);
      if (!asset) throw notFound('asset', assetId);
      if (!asset.allowed) throw forbidden(`you may not propose disposing of asset ${asset.inventoryNo}: it is outside the area or directorate where you may`);
      const open = await edit.openOf(assetId);
      if (open !== undefined) throw new AppError('CONFLICT', `asset ${asset.inventoryNo} already has an open disposal (disposal ${open})`, { disposalId: open });
      const { from } = await transitionAsset(trx, ctx, assetId, AssetState.PENDING_DISPOSAL, 'DISPOSAL');
      const written = await edit.insert({ asset_id: assetId, reason, proposed_by: ctx.identity?.userId ?? null, asset_state_before: from });
      await recordAudit(trx, ctx, { entity: Resource.DISPOSALS, entityId: written.id, action: Action.CREATE, before: null, after: written.after, geometries: [asset.geom] });
      return reload(ctx, trx, written.id);
    });
  },

  /**
   * Records the decision on a proposal. An approval leaves the asset PENDING_DISPOSAL until the
   * execution; a rejection returns it to the state it was in.
   */
  async decide(ctx: Context, idArg: string, version: number, approved: boolean, decisionNoArg: string, decisionDate: string): Promise<Disposal | null> {
    ctx.access.require(Resource.DISPOSALS, Action.UPDATE, 'disposals');
    const id = parseId(idArg, 'id');
    const decisionNo = decisionNoArg.trim();
    if (!decisionNo) throw badInput('decisionNo must not be empty');
    if (decisionNo.length > MAX_DECISION_NO) throw badInput(`decisionNo may be at most ${MAX_DECISION_NO} characters`);
    return ctx.db.transaction(async (trx) => {
      const edit = new DisposalEditRepository(trx, ctx.access);
      const current = await lockForWrite(edit, id, version, 'decide');
      if (current.state !== DisposalState.PROPOSED) {
        throw new AppError('CONFLICT', `disposal ${id} is ${current.state}: only a PROPOSED disposal is decided`, { state: current.state });
      }
      if (!approved) await transitionAsset(trx, ctx, current.assetId, restoredState(current.assetStateBefore), 'DISPOSAL');
      const after = await edit.update(id, {
        state: approved ? DisposalState.APPROVED : DisposalState.REJECTED,
        decision_no: decisionNo,
        decision_date: decisionDate,
        decided_by: ctx.identity?.userId ?? null,
      });
      await recordAudit(trx, ctx, { entity: Resource.DISPOSALS, entityId: id, action: Action.UPDATE, before: current.before, after, geometries: [current.geom] });
      return reload(ctx, trx, id);
    });
  },

  /**
   * Executes an approved disposal: the asset becomes DISPOSED (out of the active inventory, still on
   * the record) and its custody, if anyone holds it, ends in the same transaction.
   */
  async execute(ctx: Context, idArg: string, version: number): Promise<Disposal | null> {
    ctx.access.require(Resource.DISPOSALS, Action.UPDATE, 'disposals');
    const id = parseId(idArg, 'id');
    return ctx.db.transaction(async (trx) => {
      const edit = new DisposalEditRepository(trx, ctx.access);
      const current = await lockForWrite(edit, id, version, 'execute');
      if (current.state !== DisposalState.APPROVED) {
        const why = current.state === DisposalState.PROPOSED ? 'it has not been decided yet (decideDisposal)' : `it is ${current.state}`;
        throw new AppError('CONFLICT', `disposal ${id} cannot be executed: ${why}; only an APPROVED disposal is executed`, { state: current.state });
      }
      await transitionAsset(trx, ctx, current.assetId, AssetState.DISPOSED, 'DISPOSAL');
      await endCustodyOfAsset(trx, ctx, current.assetId, `disposed of: disposal ${id}, decision ${current.decisionNo}`, current.geom);
      const after = await edit.update(id, { state: DisposalState.EXECUTED, executed_at: trx.fn.now(), executed_by: ctx.identity?.userId ?? null });
      await recordAudit(trx, ctx, { entity: Resource.DISPOSALS, entityId: id, action: Action.UPDATE, before: current.before, after, geometries: [current.geom] });
      return reload(ctx, trx, id);
    });
  },
};
