import type { Knex } from 'knex';
import { isPgError } from '../db/pg-errors';
import type { Geometry } from 'geojson';
import type { Access } from '../common/auth/access';
import { LayerRepository, type LayerRow } from '../geo/layer.repository';
import { BUFFER, EXTENT, mvtGeometry, type TileAddress } from './mvt-geometry';
import type { TileLayer } from './tile.layers';

/** Width of the EPSG:3857 world, in metres: the width of the z0 tile. */
const WORLD_WIDTH = 2 * 20037508.342789244;

/** A feature of a tile: its id, its attributes, and its geometry in tile coordinates. */
export interface TileFeatureRow {
  id: number;
  geometry: Geometry;
  [attribute: string]: unknown;
}

/** [minx, miny, maxx, maxy] in longitude/latitude. */
export type Bounds = [number, number, number, number];

/**
 * The SQL of vector tiles: a layer's rows through the shared layer repository on the layer's own
 * definition, so a tile holds exactly the rows the GraphQL list gives this request (its read
 * scope, and the list's default filter: no disposed assets).
 */
export class TileRepository extends LayerRepository<LayerRow, unknown> {
  // Its statements and code read the geometry as GeoJSON (see LayerRepository.geometryAsText).
  protected override readonly geometryAsText = false;

  constructor(
    db: Knex,
    private readonly tileLayer: TileLayer,
    access: Access,
  ) {
    super(db, tileLayer.definition(db), access);
  }

  /** What the tiles draw, in EPSG:4326: the layer's geom column, or the geometry the tile layer computes from the row. */
  private get drawn(): Knex.Raw {
    const computed = this.tileLayer.geometry;
    return computed ? this.db.raw(computed.sql(this.col)) : this.db.raw('??', [this.geom]);
  }

  /** The readable rows near the tile (its envelope and buffer, through the GiST index), with the attributes, by id. */
  private near(tile: TileAddress): Knex.QueryBuilder {
    // Twice the buffer around the tile, in metres of EPSG:3857 (ST_AsMVTGeom keeps half a unit more than the buffer).
    const envelope = this.db.raw('ST_Expand(ST_TileEnvelope(?::int, ?::int, ?::int), ?::float8)', [
      tile.z,
      tile.x,
      tile.y,
      (WORLD_WIDTH / 2 ** tile.z) * ((2 * BUFFER) / EXTENT),
    ]);
    const qb = this.filtered({ filter: {}, predicates: [] });
    const computed = this.tileLayer.geometry;
    if (!computed) qb.where(this.db.raw('?? && ST_Transform(?, 4326)', [this.geom, envelope]));
    else {
      // The index finds the rows whose geom lies within reach of the tile; of those, the ones whose
      // drawn geometry meets it (a field of view reaching in from a camera outside the tile).
      qb.where(this.db.raw('?? && ?', [this.geom, widenedBox(this.db, this.db.raw('ST_Transform(?, 4326)', [envelope]), computed.reachMeters)]));
      qb.where(this.db.raw('ST_Intersects(?, ST_Transform(?, 4326))', [this.drawn, envelope]));
    }
    qb.select(this.db.raw('??::int AS id', [this.col('id')])).orderBy(this.col('id'));
    // As every output writes them: a foreign key only where the request may read what it names.
    for (const field of Object.keys(this.tileLayer.attributes)) qb.select(this.columnSelect(field));
    return qb;
  }

  /** The tile built by PostGIS (ST_AsMVTGeom, ST_AsMVT); empty when no feature is in it. */
  async mvt(tile: TileAddress): Promise<Uint8Array> {
    const rows = this.near(tile).select(
      this.db.raw('ST_AsMVTGeom(ST_Transform(?, 3857), ST_TileEnvelope(?::int, ?::int, ?::int), ?::int, ?::int, true) AS geom', [
        this.drawn,
        tile.z,
        tile.x,
        tile.y,
        EXTENT,
        BUFFER,
      ]),
    );
    const { rows: result } = await this.db.raw(`SELECT ST_AsMVT(t, ?::text, ?::int, 'geom', 'id') AS tile FROM (?) AS t`, [
      this.tileLayer.name,
      EXTENT,
      rows,
    ]);
    return (result[0]?.tile as Buffer | null) ?? new Uint8Array(0);
  }

  /**
   * The features of the tile with their geometry in tile coordinates (as GeoJSON), for encoding
   * in JavaScript where PostGIS cannot build tiles (see mvtGeometry).
   */
  async features(tile: TileAddress): Promise<TileFeatureRow[]> {
    const rows = this.near(tile).select(this.db.raw('ST_Transform(?, 3857) AS __g', [this.drawn]));
    const attributes = Object.keys(this.tileLayer.attributes);
    const { rows: result } = await this.db.raw(
      `SELECT f.id, ${attributes.map(() => '??').join(', ')}${attributes.length ? ',' : ''} ST_AsGeoJSON(m.geom, 9, 0)::json AS geometry
       FROM (?) AS f CROSS JOIN LATERAL (?) AS m
       WHERE m.geom IS NOT NULL
       ORDER BY f.id`,
      [...attributes.map((a) => `f.${a}`), rows, mvtGeometry(this.db, this.db.raw('f.__g'), tile)],
    );
    return result;
  }

  /** The extent of what the tiles draw of the rows this request may read; null when there are none. */
  async bounds(): Promise<Bounds | null> {
    const row = await this.db
      .from(this.filtered({ filter: {}, predicates: [] }).select(this.db.raw('ST_Extent(?) AS e', [this.drawn])).as('x'))
      .first(this.db.raw('ST_XMin(e) AS minx, ST_YMin(e) AS miny, ST_XMax(e) AS maxx, ST_YMax(e) AS maxy'));
    return row && row.minx !== null ? [row.minx, row.miny, row.maxx, row.maxy] : null;
  }

  /**
   * What changes whenever a row the request may read is added, edited (its version goes up),
   * deleted, or enters or leaves its scope: part of the tiles' ETag. Computed over the very rows
   * the tiles read (read scope and the list's default filter), so an edit the request may not see
   * leaves it as it was. One scan of those rows, no geometry read.
   */
  async fingerprint(): Promise<string> {
    const row = await this.filtered({ filter: {}, predicates: [] }).first(
      this.db.raw('count(*) AS n'),
      this.db.raw('coalesce(sum(??), 0) AS versions', [this.col('version')]),
      this.db.raw('max(??) AS last', [this.col('id')]),
      this.db.raw('max(??)::text AS changed', [this.col('updated_at')]),
    );
    return JSON.stringify([row.n, row.versions, row.last, row.changed]);
  }
}

/**
 * A lon/lat box holding every point within `meters` (geodesic, an SQL expression) of the lon/lat box
 * `box`, on WGS 84: a degree of latitude is at least 110,574 m long (at the equator), a degree of
 * longitude at least 111,319 m times the cosine of the latitude, taken at the widened box's edge
 * farthest from the equator. (OFFSET 0 keeps PostgreSQL from copying `meters` into each use.)
 */
function widenedBox(db: Knex, box: Knex.Raw, meters: string): Knex.Raw {
  return db.raw(
    `(SELECT ST_Expand(b.e, least(180, b.m / (111319.0 * cos(radians(least(89.99, greatest(abs(ST_YMin(b.e)), abs(ST_YMax(b.e))) + b.m / 110574.0))))), b.m / 110574.0)
      FROM (SELECT ?::geometry AS e, (${meters})::float8 AS m OFFSET 0) AS b)`,
    [box],
  );
}

/**
 * Whether PostGIS can build tiles here. The embedded PGlite's PostGIS has ST_AsMVT and
 * ST_AsMVTGeom in pg_proc, but without protobuf-c they only raise an error: so try them.
 */
export async function canBuildTiles(db: Knex): Promise<boolean> {
  try {
    await db.raw(
      `SELECT ST_AsMVT(q, 'probe', 4096, 'geom')
       FROM (SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(0, 0), 3857), ST_TileEnvelope(0, 0, 0)) AS geom) AS q`,
    );
    return true;
  } catch (err) {
    // PostGIS raises its own errors as XX000; anything else (a lost connection) is not an answer.
    if (isPgError(err) && err.code === 'XX000') return false;
    throw err;
  }
}
