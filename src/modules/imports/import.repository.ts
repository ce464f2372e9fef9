import type { Knex } from 'knex';
import { layerTarget, type Access, type ScopeTarget } from '../../common/auth/access';
import { Action } from '../../common/auth/resources';
import { geometryInputReason } from '../../db/pg-errors';
import { inspectionColumns, type GeometryInspection } from '../../geo/geometry.repository';
import { LayerEditRepository } from '../../geo/layer-edit.repository';
import type { LayerDefinition } from '../../geo/layer.repository';
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
