import type { Knex } from 'knex';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root, type ClassType } from 'type-graphql';
import type { Access } from '../common/auth/access';
import type { Connection } from '../common/pagination/connection';
import type { Context } from '../context';
import { GeoJSONScalar } from './geojson.scalar';
import { COMMON_COLUMNS, GEOGRAPHIC_DIGITS, LayerRepository, PROJECTED_DIGITS, type LayerDefinition, type LayerRow } from './layer.repository';

/** Columns of selectList() that are not properties: the feature id, its geometry, the withheld list. */
const NOT_PROPERTIES = ['id', 'geometry', 'withheld', '__geometry'];

/** Timestamps written as GraphQL writes them (ISO 8601, UTC, milliseconds), not as to_jsonb does. */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * A page of a layer as one GeoJSON FeatureCollection, built by PostGIS in one statement from the
 * layer's own selectList(): the same read scope, and sensitive fields selected only where a grant
 * reveals them (null elsewhere).
 */
export class FeatureCollectionRepository<F> extends LayerRepository<LayerRow, F> {
  // Its statements and code read the geometry as GeoJSON (see LayerRepository.geometryAsText).
  protected override readonly geometryAsText = false;

  /**
   * The features with these ids, in this order; a row the request may not read is left out.
   * Outside EPSG:4326 each geometry carries a `crs` member, as `geometry(srid)` does.
   */
  async featureCollection(ids: readonly number[], srid: number, digits: number): Promise<unknown> {
    const rows = this.scoped().select(this.selectList()).whereIn(this.col('id'), [...ids]);
    if (srid !== 4326) {
      rows.select(this.db.raw('? AS __geometry', [this.geoJson(this.db.raw('ST_Transform(??, ?::int)', [this.geom, srid]), digits)]));
    }
    const geometry = srid === 4326 ? 'f.geometry' : 'f.__geometry';
    const timestamps = this.timestampFields().map((field) => this.db.raw(`?::text, to_char(?? AT TIME ZONE 'UTC', ${ISO_UTC})`, [field, `f.${field}`]));
    const { rows: result } = await this.db.raw(
      `SELECT json_build_object(
         'type', 'FeatureCollection',
         'features', coalesce(json_agg(json_build_object(
           'type', 'Feature',
           'id', f.id,
           'geometry', ${geometry},
           'properties', (to_jsonb(f) - ?::text[]) || jsonb_build_object(${timestamps.map(() => '?').join(', ')})
         ) ORDER BY array_position(?::int[], f.id)), '[]'::json)
       ) AS "featureCollection"
       FROM (?) AS f`,
      [NOT_PROPERTIES, ...timestamps, [...ids], rows],
    );
    return result[0].featureCollection;
  }

  /** GraphQL names of the timestamptz columns (by the schema's convention, those named `*_at`). */
  private timestampFields(): string[] {
    const named = Object.entries({ ...COMMON_COLUMNS, ...this.layer.columns }).filter(([, column]) => column.endsWith('_at'));
    return ['createdAt', 'updatedAt', ...named.map(([field]) => field)];
  }
}

/** An empty page needs no statement. */
const EMPTY = { type: 'FeatureCollection', features: [] };

/**
 * The page of a connection as a FeatureCollection in `srid` (checked against PostGIS): one
 * statement for the page, whatever its size.
 */
export async function pageFeatureCollection(
  ctx: Context,
  layer: LayerDefinition<unknown>,
  page: Connection<LayerRow>,
  srid: number,
): Promise<unknown> {
  const info = await ctx.geo.srid(ctx.db, srid);
  const ids = page.edges.map((e) => e.node.id);
  if (ids.length === 0) return EMPTY;
  // A page read as of an instant is written from the same versions.
  const repo = new FeatureCollectionRepository(ctx.db, layer, ctx.access).readAsOf(page.asOf?.instant);
  return repo.featureCollection(ids, info.srid, info.geographic ? GEOGRAPHIC_DIGITS : PROJECTED_DIGITS);
}

/** A layer's repository class: what gives the feature collection the layer's table, columns and scope. */
export type LayerRepositoryClass = new (db: Knex, access: Access) => { readonly layer: LayerDefinition<any> };

/**
 * The `featureCollection(srid)` field of a layer's connection type, wherever the connection comes
 * from (a top-level list, a queue, a nested page inside a neighbourhood): the ids are the page's.
 */
export function featureCollectionResolver(connectionType: ClassType, repository: LayerRepositoryClass) {
  @Resolver(() => connectionType)
  class FeatureCollectionResolver {
    @FieldResolver(() => GeoJSONScalar, {
      description:
        'This page as one GeoJSON FeatureCollection (RFC 7946), built by PostGIS in one statement: feature `id` = the row id, ' +
        'properties = the attributes (withheld sensitive fields are null), geometry in `srid` (with a `crs` member outside 4326).',
    })
    featureCollection(
      @Root() page: Connection<LayerRow>,
      @Arg('srid', () => Int, { defaultValue: 4326, description: 'EPSG code of the geometries (default 4326; e.g. 5257 = TUREF / TM39, 3857).' })
      srid: number,
      @Ctx() ctx: Context,
    ): Promise<unknown> {
      return pageFeatureCollection(ctx, new repository(ctx.db, ctx.access).layer, page, srid);
    }
  }
  Object.defineProperty(FeatureCollectionResolver, 'name', { value: `${connectionType.name}FeatureCollectionResolver` });
  return FeatureCollectionResolver;
}
