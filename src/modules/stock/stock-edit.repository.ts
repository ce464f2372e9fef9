import type { Knex } from 'knex';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { STOCK_TARGET } from './stock.repository';

/** A row as the audit trail keeps it. */
export type StockSnapshot = Record<string, unknown>;

export interface LockedItem {
  id: number;
  code: string;
  name: string;
  unit: string;
  version: number;
  /** The item meets the scope of the write (besides being readable). */
  allowed: boolean;
  before: StockSnapshot;
}

export interface WrittenItem {
  id: number;
  allowed: boolean;
  after: StockSnapshot;
}

const SNAPSHOT = 'to_jsonb(stock_items) AS snapshot';

/**
 * The SQL of stock writes, on the caller's transaction. Scope checks happen in PostgreSQL on the
 * row before (lock) and as written (RETURNING): a directorate-limited storekeeper can neither
 * reach another directorate's items nor move one out of or into their own.
 */
export class StockEditRepository {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly access: Access,
  ) {}

  private allowed(action: Action): Knex.Raw {
    const scope = this.access.condition(this.trx as unknown as Knex, Resource.STOCK, action, STOCK_TARGET);
    return scope ? this.trx.raw('coalesce(?, false) AS allowed', [scope]) : this.trx.raw('true AS allowed');
  }

  async insertItem(values: Record<string, Knex.Value>): Promise<WrittenItem> {
    const columns = Object.keys(values);
    const { rows } = await this.trx.raw(
      `INSERT INTO stock_items (${columns.map(() => '??').join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING stock_items.id, ?, ${SNAPSHOT}`,
      [...columns, ...Object.values(values), this.allowed(Action.CREATE)],
    );
    return { id: rows[0].id, allowed: rows[0].allowed, after: rows[0].snapshot };
  }

  /**
   * The readable item, locked until the transaction ends: movements of one item wait for each
   * other here, so each sees the level the one before it left. Undefined when there is none.
   */
  async lockItem(id: number, action: Action): Promise<LockedItem | undefined> {
    const qb = this.trx('stock_items')
      .select('stock_items.id', 'stock_items.code', 'stock_items.name', 'stock_items.unit', 'stock_items.version', this.allowed(action), this.trx.raw(SNAPSHOT))
      .where('stock_items.id', id)
      .forUpdate();
    const read = this.access.condition(this.trx as unknown as Knex, Resource.STOCK, Action.READ, STOCK_TARGET);
    if (read) qb.where(read);
    const row = await qb.first();
    if (!row) return undefined;
    const { snapshot, ...rest } = row;
    return { ...rest, before: snapshot };
  }

  /** Sets the values, bumps the version; `allowed` says whether the row as written is in the UPDATE scope. */
  async updateItem(id: number, values: Record<string, Knex.Value>): Promise<WrittenItem> {
    const set = Object.entries(values);
    const { rows } = await this.trx.raw(
      `UPDATE stock_items SET ${set.map(() => '?? = ?').join(', ')}, version = version + 1, updated_at = now() WHERE stock_items.id = ? RETURNING stock_items.id, ?, ${SNAPSHOT}`,
      [...set.flat(), id, this.allowed(Action.UPDATE)],
    );
    return { id, allowed: rows[0].allowed, after: rows[0].snapshot };
  }

  /** The item's level: the sum of its movements. */
  async level(itemId: number): Promise<number> {
    const row = await this.trx('stock_movements').where('item_id', itemId).first(this.trx.raw('coalesce(sum(quantity), 0)::int AS level'));
    return row.level;
  }

  /** Whether the fault exists among those the request may read. */
  async faultVisible(faultId: number): Promise<boolean> {
    const qb = this.trx('faults').where('faults.id', faultId);
    const read = this.access.condition(this.trx as unknown as Knex, Resource.FAULTS, Action.READ, layerTarget('faults'));
    if (read) qb.where(read);
    return (await qb.first('faults.id')) !== undefined;
  }

  async insertMovement(row: { itemId: number; kind: string; quantity: number; faultId: number | null; actorId: number | null; note: string | null }): Promise<{ id: number; at: Date; snapshot: StockSnapshot }> {
    const [written] = await this.trx('stock_movements')
      .insert({ item_id: row.itemId, kind: row.kind, quantity: row.quantity, fault_id: row.faultId, actor_id: row.actorId, note: row.note })
      .returning(['id', 'at', this.trx.raw('to_jsonb(stock_movements) AS snapshot')]);
    return written;
  }
}
