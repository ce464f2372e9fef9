import type { Knex } from 'knex';
import { layerTarget, type Access } from '../common/auth/access';
import { Action } from '../common/auth/resources';
import type { LayerDefinition } from './layer.repository';

/** A row as the audit trail keeps it: every column as stored, the geometry as GeoJSON. */
export type Snapshot = Record<string, unknown>;

/** The row a write is about to change, locked, with what this request may do to it. */
export interface LockedRow {
  version: number;
  /** The row meets the scope of the write action (besides being readable). */
  allowed: boolean;
  before: Snapshot;
  /** Hex EWKB of the geometry before the change. */
  geom: string;
}

export interface WriteResult {
  id: number;
  /** The written row meets the scope of the write action (area, directorate). */
  allowed: boolean;
  after: Snapshot;
  geom: string;
}

/**
 * The SQL of edits to a layer: rows locked within the read scope, and inserts and updates that
 * report, from PostgreSQL itself, whether the row as written lies within the writer's scope (so a
 * service can roll back an edit that would move a feature out of, or into, an area not held).
 * Always built on a transaction.
 */
export class LayerEditRepository<F> {
  private readonly readScope: Knex.Raw | null;

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly layer: LayerDefinition<F>,
    private readonly access: Access,
  ) {
    this.readScope = this.scope(Action.READ);
  }

  private scope(action: Action): Knex.Raw | null {
    return this.access.condition(this.trx as unknown as Knex, this.layer.resource, action, layerTarget(this.layer.table));
  }

  /** `allowed`: whether the row of the layer's table meets the scope of the action (true without a limit). */
  allowedExpr(action: Action): Knex.Raw {
    const scope = this.scope(action);
    return scope ? this.trx.raw('coalesce(?, false) AS allowed', [scope]) : this.trx.raw('true AS allowed');
  }

  /** `snapshot`: the row as the audit trail keeps it. */
  snapshot(): Knex.Raw {
    const t = this.layer.table;
    return this.trx.raw(`(to_jsonb(??) - 'geom') || jsonb_build_object('geometry', ST_AsGeoJSON(??, 8)::jsonb) AS snapshot`, [t, `${t}.geom`]);
  }

  /** The readable row with this id, locked until the transaction ends; undefined when there is none. */
  async lock(id: number, action: Action.UPDATE | Action.DELETE): Promise<LockedRow | undefined> {
    const t = this.layer.table;
    const qb = this.trx(t)
      .select(`${t}.version`, this.allowedExpr(action), this.snapshot(), this.trx.raw(`encode(ST_AsEWKB(??), 'hex') AS geom`, [`${t}.geom`]))
      .where(`${t}.id`, id)
      .forUpdate();
    if (this.readScope) qb.where(this.readScope);
    const row = await qb.first();
    return row ? { version: row.version, allowed: row.allowed, before: row.snapshot, geom: row.geom } : undefined;
  }

  private returning(action: Action): Knex.Raw {
    const t = this.layer.table;
    return this.trx.raw(`??, ?, ?, encode(ST_AsEWKB(??), 'hex') AS geom`, [`${t}.id`, this.allowedExpr(action), this.snapshot(), `${t}.geom`]);
  }

  async insert(values: Record<string, unknown>, geometry: Knex.Raw): Promise<WriteResult> {
    const columns = [...Object.keys(values), 'geom'];
    const { rows } = await this.trx.raw(
      `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING ?`,
      [this.layer.table, ...columns, ...(Object.values(values) as Knex.Value[]), geometry, this.returning(Action.CREATE)],
    );
    return this.result(rows[0]);
  }

  /** Sets the values (and geometry, when given), bumps the version. */
  async update(id: number, values: Record<string, unknown>, geometry: Knex.Raw | null): Promise<WriteResult> {
    const t = this.layer.table;
    const set: [string, Knex.Value | Knex.Raw][] = Object.entries(values) as [string, Knex.Value][];
    if (geometry) set.push(['geom', geometry]);
    set.push(['version', this.trx.raw('?? + 1', [`${t}.version`])], ['updated_at', this.trx.raw('now()')]);
    const { rows } = await this.trx.raw(`UPDATE ?? SET ${set.map(() => '?? = ?').join(', ')} WHERE ?? = ? RETURNING ?`, [
      t,
      ...set.flat(),
      `${t}.id`,
      id,
      this.returning(Action.UPDATE),
    ]);
    return this.result(rows[0]);
  }

  private result(row: { id: number; allowed: boolean; snapshot: Snapshot; geom: string }): WriteResult {
    return { id: row.id, allowed: row.allowed, after: row.snapshot, geom: row.geom };
  }

  async delete(id: number): Promise<void> {
    await this.trx(this.layer.table).where('id', id).delete();
  }
}
