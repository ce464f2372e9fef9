import type { Knex } from 'knex';
import pg from 'pg';
import tileCover from '@mapbox/tile-cover';
import type { Geometry } from 'geojson';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { historyTable, type LayerDefinition } from '../../geo/layer.repository';
import type { SpatialPredicate } from '../../geo/spatial-filter';
import { HistoryLayer } from '../history';
import { LiveChangeKind, FaultLiveKind, type FaultLiveEvent, type LayerChangeEvent, type TileRef } from './live.type';

/** The channel migration 20261203000200 notifies on. */
export const CHANGES_CHANNEL = 'kbs_changes';
const PROBE_WAIT_MS = 500;
/** An event lists at most this many tiles (a bigger change gives its box only). */
export const MAX_EVENT_TILES = 1000;

/** What one connection's subscriptions are filtered by: its access, replaced when its grants change. */
export interface LiveSession {
  access: Access;
}

/** One active subscription of a connection. */
export interface Subscriber {
  kind: 'layers' | 'faults';
  session: LiveSession;
  /** The tables watched: layer tables, or fault_events. */
  tables: ReadonlySet<string>;
  predicates: SpatialPredicate[];
  /** layers: the zoom of the tiles listed. */
  zoom: number;
  /** faults: the condition of the subscription's filter on the `faults` row (null: every fault). */
  faultFilter: ((db: Knex) => Knex.Raw) | null;
  push(event: LayerChangeEvent | FaultLiveEvent): void;
}

/** A layer that keeps a history, as the feed reads its changes. */
export interface FeedLayer {
  layer: HistoryLayer;
  definition: LayerDefinition<unknown>;
}

interface VersionRow {
  id: number;
  version: number;
  from: string;
  to: string | null;
  isNew: boolean;
  hadBefore: boolean;
  deleted: boolean;
  deletedAt: Date | null;
  geometry: Geometry | null;
  minx: number | null;
  miny: number | null;
  maxx: number | null;
  maxy: number | null;
  at: Date;
  [condition: `c${number}`]: boolean;
}

/**
 * Pushes what changes to the subscribers of this process. Every write to a layer, and every step of
 * a fault, notifies `kbs_changes` at commit (from any process on the database); this feed listens on
 * a connection of its own, reads what changed at that transaction's time (the versions in the
 * history, the steps) and delivers each change to the subscribers whose grants and filters let them
 * see it: one statement per change, whatever the number of subscribers, with one condition column per
 * distinct (grants, filter) among them. Where notifications from other connections do not arrive (the
 * embedded database, one process), it listens on the connections of the pool instead, which carry
 * their own.
 */
export class ChangeFeed {
  readonly startedAt = new Date();
  private readonly subscribers = new Set<Subscriber>();
  /** Changes notified and not read yet: transaction times by table (read together, a statement a table). */
  private readonly queue = new Map<string, Set<string>>();
  private draining = false;
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  /** Since when the listening connection has been down (events of that time are lost). */
  private lostAt: Date | null = null;
  mode: 'listener' | 'pool' = 'listener';

  constructor(
    private readonly db: Knex,
    private readonly schema: string,
    private readonly layers: ReadonlyMap<string, FeedLayer>,
    private readonly log: (message: string, err?: unknown) => void = () => undefined,
  ) {}

  /** Subscriptions active now, and added since the start (tests wait for theirs). */
  get size(): number {
    return this.subscribers.size;
  }
  added = 0;

  add(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
    this.added++;
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** A notification's text: changes of this server's schema are queued. */
  private notified(payload: string | undefined): void {
    let n: { s?: string; t?: string; at?: string; probe?: boolean };
    try {
      n = JSON.parse(payload ?? '');
    } catch {
      return;
    }
    if (n.s !== this.schema || !n.t || !n.at) return;
    if (!this.subscribers.size) return;
    const times = this.queue.get(n.t) ?? new Set<string>();
    times.add(n.at);
    this.queue.set(n.t, times);
    void this.drain();
  }

  /**
   * Reads and pushes what is queued, a statement a table for all its queued transactions: under a
   * burst of writes the feed reads them in batches instead of falling behind one by one.
   */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.size) {
        const batch = [...this.queue];
        this.queue.clear();
        for (const [table, times] of batch) {
          try {
            if (table === 'fault_events') await this.faultSteps([...times]);
            else if (this.layers.has(table)) await this.layerChange(table, [...times]);
          } catch (err) {
            this.log('live updates: a change could not be read and pushed', err);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Every subscriber is told that events since `from` may be lost. */
  private gap(from: Date): void {
    for (const s of this.subscribers) {
      s.push(
        s.kind === 'layers'
          ? resyncEvent(from)
          : { kind: FaultLiveKind.RESYNC, at: new Date(), step: null, resyncFrom: from, faultId: null },
      );
    }
  }

  /** The versions writes at the times `at` made or ended in `table`, delivered to the subscribers who may see them. */
  private async layerChange(table: string, at: string[]): Promise<void> {
    const { layer, definition } = this.layers.get(table)!;
    const watching = [...this.subscribers].filter((s) => s.kind === 'layers' && s.tables.has(table) && s.session.access.can(definition.resource, Action.READ));
    if (!watching.length) return;
    const db = this.db;
    const column = { name: `${table}.geom`, points: definition.geometryType === 'POINT' };
    const groups = new Map<string, { sql: Knex.Raw; members: Subscriber[] }>();
    for (const s of watching) {
      const { sql, key } = conditionOf(s, table, () => [
        s.session.access.condition(db, definition.resource, Action.READ, layerTarget(table)),
        ...s.predicates.map((p) => p(db, column)),
      ], db);
      const group = groups.get(key) ?? { sql, members: [] };
      group.members.push(s);
      groups.set(key, group);
    }
    const conditions = [...groups.values()];
    const history = historyTable(table);
    const times = db.raw('?::timestamptz[]', [at]);
    const { rows } = (await db.raw(
      `SELECT ??.id, ??.version, ??.valid_from::text AS "from", ??.valid_to::text AS "to", ??.valid_from AS at,
              ??.valid_from = ANY(?) AS "isNew",
              EXISTS (SELECT 1 FROM ?? p WHERE p.id = ??.id AND p.valid_to = ??.valid_from) AS "hadBefore",
              (??.valid_to = ANY(?) AND NOT EXISTS (SELECT 1 FROM ?? n WHERE n.id = ??.id AND n.valid_from = ??.valid_to)) AS deleted,
              ??.valid_to AS "deletedAt",
              ST_AsGeoJSON(??, 7)::json AS geometry,
              ST_XMin(??) AS minx, ST_YMin(??) AS miny, ST_XMax(??) AS maxx, ST_YMax(??) AS maxy
              ${conditions.map((_, i) => `, (?) AS c${i}`).join('')}
         FROM ?? AS ?? WHERE ??.valid_from = ANY(?) OR ??.valid_to = ANY(?)
        ORDER BY ??.valid_from, ??.id`,
      [
        table, table, table, table, table,
        table, times,
        history, table, table,
        table, times, history, table, table,
        table,
        `${table}.geom`,
        `${table}.geom`, `${table}.geom`, `${table}.geom`, `${table}.geom`,
        ...conditions.map((c) => c.sql),
        history, table, table, times, table, times,
        table, table,
      ],
    )) as { rows: VersionRow[] };
    if (!rows.length) return;
    // A new version, and the one it replaced (ended at the time the new one began).
    const ended = new Map<string, VersionRow>();
    for (const row of rows) if (row.to !== null) ended.set(`${row.id}@${row.to}`, row);
    const events: { now?: VersionRow; then?: VersionRow; kind: LiveChangeKind; at: Date }[] = [];
    for (const row of rows) {
      if (row.isNew) {
        const then = ended.get(`${row.id}@${row.from}`);
        events.push({ now: row, then, kind: row.hadBefore ? LiveChangeKind.UPDATED : LiveChangeKind.CREATED, at: row.at });
      } else if (row.deleted) {
        events.push({ then: row, kind: LiveChangeKind.DELETED, at: row.deletedAt! });
      }
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const { now, then, kind, at: when } of events) {
      conditions.forEach((group, i) => {
        const seen = [now, then].filter((v): v is VersionRow => !!v && v[`c${i}`]);
        if (!seen.length) return;
        // One event object for the members at one zoom: subscribers that also share their access and
        // their operation are answered with one execution (see live.server.ts).
        const byZoom = new Map<number, LayerChangeEvent>();
        for (const s of group.members) {
          let event = byZoom.get(s.zoom);
          if (!event) {
            event = { kind, layer, id: (now ?? then)!.id, version: (now ?? then)!.version, at: when, tiles: tilesOf(seen, s.zoom), bbox: boxOf(seen), resyncFrom: null };
            byZoom.set(s.zoom, event);
          }
          s.push(event);
        }
      });
    }
  }

  /** The steps of faults taken at the times `at`, delivered to the subscribers who may read the fault (as it is now). */
  private async faultSteps(at: string[]): Promise<void> {
    const watching = [...this.subscribers].filter((s) => s.kind === 'faults' && s.session.access.can(Resource.FAULTS, Action.READ));
    if (!watching.length) return;
    const db = this.db;
    const column = { name: 'faults.geom', points: true };
    const groups = new Map<string, { sql: Knex.Raw; members: Subscriber[] }>();
    for (const s of watching) {
      const { sql, key } = conditionOf(s, 'fault_events', () => [
        s.session.access.condition(db, Resource.FAULTS, Action.READ, layerTarget('faults')),
        ...s.predicates.map((p) => p(db, column)),
        s.faultFilter ? s.faultFilter(db) : null,
      ], db);
      const group = groups.get(key) ?? { sql, members: [] };
      group.members.push(s);
      groups.set(key, group);
    }
    const conditions = [...groups.values()];
    const { rows } = await db.raw(
      `SELECT e.id, e.fault_id AS "faultId", e.at, e.from_state AS "fromState", e.to_state AS "toState", e.note, e.actor_id AS "actorId",
              u.full_name AS "actorName" ${conditions.map((_, i) => `, (?) AS c${i}`).join('')}
         FROM fault_events e JOIN faults ON faults.id = e.fault_id LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.at = ANY(?::timestamptz[]) ORDER BY e.id`,
      [...conditions.map((c) => c.sql), at],
    );
    for (const row of rows as ({ id: number; faultId: number; at: Date } & Record<string, unknown>)[]) {
      conditions.forEach((group, i) => {
        if (!row[`c${i}`]) return;
        const step = {
          id: row.id,
          faultId: row.faultId,
          at: row.at,
          fromState: row.fromState,
          toState: row.toState,
          note: row.note,
          actorId: row.actorId,
          actorName: row.actorName,
        } as FaultLiveEvent['step'];
        const event: FaultLiveEvent = { kind: FaultLiveKind.STEP, at: row.at, step, resyncFrom: null, faultId: row.faultId };
        for (const s of group.members) s.push(event);
      });
    }
  }

  /** Listens for changes; resolves once listening (on its own connection, or on the pool's). */
  async start(): Promise<void> {
    if (this.closed) return;
    const config = (this.db.client as { config: { connection: pg.ClientConfig } }).config.connection;
    const client = new pg.Client({ ...config, application_name: `kbs-graphql live ${this.schema}`.slice(0, 63) });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.lostAt ??= new Date();
      client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.start(), 1000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    let probed: () => void = () => undefined;
    const probe = JSON.stringify({ s: this.schema, probe: `${process.pid}-${Math.random()}` });
    client.on('notification', (n) => {
      if (n.payload === probe) probed();
      else this.notified(n.payload);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      const arrived = new Promise<boolean>((resolve) => {
        probed = () => resolve(true);
        setTimeout(() => resolve(false), PROBE_WAIT_MS).unref();
      });
      await this.db.raw('SELECT pg_notify(?, ?)', [CHANGES_CHANNEL, probe]);
      if (!(await arrived)) throw new Error('a notification from another connection did not arrive');
      if (this.lostAt) {
        // Whatever was written while nobody listened was not pushed: say so.
        this.gap(this.lostAt);
        this.lostAt = null;
      }
    } catch (err) {
      if ((err as Error).message.startsWith('a notification')) {
        this.client = undefined;
        await client.end().catch(() => undefined);
        this.listenOnPool();
        return;
      }
      if (!this.closed) this.log(`live updates: cannot listen for changes (${(err as Error).message}); trying again`);
      lost();
    }
  }

  /**
   * The embedded database passes a connection only its own notifications: listen on every
   * connection of the pool, which make every write of this (the only) process.
   */
  private listenOnPool(): void {
    this.mode = 'pool';
    type Connection = pg.Client & { __kbsLive?: boolean };
    type Pool = { on(event: string, fn: (...args: any[]) => void): void; free: { resource: Connection }[]; used: { resource: Connection }[] };
    const pool = (this.db.client as { pool?: Pool }).pool;
    const listen = (c: Connection) => {
      if (c.__kbsLive) return;
      c.__kbsLive = true;
      c.on('notification', (n) => this.notified(n.payload));
      c.query(`LISTEN ${CHANGES_CHANNEL}`).catch(() => undefined);
    };
    if (!pool) return;
    for (const { resource } of [...pool.free, ...pool.used]) listen(resource);
    pool.on('createSuccess', (_id: number, c: Connection) => listen(c));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    this.subscribers.clear();
  }
}

/** Each subscriber's condition per table, kept while its access is the same object (new grants: a new one). */
const conditions = new WeakMap<Subscriber, Map<string, { access: object; sql: Knex.Raw; key: string }>>();

/** A subscriber's condition on `table` (its grants and filters, ANDed) and its SQL text, which groups subscribers. */
function conditionOf(s: Subscriber, table: string, parts: () => (Knex.Raw | null)[], db: Knex): { sql: Knex.Raw; key: string } {
  let mine = conditions.get(s);
  if (!mine) conditions.set(s, (mine = new Map()));
  const kept = mine.get(table);
  if (kept && kept.access === s.session.access) return kept;
  const given = parts().filter((p): p is Knex.Raw => p !== null);
  const sql = given.length ? db.raw(given.map(() => '(?)').join(' AND '), given) : db.raw('true');
  const made = { access: s.session.access as object, sql, key: sql.toQuery() };
  mine.set(table, made);
  return made;
}

/** The RESYNC event of a layer subscription. */
export const resyncEvent = (from: Date): LayerChangeEvent => ({
  kind: LiveChangeKind.RESYNC,
  layer: null,
  id: null,
  version: null,
  at: new Date(),
  tiles: [],
  bbox: null,
  resyncFrom: from,
});

/** The tiles at `zoom` the versions' geometries cover (tile-cover), or none when they are too many. */
function tilesOf(versions: VersionRow[], zoom: number): TileRef[] {
  const seen = new Map<string, TileRef>();
  for (const v of versions) {
    if (!v.geometry) continue;
    for (const [x, y, z] of tileCover.tiles(v.geometry, { min_zoom: zoom, max_zoom: zoom })) {
      seen.set(`${x}/${y}`, { z, x, y });
      if (seen.size > MAX_EVENT_TILES) return [];
    }
  }
  return [...seen.values()].sort((a, b) => a.x - b.x || a.y - b.y);
}

function boxOf(versions: VersionRow[]): number[] | null {
  const boxes = versions.filter((v) => v.minx !== null);
  if (!boxes.length) return null;
  return [
    Math.min(...boxes.map((v) => v.minx!)),
    Math.min(...boxes.map((v) => v.miny!)),
    Math.max(...boxes.map((v) => v.maxx!)),
    Math.max(...boxes.map((v) => v.maxy!)),
  ];
}
