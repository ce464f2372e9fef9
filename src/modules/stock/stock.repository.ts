import type { Knex } from 'knex';
import type { Access, ScopeTarget } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import type { Cursor } from '../../common/pagination/cursor';
import { foldedContainsAny } from '../../db/text-search';
import type { StockCategory, StockItem, StockMovement } from './stock.type';

/** The columns a grant's limits refer to on stock items: the directorate keeping them. */
export const STOCK_TARGET: ScopeTarget = { owner: 'stock_items.owner_org_unit_id' };

/** The level of each item, from its movements, joined as `lv`. */
const LEVEL_JOIN = 'CROSS JOIN LATERAL (SELECT coalesce(sum(m.quantity), 0)::int AS level FROM stock_movements m WHERE m.item_id = stock_items.id) AS lv';

const ITEM_COLUMNS = [
  'stock_items.id',
  'stock_items.code',
  'stock_items.name',
  'stock_items.category',
  'stock_items.unit',
  'stock_items.minimum_level as minimumLevel',
  'stock_items.owner_org_unit_id as ownerOrgUnitId',
  'stock_items.version',
  'stock_items.created_at as createdAt',
  'stock_items.updated_at as updatedAt',
  'lv.level',
];

/** A stock item list request after validation. */
export interface StockQuery {
  belowMinimum?: boolean | null;
  category?: StockCategory | null;
  search?: string | null;
  ownerOrgUnitId?: number | null;
}

/** One page of an item's movements, newest first. */
export interface MovementPage {
  rows: StockMovement[];
  hasNextPage: boolean;
}

/**
 * Reads of stock items and their movements. The level is computed in SQL from the movements, in
 * the same statement as the items; every statement carries the request's STOCK READ scope.
 */
export class StockRepository {
  private readonly scope: Knex.Raw | null;

  constructor(
    private readonly db: Knex | Knex.Transaction,
    access: Access,
  ) {
    this.scope = access.condition(db as Knex, Resource.STOCK, Action.READ, STOCK_TARGET);
  }

  private items(q: StockQuery = {}): Knex.QueryBuilder {
    const qb = this.db('stock_items').joinRaw(LEVEL_JOIN);
    if (this.scope) qb.where(this.scope);
    if (q.belowMinimum === true) qb.whereRaw('lv.level < stock_items.minimum_level');
    if (q.belowMinimum === false) qb.whereRaw('lv.level >= stock_items.minimum_level');
    if (q.category != null) qb.where('stock_items.category', q.category);
    if (q.ownerOrgUnitId != null) qb.where('stock_items.owner_org_unit_id', q.ownerOrgUnitId);
    if (q.search) qb.where(foldedContainsAny(this.db as Knex, ['stock_items.code', 'stock_items.name'], q.search));
    return qb;
  }

  private select(qb: Knex.QueryBuilder): Knex.QueryBuilder {
    return qb.select([...ITEM_COLUMNS, this.db.raw('lv.level < stock_items.minimum_level AS "belowMinimum"')]);
  }

  byIds(ids: readonly number[]): Promise<StockItem[]> {
    return this.select(this.items()).whereIn('stock_items.id', [...ids]);
  }

  /** One page by id, plus whether more follow. */
  async page(q: StockQuery, first: number, after?: Cursor): Promise<{ rows: StockItem[]; hasNextPage: boolean }> {
    const qb = this.select(this.items(q)).orderBy('stock_items.id').limit(first + 1);
    if (after?.kind === 'id') qb.where('stock_items.id', '>', after.id);
    const rows = (await qb) as StockItem[];
    // One row more than asked was read to know whether another page follows.
    const hasNextPage = rows.length > first;
    if (hasNextPage) rows.length = first;
    return { rows, hasNextPage };
  }

  async count(q: StockQuery): Promise<number> {
    const row = await this.items(q).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /** Items under their minimum, the largest shortfall first. */
  belowMinimum(): Promise<StockItem[]> {
    return this.select(this.items({ belowMinimum: true })).orderByRaw('stock_items.minimum_level - lv.level DESC, stock_items.code');
  }

  /**
   * The newest `first` movements of each item (older than `afterId`, when given), each with the
   * level right after it: one statement for all the items.
   */
  async movementPages(itemIds: readonly number[], first: number, afterId: number | null): Promise<Map<number, MovementPage>> {
    const visible = this.db('stock_items').select('stock_items.id').whereIn('stock_items.id', [...itemIds]);
    if (this.scope) visible.where(this.scope);
    const all = this.db('stock_movements as m')
      .select(
        'm.id',
        'm.item_id as itemId',
        'm.kind',
        'm.quantity',
        'm.fault_id as faultId',
        'm.actor_id as actorId',
        'm.at',
        'm.note',
        this.db.raw('(sum(m.quantity) OVER (PARTITION BY m.item_id ORDER BY m.id))::int AS "levelAfter"'),
      )
      .whereIn('m.item_id', visible);
    const { rows } = await this.db.raw(
      `SELECT * FROM (
         SELECT s.*, row_number() OVER (PARTITION BY s."itemId" ORDER BY s.id DESC) AS rn FROM (?) AS s WHERE ?::bigint IS NULL OR s.id < ?::bigint
       ) AS p WHERE p.rn <= ? ORDER BY p."itemId", p.id DESC`,
      [all, afterId, afterId, first + 1],
    );
    const pages = new Map<number, MovementPage>();
    for (const id of itemIds) pages.set(id, { rows: [], hasNextPage: false });
    for (const { rn, ...row } of rows as (StockMovement & { rn: number })[]) {
      const page = pages.get(row.itemId)!;
      if (rn > first) page.hasNextPage = true;
      else page.rows.push(row);
    }
    return pages;
  }

  /** How many movements each item has. */
  async movementCounts(itemIds: readonly number[]): Promise<Map<number, number>> {
    const rows: { itemId: number; n: number }[] = await this.db('stock_movements')
      .select('item_id as itemId')
      .count({ n: '*' })
      .whereIn('item_id', [...itemIds])
      .groupBy('item_id');
    return new Map(rows.map((r) => [r.itemId, Number(r.n)]));
  }
}
