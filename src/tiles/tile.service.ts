import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { Action } from '../common/auth/resources';
import { AppError, badInput } from '../common/errors/app-error';
import { encodeTile } from './mvt-encoder';
import type { TileAddress } from './mvt-geometry';
import { tileLayerByName, type TileLayer } from './tile.layers';
import { canBuildTiles, TileRepository, type Bounds } from './tile.repository';

/** Who builds a tile: PostGIS (ST_AsMVT), or JavaScript from ST_AsMVTGeom's steps (the embedded database). */
export type TileEncoding = 'postgis' | 'js';

export interface TileServiceOptions {
  /** Force one way of building tiles; by default PostGIS where it can (asked once). */
  encoding?: TileEncoding;
}

/** Zoom levels served at all; a layer has its own range inside it. */
export const MAX_ZOOM = 24;

/** Changes when what a tile holds changes for the same data (attributes, encoding). */
const TILE_FORMAT = 1;

/** The TileJSON default when a layer has no feature the request may read. */
const WORLD: Bounds = [-180, -85.05112877980659, 180, 85.0511287798066];

const WHOLE_NUMBER = /^(0|[1-9][0-9]{0,9})$/;

export interface TileJson {
  tilejson: '3.0.0';
  name: string;
  description: string;
  scheme: 'xyz';
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: Bounds;
  center: [number, number, number];
  vector_layers: { id: string; description: string; minzoom: number; maxzoom: number; fields: Record<string, string> }[];
}

/**
 * Vector tiles of the map layers: which layer, which tile, whether the request may read it, its
 * ETag, and the tile itself, built by PostGIS or, where PostGIS lacks protobuf-c, encoded here
 * from the same geometry steps.
 */
export class TileService {
  private postgis?: Promise<boolean>;

  constructor(
    private readonly db: Knex,
    private readonly options: TileServiceOptions = {},
  ) {}

  /** The layer with this URL name; NOT_FOUND otherwise. */
  layer(name: string): TileLayer {
    const layer = tileLayerByName(name);
    if (!layer) throw new AppError('NOT_FOUND', `there is no tile layer "${name}"`);
    return layer;
  }

  /** z/x/y from the URL: whole numbers, z at most MAX_ZOOM, x and y inside the zoom level. */
  address(z: string, x: string, y: string): TileAddress {
    const [zoom, column, row] = [z, x, y].map((v) => (WHOLE_NUMBER.test(v) ? Number(v) : NaN));
    if (!Number.isInteger(zoom) || zoom > MAX_ZOOM) throw badInput(`z must be a whole number from 0 to ${MAX_ZOOM}, got "${z}"`);
    const size = 2 ** zoom;
    if (!Number.isInteger(column) || column >= size) throw badInput(`x must be a whole number from 0 to ${size - 1} at zoom ${zoom}, got "${x}"`);
    if (!Number.isInteger(row) || row >= size) throw badInput(`y must be a whole number from 0 to ${size - 1} at zoom ${zoom}, got "${y}"`);
    return { z: zoom, x: column, y: row };
  }

  /** UNAUTHENTICATED (anonymous) or FORBIDDEN unless some grant lets the request read the layer. */
  authorize(access: Access, layer: TileLayer): void {
    access.require(layer.resource, Action.READ, `the ${layer.name} layer`);
  }

  /**
   * The ETag of a response about the layer: it changes when a row the request may read is added,
   * edited or deleted (and only then: an edit to a row outside its scope tells it nothing), and
   * differs between requests whose grants on the layer differ.
   */
  async etag(access: Access, layer: TileLayer, resource: string): Promise<string> {
    const fingerprint = await new TileRepository(this.db, layer, access).fingerprint();
    const grants = access
      .grantsFor(layer.resource, Action.READ)
      .map((g) => JSON.stringify(g))
      .sort();
    const hash = createHash('sha256')
      .update(JSON.stringify([TILE_FORMAT, resource, fingerprint, grants, access.ownOrgUnitIds]))
      .digest('base64url')
      .slice(0, 27);
    return `"${hash}"`;
  }

  /** The ETag of a tile: a digest of its bytes (and of the format), so equal tiles share it and any change shows. */
  tileEtag(resource: string, body: Uint8Array): string {
    return `"${createHash('sha256').update(`${TILE_FORMAT} ${resource} `).update(body).digest('base64url').slice(0, 27)}"`;
  }

  /** The tile's bytes; empty outside the layer's zoom range or when no readable feature is in it. */
  async tile(access: Access, layer: TileLayer, tile: TileAddress): Promise<Uint8Array> {
    if (tile.z < layer.minzoom || tile.z > layer.maxzoom) return new Uint8Array(0);
    const repo = new TileRepository(this.db, layer, access);
    if ((await this.encoding()) === 'postgis') return repo.mvt(tile);
    return encodeTile(layer.name, await repo.features(tile), Object.keys(layer.attributes));
  }

  /** TileJSON 3.0.0 of the layer, its tiles at `tilesUrl`, its bounds those of the rows the request may read. */
  async tileJson(access: Access, layer: TileLayer, tilesUrl: string): Promise<TileJson> {
    const bounds = (await new TileRepository(this.db, layer, access).bounds()) ?? WORLD;
    return {
      tilejson: '3.0.0',
      name: layer.name,
      description: layer.description,
      scheme: 'xyz',
      tiles: [tilesUrl],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, layer.minzoom],
      vector_layers: [
        { id: layer.name, description: layer.description, minzoom: layer.minzoom, maxzoom: layer.maxzoom, fields: { ...layer.attributes } },
      ],
    };
  }

  /** How tiles are built here: asked of the database once (a failed probe is asked again). */
  async encoding(): Promise<TileEncoding> {
    if (this.options.encoding) return this.options.encoding;
    this.postgis ??= canBuildTiles(this.db).catch((err) => {
      this.postgis = undefined;
      throw err;
    });
    return (await this.postgis) ? 'postgis' : 'js';
  }
}
