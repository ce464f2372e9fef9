import pg from 'pg';
import { COMMON_COLUMNS, LayerRepository, type LayerRow } from '../geo/layer.repository';

/** The JSON type of a column's values as the OGC API writes them, with a JSON Schema format. */
export interface ValueType {
  type: 'integer' | 'number' | 'boolean' | 'string';
  /** date-time and date for timestamps and days; int32 and int64 (OpenAPI's, Part 5 /rec/schemas/properties) for integers. */
  format?: 'date-time' | 'date' | 'int32' | 'int64';
}

/** What PostgreSQL says about one output column of a layer: its JSON type, whether it may be null, its values. */
export interface ColumnFacts {
  /** The output name (the GraphQL field name). */
  name: string;
  value: ValueType | null;
  /** The stored column is NOT NULL (false for computed columns, whose nullability PostgreSQL does not know). */
  notNull: boolean;
  /** The values a CHECK constraint allows (`column = ANY (ARRAY[...])`, as knex's enu() writes it). */
  values?: string[];
}

const { builtins } = pg.types;

/** PostgreSQL type OIDs -> the JSON types pg (and so the API) gives their values. */
const VALUE_TYPES = new Map<number, ValueType>([
  [builtins.INT2, { type: 'integer', format: 'int32' }],
  [builtins.INT4, { type: 'integer', format: 'int32' }],
  [builtins.INT8, { type: 'integer', format: 'int64' }],
  [builtins.FLOAT4, { type: 'number' }],
  [builtins.FLOAT8, { type: 'number' }],
  [builtins.NUMERIC, { type: 'number' }],
  [builtins.BOOL, { type: 'boolean' }],
  [builtins.TEXT, { type: 'string' }],
  [builtins.VARCHAR, { type: 'string' }],
  [builtins.BPCHAR, { type: 'string' }],
  [builtins.INET, { type: 'string' }],
  [builtins.CIDR, { type: 'string' }],
  [builtins.MACADDR, { type: 'string' }],
  [builtins.UUID, { type: 'string' }],
  [builtins.DATE, { type: 'string', format: 'date' }],
  [builtins.TIMESTAMP, { type: 'string', format: 'date-time' }],
  [builtins.TIMESTAMPTZ, { type: 'string', format: 'date-time' }],
]);

/**
 * A CHECK constraint of the canonical form PostgreSQL gives knex's enu() columns:
 * `CHECK ((col = ANY (ARRAY['A'::text, 'B'::text])))` (PostgreSQL 15 and 18 write it alike).
 * Only such constraints give a list of values; any other CHECK gives none.
 */
const ENUM_VALUE = String.raw`'((?:[^']|'')*)'::text`;
const ENUM_CHECK = String.raw`^CHECK \(+"?\w+"? = ANY \(+ARRAY\[('([^']|'')*'::text(, )?)+\]\)+$`;

/**
 * The facts a layer's schema is built from, read from PostgreSQL rather than listed by hand: the
 * type of every output column of the layer's own select list (the very statement the API reads
 * features with, run for no row), and the NOT NULL flags and enumerated values of its table.
 */
export class LayerSchemaRepository extends LayerRepository<LayerRow, unknown> {
  // Its statements and code read the geometry as GeoJSON (see LayerRepository.geometryAsText).
  protected override readonly geometryAsText = false;

  async describe(): Promise<{ columns: ColumnFacts[] }> {
    const { table, columns, computed = {} } = this.layer;
    const noRow = this.db(table).select(this.selectList()).whereRaw('false');
    const { fields } = (await this.db.raw('?', [noRow])) as { fields: { name: string; dataTypeID: number }[] };
    const { rows } = await this.db.raw(
      `SELECT a.attname AS "column", a.attnotnull AS "notNull",
              (SELECT array_agg(v.m[1] ORDER BY v.n)
                 FROM pg_constraint c
                 CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(c.oid), ?, 'g') WITH ORDINALITY AS v(m, n)
                WHERE c.conrelid = a.attrelid AND c.contype = 'c' AND c.conkey = ARRAY[a.attnum]
                  AND pg_get_constraintdef(c.oid) ~ ?) AS "values"
         FROM pg_attribute a
        WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
      [ENUM_VALUE, ENUM_CHECK, table],
    );
    const catalog = new Map((rows as { column: string; notNull: boolean; values: string[] | null }[]).map((r) => [r.column, r]));
    const columnOf: Record<string, string> = { id: 'id', version: 'version', createdAt: 'created_at', updatedAt: 'updated_at', ...COMMON_COLUMNS, ...columns };
    return {
      columns: fields
        .filter((f) => f.name !== 'geometry' && f.name !== 'withheld')
        .map((f) => {
          const stored = f.name in computed ? undefined : catalog.get(columnOf[f.name]);
          const values = stored?.values?.map((v) => v.replace(/''/g, "'"));
          return { name: f.name, value: VALUE_TYPES.get(f.dataTypeID) ?? null, notNull: stored?.notNull ?? false, ...(values ? { values } : {}) };
        }),
    };
  }
}
