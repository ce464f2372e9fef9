import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { pageSize, type Connection, type PageArgs } from '../common/pagination/connection';
import { notFound } from '../common/errors/app-error';
import { parseId } from '../common/ids';
import type { Context } from '../context';
import type { LayerRepository, LayerRow } from './layer.repository';
import type { LayerLoaders } from './layer.loaders';
import { resolveNearest, resolveSpatialFilter } from './spatial-filter';
import type { NearestInput, SpatialFilter } from './spatial.inputs';

/** Arguments every layer list takes. */
export interface LayerListArgs<F> extends PageArgs {
  filter?: F | null;
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
): Promise<Connection<R>> {
  const first = pageSize(args);
  const nearest = await resolveNearest(ctx.db, ctx.geo, args.nearest);
  const after = args.after ? decodeCursor(args.after, nearest ? 'offset' : 'id') : undefined;
  const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, args.spatial);
  const query = { filter: args.filter, predicates, nearest, first, after };
  const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.page(query);

  const offset = after?.kind === 'offset' ? after.offset : 0;
  const edges = rows.map(({ row, distanceMeters }, i) => ({
    cursor: encodeCursor(nearest ? { kind: 'offset', offset: offset + i + 1 } : { kind: 'id', id: row.id }),
    node: row,
    distanceMeters,
  }));
  let count: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (count ??= repo.count(query)),
  };
}

/** One feature by id through the layer's loader; NOT_FOUND when there is none. */
export async function getFeature<R>(loaders: LayerLoaders<R>, id: string, what: string): Promise<R> {
  const n = parseId(id, 'id');
  const row = await loaders.byId.load(n);
  if (!row) throw notFound(what, id);
  return row;
}

/** A feature's geometry in the SRID asked for: the row's own for 4326, else batched per SRID. */
export async function featureGeometry(
  ctx: Context,
  loaders: LayerLoaders<unknown>,
  row: LayerRow,
  srid: number,
): Promise<unknown> {
  if (srid === 4326) return row.geometry;
  const info = await ctx.geo.srid(ctx.db, srid);
  return loaders.geometry.load({ id: row.id, srid: info.srid, geographic: info.geographic });
}
