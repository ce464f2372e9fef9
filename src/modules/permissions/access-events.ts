import type { Knex } from 'knex';
import pg from 'pg';

/** The channel the access_version trigger notifies on every change to what someone may do. */
export const ACCESS_CHANNEL = 'kbs_access';
const PROBE = 'probe';
const PROBE_WAIT_MS = 500;

// Statements that change a table access is computed from (see the migration of access_version).
const ACCESS_WRITE = /^\s*(insert\s+into|update|delete\s+from|truncate)\s+("?\w+"?\.)?"?(roles|role_grants|role_grant_neighbourhoods|user_roles|users|org_units|neighbourhoods)"?\s/i;

/**
 * Whether the access an account had when `epoch()` was read is still current, without asking the
 * database: a connection of its own LISTENs on ACCESS_CHANNEL and moves the epoch on with every
 * notification (from any process on the database), every write of this process to the access
 * tables, and every loss of the connection. While the connection is down, `listening` is false
 * and the caller reads access_version instead, as before.
 */
export class AccessEvents {
  private current = 0;
  /** Backend process ids of this server's own pool: their notifications are already counted. */
  readonly own = new Set<number>();
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  listening = false;

  constructor(
    private readonly connection: pg.ClientConfig,
    /** The schema of the tables this server reads (the payload of its notifications). */
    private readonly schema: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  epoch(): number {
    return this.current;
  }

  private readonly watchers: (() => void)[] = [];

  /** Something may have changed: every access kept so far is stale. */
  bump(): void {
    this.current++;
    for (const watcher of this.watchers) watcher();
  }

  /** Calls `fn` whenever access may have changed (the live subscriptions check their accounts again). */
  onChange(fn: () => void): void {
    this.watchers.push(fn);
  }

  /** Connects and LISTENs; resolves once listening, or once the first attempt failed (then retries every second). */
  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.connection);
    const lost = () => {
      if (this.client !== client) return;
      this.listening = false;
      this.client = undefined;
      this.bump();
      client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.start(), 1000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    let probed: () => void = () => undefined;
    client.on('notification', (n) => {
      if (n.payload === this.schema && !this.own.has(n.processId)) this.bump();
      else if (n.payload === `${PROBE} ${this.schema}`) probed();
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${ACCESS_CHANNEL}`);
      // Notifications must arrive from other connections (the embedded database's socket server
      // passes on only a connection's own): send one from another connection and wait for it.
      const arrived = new Promise<boolean>((resolve) => {
        probed = () => resolve(true);
        setTimeout(() => resolve(false), PROBE_WAIT_MS).unref();
      });
      const probe = new pg.Client(this.connection);
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.query('SELECT pg_notify($1, $2)', [ACCESS_CHANNEL, `${PROBE} ${this.schema}`]);
      } finally {
        await probe.end().catch(() => undefined);
      }
      if (!(await arrived)) throw new Error('a notification from another connection did not arrive');
      if (this.closed) throw new Error('closed');
      // Whatever changed while nobody listened is unknown: start from a new epoch.
      this.bump();
      this.listening = true;
    } catch (err) {
      if (!this.closed) this.log(`access notifications unavailable (${(err as Error).message}); reading access_version per request`);
      if ((err as Error).message.startsWith('a notification')) {
        // The database cannot deliver them: no use trying again.
        this.closed = true;
        this.client = undefined;
        await client.end().catch(() => undefined);
        return;
      }
      lost();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

const events = new WeakMap<Knex, AccessEvents>();

/** The AccessEvents of a database handle, when its server started them. */
export const accessEventsOf = (db: Knex | Knex.Transaction): AccessEvents | undefined => events.get(db as Knex);

/**
 * Starts listening for access changes on `db`'s database, for the cache of loadAccess. The
 * embedded database answers LISTEN but its socket server does not pass other connections'
 * notifications on: there access_version is read per request (a cheap in-process read).
 */
export async function startAccessEvents(db: Knex, options: { log?: (message: string) => void } = {}): Promise<AccessEvents> {
  const config = (db.client as { config: { connection: pg.ClientConfig } }).config.connection;
  const { rows } = await db.raw('SELECT current_schema() AS schema');
  const schema = rows[0].schema as string;
  const e = new AccessEvents({ ...config, application_name: `kbs-graphql access events ${schema}`.slice(0, 63) }, schema, options.log);
  // This server's own changes count when their connection goes back to the pool, which is after
  // their commit (a transaction's, or a single statement's): a request that read the access
  // before then keeps it under an epoch that is already over. Their notifications are ignored, so
  // that one change makes one reload.
  type Connection = { processID?: number; __knexUid?: string };
  type Pool = { on(event: string, fn: (...args: any[]) => void): void; free: { resource: Connection }[]; used: { resource: Connection }[] };
  const pool = (db.client as { pool?: Pool }).pool;
  const changed = new Set<string>();
  db.on('query', (q: { sql?: string; __knexUid?: string }) => {
    if (q.sql && q.__knexUid && ACCESS_WRITE.test(q.sql)) changed.add(q.__knexUid);
  });
  if (pool) {
    for (const { resource } of [...pool.free, ...pool.used]) if (resource.processID) e.own.add(resource.processID);
    pool.on('createSuccess', (_id: number, c: Connection) => c.processID && e.own.add(c.processID));
    pool.on('destroySuccess', (_id: number, c: Connection) => c.processID && e.own.delete(c.processID));
    pool.on('release', (c: Connection) => {
      if (c.__knexUid && changed.delete(c.__knexUid)) e.bump();
    });
  } else {
    // No pool to watch: every notification counts, and so does every write at once.
    db.on('query', (q: { sql?: string }) => q.sql && ACCESS_WRITE.test(q.sql) && e.bump());
  }
  await e.start();
  events.set(db, e);
  return e;
}
