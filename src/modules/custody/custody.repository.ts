import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { throughAsset } from './asset-scope';
import type { Custody, Handover, HandoverItem } from './custody.type';

const CUSTODY_COLUMNS = [
  'custody.id',
  'custody.asset_id as assetId',
  'custody.holder_user_id as holderUserId',
  'custody.holder_org_unit_id as holderOrgUnitId',
  'custody.from_at as startedAt',
  'custody.to_at as endedAt',
  'custody.given_by as givenById',
  'custody.returned_by as returnedById',
  'custody.handover_id as handoverId',
  'custody.note',
  'custody.return_note as returnNote',
];

const HANDOVER_COLUMNS = [
  'handovers.id',
  'handovers.at',
  'handovers.note',
  'handovers.from_user_id as fromUserId',
  'handovers.to_user_id as toUserId',
  'handovers.done_by as doneById',
];

/** Whose custody: a person's or a unit's. */
export type HolderColumn = 'holder_user_id' | 'holder_org_unit_id';

/**
 * Reads of custody and handovers. Every statement carries the request's scope, through the asset:
 * a custody row exists for the request when it may read the asset and its CUSTODY READ grant
 * reaches it; a handover, when at least one of its assets does (and it lists only those).
 */
export class CustodyRepository {
  private readonly scope: Knex.Raw | null;

  constructor(
    private readonly db: Knex | Knex.Transaction,
    access: Access,
  ) {
    this.scope = throughAsset(db as Knex, access, Resource.CUSTODY, Action.READ);
  }

  private custody(): Knex.QueryBuilder {
    const qb = this.db('custody')
      .join('assets as a', 'a.id', 'custody.asset_id')
      .select([...CUSTODY_COLUMNS, this.db.raw('custody.to_at IS NULL AS open')]);
    if (this.scope) qb.where(this.scope);
    return qb;
  }

  byIds(ids: readonly number[]): Promise<Custody[]> {
    return this.custody().whereIn('custody.id', [...ids]);
  }

  /** The custody of each asset, newest first; only the open one with `openOnly`. */
  ofAssets(assetIds: readonly number[], openOnly: boolean): Promise<Custody[]> {
    const qb = this.custody().whereIn('custody.asset_id', [...assetIds]).orderBy([
      { column: 'custody.from_at', order: 'desc' },
      { column: 'custody.id', order: 'desc' },
    ]);
    if (openOnly) qb.whereNull('custody.to_at');
    return qb;
  }

  /** What each person or unit holds (and, with `includeReturned`, held), newest first. */
  ofHolders(column: HolderColumn, ids: readonly number[], includeReturned: boolean): Promise<Custody[]> {
    const qb = this.custody().whereIn(`custody.${column}`, [...ids]).orderBy([
      { column: 'custody.from_at', order: 'desc' },
      { column: 'custody.id', order: 'desc' },
    ]);
    if (!includeReturned) qb.whereNull('custody.to_at');
    return qb;
  }

  private handovers(): Knex.QueryBuilder {
    const visible = this.db('handover_items as hi').join('assets as a', 'a.id', 'hi.asset_id').whereRaw('hi.handover_id = handovers.id');
    if (this.scope) visible.where(this.scope);
    return this.db('handovers').select(HANDOVER_COLUMNS).whereExists(visible.select(this.db.raw('1')));
  }

  handoversByIds(ids: readonly number[]): Promise<Handover[]> {
    return this.handovers().whereIn('handovers.id', [...ids]);
  }

  /** Handovers from or to a person (all with null), newest first. */
  handoversOf(userId: number | null): Promise<Handover[]> {
    const qb = this.handovers().orderBy([
      { column: 'handovers.at', order: 'desc' },
      { column: 'handovers.id', order: 'desc' },
    ]);
    if (userId !== null) qb.where((w) => w.where('handovers.from_user_id', userId).orWhere('handovers.to_user_id', userId));
    return qb;
  }

  /** The assets of each handover that the request may read, by inventory number. */
  handoverItems(handoverIds: readonly number[]): Promise<HandoverItem[]> {
    const qb = this.db('handover_items as hi')
      .join('assets as a', 'a.id', 'hi.asset_id')
      .select('hi.handover_id as handoverId', 'hi.asset_id as assetId', 'hi.ended_custody_id as endedCustodyId', 'hi.started_custody_id as startedCustodyId')
      .whereIn('hi.handover_id', [...handoverIds])
      .orderBy(['a.inventory_no', 'hi.id']);
    if (this.scope) qb.where(this.scope);
    return qb;
  }
}
