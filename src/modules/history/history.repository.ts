import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { historyTable, LayerRepository, type LayerDefinition, type LayerRow } from '../../geo/layer.repository';
import type { SpatialPredicate } from '../../geo/spatial-filter';

/** A version as read: the layer's own columns (selectList) and its validity. */
export interface VersionRow extends LayerRow {
  version: number;
  validFrom: Date;
  validTo: Date | null;
  /** From the audit log: who wrote this version, and who deleted it (the last version of a deleted row). */
  writtenBy: Writer | null;
  deletedBy: Writer | null;
  [field: string]: unknown;
}

export interface Writer {
  username: string | null;
  requestId: string | null;
}

/** A feature touched in a period, with its versions at both ends (as jsonb rows of selectList). */
export interface ChangeRow {
  layerIndex: number;
  id: number;
  changedAt: Date;
  writtenBy: Writer | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Whether a version exists at each end, readable or not. */
  existedBefore: boolean;
  existsAfter: boolean;
}

/**
 * Reads the kept versions of a layer's rows (its `_history` table, under the table's own name so
 * that the layer's scope, sensitive fields and computed columns apply to each version), and who
 * wrote them, from the audit log entry of the same entity and id written in the same transaction.
 */
export class HistoryRepository extends LayerRepository<LayerRow, unknown> {
  // Its statements and code read the geometry as GeoJSON (see LayerRepository.geometryAsText).
  protected override readonly geometryAsText = false;

  constructor(db: Knex | Knex.Transaction, layer: LayerDefinition<unknown>, access: Access, private readonly seesWriters: boolean) {
    super(db, layer, access);
  }

  private get versions(): Knex.QueryBuilder {
    const { table } = this.layer;
    return this.scoped(this.db({ [table]: historyTable(table) }));
  }

  /** The audit entry of this entity and id written at `time` (a column of the history row), as json. */
  private writer(time: string, action?: string): Knex.Raw {
    if (!this.seesWriters) return this.db.raw('NULL::json');
    const { table } = this.layer;
    return this.db.raw(
      `(SELECT json_build_object('username', a.actor_username, 'requestId', a.request_id) FROM audit_log a
        WHERE a.entity = ? AND a.entity_id = ??::text AND a.at = ?? ${action ? 'AND a.action = ?' : ''} ORDER BY a.id DESC LIMIT 1)`,
      [this.layer.resource, `${table}.id`, `${table}.${time}`, ...(action ? [action] : [])],
    );
  }

  /** Every version of one row that the request may read, oldest first. */
  async of(id: number): Promise<VersionRow[]> {
    const { table } = this.layer;
    return (await this.versions
      .select(this.selectList())
      .select(
        this.db.raw('??.valid_from AS "validFrom", ??.valid_to AS "validTo"', [table, table]),
        this.db.raw('? AS "writtenBy"', [this.writer('valid_from')]),
        this.db.raw(`CASE WHEN ??.valid_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ?? n WHERE n.id = ??.id AND n.valid_from = ??.valid_to)
          THEN coalesce(?, '{}'::json) END AS "deletedBy"`, [table, historyTable(table), table, table, this.writer('valid_to', 'DELETE')]),
      )
      .where(this.col('id'), id)
      .orderBy(`${table}.valid_from`)) as VersionRow[];
  }

  /**
   * The statement part for one layer: every row written in [from, to), with its readable versions
   * at both ends, keyed for paging by (layer, id). Spatial predicates hold on either end's geometry.
   */
  changesSql(layerIndex: number, from: Date, to: Date, predicates: SpatialPredicate[]): Knex.Raw {
    const { table } = this.layer;
    const history = historyTable(table);
    const hit = predicates.length
      ? this.db.raw(`(${predicates.map(() => '?').join(' AND ')})`, predicates.map((p) => p(this.db as Knex, this.geometryColumn)))
      : this.db.raw('true');
    // One end: the version valid just before `instant`, if any, and whether the reader may read it.
    const end = (instant: Date) =>
      this.db({ [table]: history })
        .select(
          this.db.raw('true AS existed'),
          this.db.raw('? AS hit', [hit]),
          this.db.raw(`CASE WHEN ? THEN (SELECT to_jsonb(v) - 'withheld' FROM (?) v) END AS row`, [
            this.readScope ?? this.db.raw('true'),
            this.db.queryBuilder().select(this.selectList()),
          ]),
        )
        .whereRaw('??.id = t.id', [table])
        .where(`${table}.valid_from`, '<', instant)
        .where((w) => w.whereNull(`${table}.valid_to`).orWhere(`${table}.valid_to`, '>=', instant));
    const touched = this.db(`${history} as h`)
      .select('h.id', this.db.raw('max(greatest(CASE WHEN h.valid_from >= ? THEN h.valid_from END, CASE WHEN h.valid_to < ? THEN h.valid_to END)) AS at', [from, to]))
      .where((w) =>
        w.where((x) => x.where('h.valid_from', '>=', from).where('h.valid_from', '<', to)).orWhere((x) => x.where('h.valid_to', '>=', from).where('h.valid_to', '<', to)),
      )
      .groupBy('h.id');
    const writer = this.seesWriters
      ? this.db.raw(
          `(SELECT json_build_object('username', a.actor_username, 'requestId', a.request_id) FROM audit_log a
            WHERE a.entity = ? AND a.entity_id = t.id::text AND a.at = t.at ORDER BY a.id DESC LIMIT 1)`,
          [this.layer.resource],
        )
      : this.db.raw('NULL::json');
    return this.db.raw(
      `SELECT ?::int AS "layerIndex", t.id, t.at AS "changedAt", ? AS "writtenBy",
              b.row AS before, a.row AS after, b.existed IS NOT NULL AS "existedBefore", a.existed IS NOT NULL AS "existsAfter"
         FROM (?) t
         LEFT JOIN LATERAL (?) b ON true
         LEFT JOIN LATERAL (?) a ON true
        WHERE (b.row IS NOT NULL AND b.hit) OR (a.row IS NOT NULL AND a.hit)`,
      [layerIndex, writer, touched, end(from), end(to)],
    );
  }
}
