import { Action } from '../common/auth/resources';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Connection, pageSize, type PageArgs } from '../common/pagination/connection';
import { notFound } from '../common/errors/app-error';
import { parseId } from '../common/ids';
import type { Context } from '../context';
import type { LayerRepository, LayerRow, PagedRow, RegionPage } from './layer.repository';
import type DataLoader from 'dataloader';
import type { LayerLoaders, SridKey } from './layer.loaders';
import type { GraphQLResolveInfo } from 'graphql';
import { checkAsOf } from './history';
import { selectedNodeFields, selectsOnConnection } from './selection';
import { resolveNearest, resolveSpatialFilter } from './spatial-filter';
import type { NearestInput, SpatialFilter } from './spatial.inputs';

/** An edge of a layer list; its cursor is encoded only if a client asks for it. */
class LayerEdge<R extends LayerRow> {
  readonly distanceMeters: number | null;

  constructor(
    readonly node: PagedRow<R>,
    private readonly byDistance: boolean,
  ) {
    this.distanceMeters = node.distanceMeters ?? null;
  }

  /** By id, or by (distance, id) in a list ordered by distance: the row the next page starts after. */
  get cursor(): string {
    const { id, distanceMeters } = this.node;
    return encodeCursor(this.byDistance ? { kind: 'distance', distance: distanceMeters!, id } : { kind: 'id', id });
  }
}

/** Arguments every layer list takes. */
export interface LayerListArgs<F> extends PageArgs {
  filter?: F | null;
  asOf?: Date | null;
  spatial?: SpatialFilter | null;
  nearest?: NearestInput | null;
}

/**
 * A page of a layer as a Relay connection: checks the paging, spatial and nearest arguments, runs
 * one statement for the page and counts only when totalCount is asked for.
 */
export async function listLayer<R extends LayerRow, F>(
  ctx: Context,
  repo: LayerRepository<R, F>,
  args: LayerListArgs<F>,
  info?: GraphQLResolveInfo,
): Promise<Connection<R>> {
  ctx.access.require(repo.layer.resource, Action.READ, repo.layer.table.replace(/_/g, ' '));
  const first = pageSize(args);
  const nearest = await resolveNearest(ctx.db, ctx.geo, args.nearest);
  const after = args.after ? decodeCursor(args.after, nearest ? 'distance' : 'id') : undefined;
  const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, args.spatial);
  const asOf = await checkAsOf(ctx.db, repo.layer.table, args.asOf);
  repo.readAsOf(asOf?.instant);
  const withTotal = selectsOnConnection(info, 'totalCount');
  const query = { filter: args.filter, predicates, nearest, first, after, fields: selectedNodeFields(info), withTotal };
  const { rows, hasNextPage, total } = first === 0 ? { rows: [], hasNextPage: false, total: undefined } : await repo.page(query);

  const edges = rows.map((row) => new LayerEdge(row, nearest !== undefined));
  const connection = new Connection(edges, Connection.pageInfo(edges, hasNextPage), total === undefined ? () => repo.count(query) : async () => total);
  connection.asOf = asOf;
  return connection;
}

/**
 * A nested page (features inside or near one anchor) as a connection. Cursors are feature ids:
 * continue in the layer's top-level list with the matching spatial filter.
 */
export function anchoredConnection<R extends LayerRow>(page: RegionPage<R>): Connection<R> {
  const edges = page.rows.map((row) => new LayerEdge(row, false));
  return new Connection(edges, Connection.pageInfo(edges, page.total > edges.length), async () => page.total);
}

/**
 * One feature by id through the layer's loader; NOT_FOUND when there is none. With `asOf`, the
 * version valid then, read by `repo` (NOT_FOUND when the feature did not exist then).
 */
export async function getFeature<R extends LayerRow>(
  loaders: LayerLoaders<R>,
  id: string,
  what: string,
  past?: { ctx: Context; repo: LayerRepository<R, unknown>; asOf: Date | null | undefined },
): Promise<R> {
  const n = parseId(id, 'id');
  const asOf = past?.asOf ? await checkAsOf(past.ctx.db, past.repo.layer.table, past.asOf) : null;
  const row = asOf ? ((await past!.repo.readAsOf(asOf.instant).byIds([n]))[0] ?? null) : await loaders.byId.load(n);
  if (!row) throw notFound(what, id);
  return row;
}

/**
 * The resolver of a layer's `geometry(srid)` field: the row's own GeoJSON for EPSG:4326, without
 * a promise, else the geometry transformed by PostGIS, batched per SRID. schema.ts installs it as a
 * plain resolver, since it runs once for every feature of a page.
 */
export function geometryField(loaders: (ctx: Context) => LayerLoaders<unknown>) {
  return (row: LayerRow, args: { srid: number }, ctx: Context): unknown =>
    args.srid === 4326 ? row.geometry : loadInSrid(ctx, loaders(ctx).geometry, row.id, args.srid);
}

/** A per-feature value in the SRID asked for (checked against PostGIS), through its per-SRID loader. */
export async function loadInSrid(ctx: Context, loader: DataLoader<SridKey, unknown, string>, id: number, srid: number): Promise<unknown> {
  const info = await ctx.geo.srid(ctx.db, srid);
  return loader.load({ id, srid: info.srid, geographic: info.geographic });
}
