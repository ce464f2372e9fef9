import type { Knex } from 'knex';
import { layerTarget, type Access, type ScopeTarget } from '../../common/auth/access';
import { Action } from '../../common/auth/resources';
import { geometryInputReason } from '../../db/pg-errors';
import { inspectionColumns, type GeometryInspection } from '../../geo/geometry.repository';
import { LayerEditRepository } from '../../geo/layer-edit.repository';
import type { LayerDefinition, Referenced } from '../../geo/layer.repository';
import { AuditRepository, type AuditActor } from '../audit';

/** A row of the file on its way into the staging table. */
export interface StagedRow {
  row: number;
  /** Column -> value, already converted (jsonb_populate_record types them as the layer's table). */
  values: Record<string, unknown>;
  /** Some field was refused: the row is checked but never written. */
  bad: boolean;
  geojson?: string;
  wkb?: string;
  wkt?: string;
}

const STAGE = 'kbs_import_rows';

/** Which write a staged row becomes. */
export type RowAction = 'insert' | 'update' | 'unchanged';

/**
 * The SQL of a bulk import, set-based: rows are loaded in batches into a temporary table (dropped
 * at the end of the transaction), checked there in a few statements over all of them, and written
 * with one INSERT … SELECT and one UPDATE … FROM, whose audit rows are written by the same
 * statements. The grant conditions, the geometry inspection, the write-scope check after writing
 * and the audit snapshot are the edit mutations' own (Access.condition, inspectionColumns,
 * LayerEditRepository, AuditRepository). Always built on a transaction.
 */
export class ImportRepository {
  private readonly table: string;
  private readonly edit: LayerEditRepository<unknown>;

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly layer: LayerDefinition<unknown>,
    private readonly access: Access,
  ) {
    this.table = layer.table;
    this.edit = new LayerEditRepository(trx, layer, access);
  }

  async createStage(): Promise<void> {
    await this.trx.raw(`CREATE TEMP TABLE ${STAGE} (
      row_no int PRIMARY KEY, vals jsonb NOT NULL, bad boolean NOT NULL DEFAULT false,
      src geometry, geom geometry, key text, target_id int, readable boolean, updatable boolean,
      owner int, pub boolean, action text) ON COMMIT DROP`);
  }

  /**
   * Loads a batch, PostGIS parsing each geometry (GeoJSON, WKB or WKT) in `srid`. A geometry
   * PostGIS cannot parse fails its batch: the batch is then loaded row by row, and each such row is
   * returned with PostGIS's reason (and staged without a geometry).
   */
  async load(rows: StagedRow[], srid: number): Promise<{ row: number; reason: string }[]> {
    try {
      await this.trx.transaction((sp) => this.insert(sp, rows, srid));
      return [];
    } catch (err) {
      const reason = geometryInputReason(err);
      if (reason === undefined) throw err;
      if (rows.length === 1) {
        await this.insert(this.trx, [{ ...rows[0], geojson: undefined, wkb: undefined, wkt: undefined, bad: true }], srid);
        return [{ row: rows[0].row, reason }];
      }
    }
    const failed: { row: number; reason: string }[] = [];
    for (const row of rows) failed.push(...(await this.load([row], srid)));
    return failed;
  }

  private async insert(db: Knex.Transaction, rows: StagedRow[], srid: number): Promise<void> {
    const json = rows.map((r) => ({ row_no: r.row, vals: r.values, bad: r.bad, gj: r.geojson ?? null, wkb: r.wkb ?? null, wkt: r.wkt ?? null }));
    await db.raw(
      `INSERT INTO ${STAGE} (row_no, vals, bad, src)
       SELECT r.row_no, r.vals, r.bad, ST_SetSRID(CASE WHEN r.wkb IS NOT NULL THEN ST_GeomFromWKB(decode(r.wkb, 'hex'))
                                                       WHEN r.wkt IS NOT NULL THEN ST_GeomFromText(r.wkt)
                                                       WHEN r.gj IS NOT NULL THEN ST_GeomFromGeoJSON(r.gj) END, ?::int)
       FROM json_to_recordset(?::json) AS r(row_no int, vals jsonb, bad boolean, gj text, wkb text, wkt text)`,
      [srid, JSON.stringify(json)],
    );
  }

  /** A MultiPoint or MultiLineString of one part becomes that part, for layers of Points or LineStrings. */
  async singlePartMultis(multi: string): Promise<void> {
    await this.trx.raw(`UPDATE ${STAGE} SET src = ST_GeometryN(src, 1) WHERE src IS NOT NULL AND GeometryType(src) = ? AND ST_NumGeometries(src) = 1`, [multi]);
  }

  /** Every staged geometry inspected as an edit's input geometry is (see inspectionColumns). */
  async inspect(geodetic: boolean): Promise<(GeometryInspection & { row: number })[]> {
    const { rows } = await this.trx.raw(`SELECT row_no AS row, ${inspectionColumns('src')} FROM ${STAGE} WHERE src IS NOT NULL ORDER BY row_no`, [geodetic]);
    return rows;
  }

  async markBad(rows: number[]): Promise<void> {
    if (rows.length) await this.trx.raw(`UPDATE ${STAGE} SET bad = true WHERE row_no = ANY(?::int[])`, [rows]);
  }

  /**
   * Transforms the good rows' geometries to EPSG:4326, 2D (KML and GPS files carry heights the layers
   * do not keep), Multi for MultiPolygon layers, where they
   * lie within the CRS's domain; returns the rows outside it.
   */
  async place(domain: string | null, multi: boolean): Promise<number[]> {
    const inside = domain ? this.trx.raw('ST_CoveredBy(src, ?::geometry)', [domain]) : this.trx.raw('true');
    await this.trx.raw(`UPDATE ${STAGE} SET geom = CASE WHEN ? THEN ${multi ? 'ST_Multi(ST_Force2D(ST_Transform(src, 4326)))' : 'ST_Force2D(ST_Transform(src, 4326))'} END WHERE NOT bad AND src IS NOT NULL`, [inside]);
    const { rows } = await this.trx.raw(`SELECT row_no FROM ${STAGE} WHERE NOT bad AND src IS NOT NULL AND geom IS NULL ORDER BY row_no`);
    return rows.map((r: { row_no: number }) => r.row_no);
  }

  /** The natural key as one text, over a row of the layer's table type: folded text fields where `fold`. */
  private keySql(alias: string, columns: string[], fold: boolean): string {
    const parts = columns.map((c) => {
      const v = `${alias}.${this.trx.client.wrapIdentifier(c)}::text`;
      return `coalesce(${fold ? `kbs_fold(${v})` : v}, chr(30))`;
    });
    return `concat_ws(chr(31), ${parts.join(', ')})`;
  }

  /** Fills each row's key; returns the rows whose key an earlier row of the file already has. */
  async keys(columns: string[], fold: boolean): Promise<{ row: number; first: number }[]> {
    await this.trx.raw(`UPDATE ${STAGE} s SET key = (SELECT ${this.keySql('r', columns, fold)} FROM jsonb_populate_record(NULL::??, s.vals) r)`, [this.table]);
    const { rows } = await this.trx.raw(
      `SELECT row_no AS row, first FROM (SELECT row_no, min(row_no) OVER (PARTITION BY key) AS first FROM ${STAGE}) d WHERE row_no <> first ORDER BY row_no`,
    );
    return rows;
  }

  private condition(action: Action, target: ScopeTarget): Knex.Raw {
    const c = this.access.condition(this.trx as unknown as Knex, this.layer.resource, action, target);
    return c ? this.trx.raw('coalesce(?, false)', [c]) : this.trx.raw('true');
  }

  /**
   * Finds each row's existing feature by key, with whether the importer may read and update it as
   * it is; in a commit, locks those features until the transaction ends.
   */
  async match(columns: string[], fold: boolean, lock: boolean): Promise<void> {
    const t = this.table;
    await this.trx.raw(
      `UPDATE ${STAGE} s SET target_id = ??.id, readable = ?, updatable = ? FROM ?? WHERE ${this.keySql(this.trx.client.wrapIdentifier(t), columns, fold)} = s.key AND NOT s.bad`,
      [t, this.condition(Action.READ, layerTarget(t)), this.condition(Action.UPDATE, layerTarget(t)), t],
    );
    if (lock) await this.trx.raw(`SELECT ??.id FROM ?? JOIN ${STAGE} s ON s.target_id = ??.id ORDER BY ??.id FOR UPDATE OF ??`, [t, t, t, t, t]);
  }

  /**
   * Rows whose reference field (a foreign key, e.g. cameraId) names no row the importer may read:
   * the edit mutations' own reading of a referenced row (and what the foreign key would refuse).
   */
  async unreadableReferences(column: string, ref: Referenced): Promise<{ row: number; id: string }[]> {
    const readable = this.readable(ref);
    const { rows } = await this.trx.raw(
      `SELECT s.row_no AS row, s.vals->>? AS id FROM ${STAGE} s
       WHERE NOT s.bad AND s.vals->>? IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ?? WHERE ?? = (s.vals->>?)::int AND coalesce(?, false))
       ORDER BY s.row_no`,
      [column, column, ref.table, `${ref.table}.id`, column, readable],
    );
    return rows;
  }

  /** Whether the importer may read a row of `ref`'s table (a condition on that table's columns). */
  private readable(ref: Referenced): Knex.Raw {
    if (ref.readByAll) return this.trx.raw('true');
    if (!this.access.can(ref.resource, Action.READ)) return this.trx.raw('false');
    return this.access.condition(this.trx as unknown as Knex, ref.resource, Action.READ, ref.target) ?? this.trx.raw('true');
  }

  /**
   * A reference given as a code (a text: "UB-01" for remote unit 1) becomes the id of the row with
   * that code which the importer may read; rows whose code names none are returned with it, and
   * staged as refused without a value.
   */
  async resolveCodes(column: string, ref: Referenced): Promise<{ row: number; code: string }[]> {
    const path = `{${column}}`;
    await this.trx.raw(
      `UPDATE ${STAGE} s SET vals = jsonb_set(s.vals, ?::text[], to_jsonb(??)) FROM ??
       WHERE jsonb_typeof(s.vals->?) = 'string' AND ?? = s.vals->>? AND coalesce(?, false)`,
      [path, `${ref.table}.id`, ref.table, column, `${ref.table}.${ref.code}`, column, this.readable(ref)],
    );
    const { rows } = await this.trx.raw(
      `UPDATE ${STAGE} s SET vals = jsonb_set(s.vals, ?::text[], 'null'::jsonb), bad = true FROM ${STAGE} o
       WHERE o.row_no = s.row_no AND jsonb_typeof(s.vals->?) = 'string' RETURNING s.row_no AS row, o.vals->>? AS code`,
      [path, column, column],
    );
    return (rows as { row: number; code: string }[]).sort((a, b) => a.row - b.row);
  }

  /**
   * The table's unique indexes on plain columns (not its primary key, not expressions, not
   * partial), as lists of columns: the constraints besides the natural key that a row may break.
   */
  async uniqueColumnSets(): Promise<string[][]> {
    const { rows } = await this.trx.raw(
      `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = ?::regclass AND i.indisunique AND NOT i.indisprimary AND i.indexprs IS NULL AND i.indpred IS NULL
       GROUP BY i.indexrelid ORDER BY i.indexrelid`,
      [this.table],
    );
    return rows.map((r: { columns: string[] }) => r.columns);
  }

  /**
   * Rows that would break the unique index on `columns`: an earlier good row of the file with the
   * same values (`first`), or a stored feature other than the one the row updates (`first` null).
   * Null values break nothing, as in the index.
   */
  async uniqueConflicts(columns: string[]): Promise<{ row: number; first: number | null }[]> {
    const t = this.table;
    const q = (c: string) => this.trx.client.wrapIdentifier(c);
    const values = columns.map((c) => `r.${q(c)}`).join(', ');
    const notNull = columns.map((c) => `r.${q(c)} IS NOT NULL`).join(' AND ');
    const same = columns.map((c) => `x.${q(c)} = r.${q(c)}`).join(' AND ');
    const { rows } = await this.trx.raw(
      `WITH r AS (
         SELECT s.row_no, s.target_id, r.* FROM ${STAGE} s CROSS JOIN LATERAL jsonb_populate_record(NULL::??, s.vals) r
         WHERE NOT s.bad AND s.action IS DISTINCT FROM 'unchanged'
       )
       SELECT row, first FROM (
         SELECT r.row_no AS row, CASE WHEN ${notNull} THEN min(r.row_no) OVER (PARTITION BY ${values}) END AS first,
                ${notNull} AND EXISTS (SELECT 1 FROM ?? x WHERE ${same} AND x.id IS DISTINCT FROM r.target_id) AS stored
         FROM r
       ) c WHERE first <> row OR stored ORDER BY row`,
      [t, t],
    );
    return rows.map((r: { row: number; first: number }) => ({ row: r.row, first: r.first !== r.row ? r.first : null }));
  }

  /**
   * Rows without a geometry of their own take the position of the row their first given reference
   * field of `columns` names (the import has checked that the importer may read it); an update
   * without one keeps the feature's stored geometry. Returns the rows left without a position.
   */
  async positions(references: { column: string; table: string }[], multi: boolean): Promise<number[]> {
    const unplaced = `NOT s.bad AND s.src IS NULL AND s.geom IS NULL`;
    for (const { column, table } of references) {
      await this.trx.raw(
        `UPDATE ${STAGE} s SET geom = ${multi ? 'ST_Multi(x.geom)' : 'x.geom'} FROM ?? x WHERE ${unplaced} AND x.id = (s.vals->>?)::int`,
        [table, column],
      );
    }
    await this.trx.raw(`UPDATE ${STAGE} s SET geom = x.geom FROM ?? x WHERE ${unplaced} AND x.id = s.target_id`, [this.table]);
    const { rows } = await this.trx.raw(`SELECT row_no FROM ${STAGE} s WHERE ${unplaced} ORDER BY row_no`);
    return rows.map((r: { row_no: number }) => r.row_no);
  }

  /** Rows of an existing feature, with whether it may be read and updated. */
  async matched(): Promise<{ row: number; readable: boolean; updatable: boolean }[]> {
    const { rows } = await this.trx.raw(`SELECT row_no AS row, readable, updatable FROM ${STAGE} WHERE target_id IS NOT NULL AND NOT bad ORDER BY row_no`);
    return rows;
  }

  /**
   * Decides insert, update or unchanged for the good rows, and sets the owner and public flag the
   * feature would have; `given` are the columns the import writes, `notNull` those that keep their
   * value (or take their default) where a row gives none.
   */
  async classify(given: string[], notNull: Map<string, string | null>): Promise<void> {
    const t = this.table;
    const q = (c: string) => this.trx.client.wrapIdentifier(c);
    const ownerExpr = given.includes('owner_org_unit_id') ? `(s.vals->>'owner_org_unit_id')::int` : 'NULL::int';
    const pubExpr = given.includes('is_public') ? `(s.vals->>'is_public')::boolean` : 'NULL::boolean';
    await this.trx.raw(
      `UPDATE ${STAGE} s SET action = CASE WHEN s.target_id IS NULL THEN 'insert' ELSE 'update' END,
         owner = CASE WHEN s.target_id IS NULL OR ${given.includes('owner_org_unit_id')} THEN ${ownerExpr}
                      ELSE (SELECT x.owner_org_unit_id FROM ?? x WHERE x.id = s.target_id) END,
         pub = coalesce(${pubExpr}, CASE WHEN s.target_id IS NULL THEN false ELSE (SELECT x.is_public FROM ?? x WHERE x.id = s.target_id) END)
       WHERE NOT s.bad AND s.geom IS NOT NULL`,
      [t, t],
    );
    const differs = [
      ...given.map((c) => `${q(t)}.${q(c)} IS DISTINCT FROM ${this.updateValue(c, notNull)}`),
      `ST_AsEWKB(${q(t)}.geom) <> ST_AsEWKB(s.geom)`,
    ].join(' OR ');
    await this.trx.raw(
      `UPDATE ${STAGE} s SET action = 'unchanged' WHERE s.action = 'update'
         AND NOT EXISTS (SELECT 1 FROM ??, jsonb_populate_record(NULL::??, s.vals) r WHERE ??.id = s.target_id AND (${differs}))`,
      [t, t, t],
    );
  }

  private updateValue(column: string, notNull: Map<string, string | null>): string {
    const q = (c: string) => this.trx.client.wrapIdentifier(c);
    return notNull.has(column) ? `coalesce(r.${q(column)}, ${q(this.table)}.${q(column)})` : `r.${q(column)}`;
  }

  private insertValue(column: string, notNull: Map<string, string | null>): string {
    const q = (c: string) => this.trx.client.wrapIdentifier(c);
    const fallback = notNull.get(column);
    return fallback ? `coalesce(r.${q(column)}, ${fallback})` : `r.${q(column)}`;
  }

  /** Rows whose feature, as it would be written, lies outside where the importer may create (or update) it. */
  async outOfScope(): Promise<{ row: number; action: RowAction }[]> {
    const target = { geom: 's.geom', owner: 's.owner', isPublic: 's.pub' };
    const { rows } = await this.trx.raw(
      `SELECT row_no AS row, action FROM ${STAGE} s
       WHERE NOT s.bad AND s.action IS NOT NULL AND s.action <> 'unchanged'
         AND NOT CASE WHEN s.action = 'insert' THEN ? ELSE ? END ORDER BY row_no`,
      [this.condition(Action.CREATE, target), this.condition(Action.UPDATE, target)],
    );
    return rows;
  }

  async counts(): Promise<Record<RowAction, number>> {
    const { rows } = await this.trx.raw(`SELECT action, count(*)::int AS n FROM ${STAGE} WHERE NOT bad AND action IS NOT NULL GROUP BY action`);
    const counts: Record<RowAction, number> = { insert: 0, update: 0, unchanged: 0 };
    for (const r of rows as { action: RowAction; n: number }[]) counts[r.action] = r.n;
    return counts;
  }

  /**
   * Writes the inserts and their CREATE audit rows in one statement; returns how many were written
   * and how many of those the database finds outside the importer's create scope (which must be none).
   */
  async writeInserts(given: string[], notNull: Map<string, string | null>, actor: AuditActor): Promise<{ written: number; refused: number }> {
    const t = this.table;
    const q = (c: string) => this.trx.client.wrapIdentifier(c);
    const columns = [...given, 'geom'].map(q).join(', ');
    const values = [...given.map((c) => this.insertValue(c, notNull)), 's.geom'].join(', ');
    const audit = new AuditRepository(this.trx).insertSelectSql(actor, this.layer.resource, 'au');
    const { rows } = await this.trx.raw(
      `WITH w AS (
         INSERT INTO ?? (${columns})
         SELECT ${values} FROM ${STAGE} s CROSS JOIN LATERAL jsonb_populate_record(NULL::??, s.vals) r
         WHERE s.action = 'insert' AND NOT s.bad ORDER BY s.row_no
         RETURNING ??.id, ?, ?, ??.geom
       ),
       au AS (SELECT w.id AS entity_id, 'CREATE'::text AS action, NULL::jsonb AS before, w.snapshot AS after, ST_Collect(ARRAY[w.geom]) AS geom FROM w),
       a AS (?)
       SELECT count(*)::int AS written, count(*) FILTER (WHERE NOT w.allowed)::int AS refused FROM w`,
      [t, t, t, this.edit.allowedExpr(Action.CREATE), this.edit.snapshot(), t, audit],
    );
    return rows[0];
  }

  /** Writes the updates (a new version each) and their UPDATE audit rows, before and after, in one statement. */
  async writeUpdates(given: string[], notNull: Map<string, string | null>, actor: AuditActor): Promise<{ written: number; refused: number }> {
    const t = this.table;
    const q = (c: string) => this.trx.client.wrapIdentifier(c);
    const set = [...given.map((c) => `${q(c)} = ${this.updateValue(c, notNull)}`), 'geom = s.geom', `version = ${q(t)}.version + 1`, 'updated_at = now()'].join(', ');
    const audit = new AuditRepository(this.trx).insertSelectSql(actor, this.layer.resource, 'au');
    const { rows } = await this.trx.raw(
      `WITH b AS (
         SELECT ??.id, ? , ??.geom AS old FROM ?? WHERE ??.id IN (SELECT target_id FROM ${STAGE} WHERE action = 'update' AND NOT bad)
       ),
       w AS (
         UPDATE ?? SET ${set}
         FROM ${STAGE} s CROSS JOIN LATERAL jsonb_populate_record(NULL::??, s.vals) r
         WHERE ??.id = s.target_id AND s.action = 'update' AND NOT s.bad
         RETURNING ??.id, ?, ?, ??.geom
       ),
       au AS (SELECT w.id AS entity_id, 'UPDATE'::text AS action, b.snapshot AS before, w.snapshot AS after, ST_Collect(ARRAY[b.old, w.geom]) AS geom
              FROM w JOIN b ON b.id = w.id),
       a AS (?)
       SELECT count(*)::int AS written, count(*) FILTER (WHERE NOT w.allowed)::int AS refused FROM w`,
      [t, this.edit.snapshot(), t, t, t, t, t, t, t, this.edit.allowedExpr(Action.UPDATE), this.edit.snapshot(), t, audit],
    );
    return rows[0];
  }

  /** Columns that are NOT NULL with a default (the default's SQL), or NOT NULL without one (null). */
  async notNullColumns(columns: string[]): Promise<Map<string, string | null>> {
    const { rows } = await this.trx.raw(
      `SELECT a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS fallback
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ?::regclass AND a.attnotnull AND a.attname = ANY(?::text[])`,
      [this.table, columns],
    );
    return new Map(rows.map((r: { name: string; fallback: string | null }) => [r.name, r.fallback]));
  }
}
