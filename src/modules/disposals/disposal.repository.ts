import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import type { Cursor } from '../../common/pagination/cursor';
import { throughAsset } from '../custody';
import type { Disposal, DisposalState } from './disposal.type';

export const DISPOSAL_COLUMNS = [
  'disposals.id',
  'disposals.asset_id as assetId',
  'disposals.state',
  'disposals.reason',
  'disposals.proposed_by as proposedById',
  'disposals.proposed_at as proposedAt',
  'disposals.decision_no as decisionNo',
  'disposals.decision_date as decisionDate',
  'disposals.decided_by as decidedById',
  'disposals.executed_at as executedAt',
  'disposals.executed_by as executedById',
  'disposals.asset_state_before as assetStateBefore',
  'disposals.version',
  'disposals.created_at as createdAt',
  'disposals.updated_at as updatedAt',
];

/** A disposals list request after validation. */
export interface DisposalQuery {
  states?: DisposalState[] | null;
  assetId?: number | null;
}

/**
 * Reads of disposals, scoped through their asset: a disposal exists for the request when it may
 * read the asset and its DISPOSALS READ grant reaches it.
 */
export class DisposalRepository {
  private readonly scope: Knex.Raw | null;

  constructor(
    private readonly db: Knex | Knex.Transaction,
    access: Access,
  ) {
    this.scope = throughAsset(db as Knex, access, Resource.DISPOSALS, Action.READ);
  }

  private filtered(q: DisposalQuery = {}): Knex.QueryBuilder {
    const qb = this.db('disposals').join('assets as a', 'a.id', 'disposals.asset_id');
    if (this.scope) qb.where(this.scope);
    if (q.states?.length) qb.whereIn('disposals.state', q.states);
    if (q.assetId != null) qb.where('disposals.asset_id', q.assetId);
    return qb;
  }

  byIds(ids: readonly number[]): Promise<Disposal[]> {
    return this.filtered().select(DISPOSAL_COLUMNS).whereIn('disposals.id', [...ids]);
  }

  /** The disposals of each asset, newest first. */
  ofAssets(assetIds: readonly number[]): Promise<Disposal[]> {
    return this.filtered().select(DISPOSAL_COLUMNS).whereIn('disposals.asset_id', [...assetIds]).orderBy('disposals.id', 'desc');
  }

  /** One page by id, plus whether more follow. */
  async page(q: DisposalQuery, first: number, after?: Cursor): Promise<{ rows: Disposal[]; hasNextPage: boolean }> {
    const qb = this.filtered(q).select(DISPOSAL_COLUMNS).orderBy('disposals.id').limit(first + 1);
    if (after?.kind === 'id') qb.where('disposals.id', '>', after.id);
    const rows = (await qb) as Disposal[];
    // One row more than asked was read to know whether another page follows.
    const hasNextPage = rows.length > first;
    if (hasNextPage) rows.length = first;
    return { rows, hasNextPage };
  }

  async count(q: DisposalQuery): Promise<number> {
    const row = await this.filtered(q).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }
}
