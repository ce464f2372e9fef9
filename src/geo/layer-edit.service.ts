import type { Knex } from 'knex';
import { forbidden } from '../common/auth/access';
import { Action, SENSITIVE_FIELDS } from '../common/auth/resources';
import { AppError, badInput, notFound } from '../common/errors/app-error';
import { parseId } from '../common/ids';
import type { Context } from '../context';
import { recordAudit } from '../modules/audit';
import type { GeoJsonGeometry } from './geojson.scalar';
import { LayerEditRepository } from './layer-edit.repository';
import { COMMON_COLUMNS, type LayerDefinition, type LayerRepository, type LayerRow } from './layer.repository';

/** The fields of a create or update input: the layer's own, plus geometry and its SRID. */
export interface FeatureInput {
  geometry?: GeoJsonGeometry | null;
  srid?: number | null;
  [field: string]: unknown;
}

/** The input geometry types a layer's geometry column takes, and whether they are made Multi on write. */
export const ACCEPTED_TYPES: Record<string, { types: string[]; multi: boolean }> = {
  POINT: { types: ['POINT'], multi: false },
  LINESTRING: { types: ['LINESTRING'], multi: false },
  MULTIPOLYGON: { types: ['POLYGON', 'MULTIPOLYGON'], multi: true },
};

/**
 * The column an input field writes; BAD_USER_INPUT for a field that cannot be written, FORBIDDEN
 * for a sensitive field the writer has no grant to read. The edit mutations and the bulk import
 * both go through it.
 */
export function writableColumn(ctx: Pick<Context, 'access'>, layer: LayerDefinition<unknown>, field: string): string {
  const { resource, columns } = layer;
  const column = COMMON_COLUMNS[field] ?? columns[field];
  if (!column) throw badInput(`input.${field} cannot be written`);
  const sensitive = SENSITIVE_FIELDS[resource] ?? [];
  if (sensitive.includes(field) && !ctx.access.grantsFor(resource, Action.READ).some((g) => g.fields.includes(field))) {
    throw forbidden(`you may not set ${field}: it is a sensitive field you have no grant for`);
  }
  return column;
}

/**
 * Create, update and delete for every layer: permission first, then the input checked (geometry by
 * PostGIS, in any SRID), then one transaction that locks the row, checks the version, writes,
 * checks the written row against the writer's area and directorate in SQL, and records the audit
 * entry. Any refusal rolls the whole transaction back: no change without its record.
 */
export class LayerEditor<R extends LayerRow, F> {
  constructor(
    /** Singular name for messages, e.g. "camera". */
    private readonly what: string,
    /** Plural, e.g. "cameras". */
    private readonly plural: string,
    private readonly repository: (ctx: Context) => LayerRepository<R, F>,
  ) {}

  async create(ctx: Context, input: FeatureInput): Promise<R | null> {
    const repo = this.repository(ctx);
    const { resource } = repo.layer;
    ctx.access.require(resource, Action.CREATE, this.plural);
    if (!input.geometry) throw badInput('input.geometry is required to create a feature');
    const values = this.columnValues(ctx, repo, input);
    const geometry = await this.geometry(ctx, repo, input);
    return ctx.db.transaction(async (trx) => {
      const edit = new LayerEditRepository(trx, repo.layer, ctx.access);
      const written = await edit.insert(values, trx.raw(geometry.sql, [geometry.ewkb]));
      if (!written.allowed) throw forbidden(`you may not create ${this.plural} there: the new ${this.what} would lie outside the area or directorate where you may create them`);
      await recordAudit(trx, ctx, { entity: resource, entityId: written.id, action: Action.CREATE, before: null, after: written.after, geometries: [written.geom] });
      return this.reload(ctx, trx, written.id);
    });
  }

  async update(ctx: Context, idArg: string, version: number, input: FeatureInput): Promise<R | null> {
    const repo = this.repository(ctx);
    const { resource } = repo.layer;
    ctx.access.require(resource, Action.UPDATE, this.plural);
    const id = parseId(idArg, 'id');
    const values = this.columnValues(ctx, repo, input);
    const geometry = input.geometry ? await this.geometry(ctx, repo, input) : null;
    if (Object.keys(values).length === 0 && !geometry) throw badInput('input changes nothing: give at least one field or a geometry');
    return ctx.db.transaction(async (trx) => {
      const edit = new LayerEditRepository(trx, repo.layer, ctx.access);
      const current = await this.lock(edit, id, version, Action.UPDATE);
      const written = await edit.update(id, values, geometry ? trx.raw(geometry.sql, [geometry.ewkb]) : null);
      if (!written.allowed) {
        throw forbidden(`you may not update this ${this.what} that way: it would move out of the area or directorate where you may update ${this.plural}`);
      }
      await recordAudit(trx, ctx, {
        entity: resource,
        entityId: id,
        action: Action.UPDATE,
        before: current.before,
        after: written.after,
        geometries: [current.geom, written.geom],
      });
      return this.reload(ctx, trx, id);
    });
  }

  async delete(ctx: Context, idArg: string, version: number): Promise<string> {
    const repo = this.repository(ctx);
    const { resource } = repo.layer;
    ctx.access.require(resource, Action.DELETE, this.plural);
    const id = parseId(idArg, 'id');
    await ctx.db.transaction(async (trx) => {
      const edit = new LayerEditRepository(trx, repo.layer, ctx.access);
      const current = await this.lock(edit, id, version, Action.DELETE);
      await edit.delete(id);
      await recordAudit(trx, ctx, { entity: resource, entityId: id, action: Action.DELETE, before: current.before, after: null, geometries: [current.geom] });
    });
    return String(id);
  }

  /** The row, locked: NOT_FOUND outside the read scope, FORBIDDEN outside the write scope, CONFLICT on a stale version. */
  private async lock(edit: LayerEditRepository<F>, id: number, version: number, action: Action.UPDATE | Action.DELETE) {
    const current = await edit.lock(id, action);
    if (!current) throw notFound(this.what, id);
    if (!current.allowed) {
      throw forbidden(`you may not ${action.toLowerCase()} ${this.what} ${id}: it is outside the area or directorate where you may ${action.toLowerCase()} ${this.plural}`);
    }
    if (current.version !== version) {
      throw new AppError('CONFLICT', `${this.what} ${id} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
        currentVersion: current.version,
      });
    }
    return current;
  }

  /** Input fields to columns; sensitive fields only for those who may read them. */
  private columnValues(ctx: Context, repo: LayerRepository<R, F>, input: FeatureInput): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(input)) {
      if (field === 'geometry' || field === 'srid' || value === undefined) continue;
      const column = writableColumn(ctx, repo.layer, field);
      values[column] = field.endsWith('Id') && value != null ? parseId(value as string, `input.${field}`) : value;
    }
    return values;
  }

  private async geometry(ctx: Context, repo: LayerRepository<R, F>, input: FeatureInput): Promise<{ sql: string; ewkb: string }> {
    const accepted = ACCEPTED_TYPES[repo.layer.geometryType];
    const g = await ctx.geo.geometry(ctx.db, input.geometry!, input.srid ?? 4326, { argument: 'input.geometry', types: accepted.types });
    return { sql: accepted.multi ? 'ST_Multi(?::geometry)' : '?::geometry', ewkb: g.ewkb };
  }

  /**
   * The feature as the writer now reads it (null when the writer may not read it), read in the
   * write's transaction: once it commits, the answer is ready, and a database lost right after the
   * COMMIT cannot turn a done write into an error (which a client would retry).
   */
  private async reload(ctx: Context, trx: Knex.Transaction, id: number): Promise<R | null> {
    const [row] = await this.repository({ ...ctx, db: trx }).byIds([id]);
    return row ?? null;
  }
}
