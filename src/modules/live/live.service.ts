import { Repeater } from '@graphql-yoga/subscription';
import type { Context } from '../../context';
import { Action, Resource } from '../../common/auth/resources';
import { badInput } from '../../common/errors/app-error';
import { resolveSpatialFilter } from '../../geo/spatial-filter';
import { faultLayer, faultQueryFilter } from '../faults';
import { FEED_LAYERS } from './live.layers';
import { resyncEvent, type ChangeFeed, type LiveSession, type Subscriber } from './live.feed';
import { FaultLiveKind, type FaultEventsArgs, type FaultLiveEvent, type LayerChangeEvent, type LayerChangesArgs } from './live.type';

/** What a subscription's context carries besides the usual: the process's feed and the connection's session. */
export interface LiveContext {
  feed: ChangeFeed;
  session: LiveSession;
  /** A fresh context for the next event (new loaders, the session's current access). */
  refresh(): void;
}

export const MAX_ZOOM = 18;

function liveOf(ctx: Context): LiveContext {
  const live = (ctx as Context & { live?: LiveContext }).live;
  if (!live) throw badInput('subscriptions are served over WebSocket at /graphql (the graphql-ws protocol), not over HTTP');
  return live;
}

function checkSince(since: Date | null | undefined): void {
  if (since && since.getTime() > Date.now()) throw badInput(`since ${since.toISOString()} is in the future`);
}

/** An async iterator fed by the change feed until the client completes the subscription or goes away. */
function feedIterator<T extends LayerChangeEvent | FaultLiveEvent>(live: LiveContext, subscriber: Omit<Subscriber, 'push'>, first: T | null): AsyncIterableIterator<T> {
  return new Repeater<T>(async (push, stop) => {
    const sub: Subscriber = {
      ...subscriber,
      push: (event) => {
        push(event as T).catch(() => undefined);
      },
    };
    if (first) await push(first);
    live.feed.add(sub);
    await stop;
    live.feed.remove(sub);
  });
}

export const liveService = {
  async layerChanges(ctx: Context, args: LayerChangesArgs): Promise<AsyncIterableIterator<LayerChangeEvent>> {
    const live = liveOf(ctx);
    const zoom = args.zoom ?? 16;
    if (!Number.isInteger(zoom) || zoom < 0 || zoom > MAX_ZOOM) throw badInput(`zoom must be a whole number from 0 to ${MAX_ZOOM}, got ${zoom}`);
    checkSince(args.since);
    const asked = args.layers?.length ? new Set(args.layers) : null;
    const tables = new Set<string>();
    for (const [table, { layer, definition }] of FEED_LAYERS(ctx.db)) {
      if (asked && !asked.has(layer)) continue;
      if (asked) ctx.access.require(definition.resource, Action.READ, table.replace(/_/g, ' '));
      else if (!ctx.access.can(definition.resource, Action.READ)) continue;
      tables.add(table);
    }
    if (!tables.size) ctx.access.require(Resource.CAMERAS, Action.READ, 'any layer');
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, args.spatial);
    return feedIterator(live, { kind: 'layers', session: live.session, tables, predicates, zoom, faultFilter: null }, args.since ? resyncEvent(args.since) : null);
  },

  async faultEvents(ctx: Context, args: FaultEventsArgs): Promise<AsyncIterableIterator<FaultLiveEvent>> {
    const live = liveOf(ctx);
    ctx.access.require(Resource.FAULTS, Action.READ, 'faults');
    checkSince(args.since);
    const filter = faultQueryFilter(args.filter);
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, args.spatial);
    const faultFilter = filter
      ? (db: Context['db']) => {
          const definition = faultLayer(db);
          const matching = db('faults').select('faults.id');
          definition.applyFilter(matching, filter, (column) => `faults.${column}`);
          return db.raw('faults.id IN (?)', [matching]);
        }
      : null;
    const first: FaultLiveEvent | null = args.since ? { kind: FaultLiveKind.RESYNC, at: new Date(), step: null, resyncFrom: args.since, faultId: null } : null;
    return feedIterator(live, { kind: 'faults', session: live.session, tables: new Set(['fault_events']), predicates, zoom: 0, faultFilter }, first);
  },
};
