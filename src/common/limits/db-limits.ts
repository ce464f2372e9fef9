import knexFactory, { type Knex } from 'knex';
import { deadlinePassed, type RequestScope } from './request-scope';

type Connection = object;
interface PoolClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown>;
}
type Timeoutable = { timeout?: (ms: number, options: { cancel: boolean }) => unknown; _timeout?: number };

const timedOut = new WeakSet<Knex>();

/**
 * Sets PostgreSQL's statement_timeout on each connection of the pool the first time it is taken
 * after this call (a longer statement is cancelled: 57014, TIMEOUT). The server calls it once it is
 * built, after migrations and seeds, which keep the server's default. knex has no public hook for
 * taking a connection, so the client's acquireConnection is wrapped. Once per knex; 0 sets nothing.
 */
export function applyStatementTimeout(knex: Knex, statementTimeoutMs: number): void {
  const ms = Math.trunc(statementTimeoutMs);
  if (ms <= 0 || timedOut.has(knex)) return;
  timedOut.add(knex);
  const client = knex.client as PoolClient;
  const acquire = client.acquireConnection.bind(client);
  const done = new WeakSet<Connection>();
  client.acquireConnection = async () => {
    const connection = await acquire();
    if (!done.has(connection)) {
      try {
        await (connection as { query(sql: string): Promise<unknown> }).query(`SET statement_timeout = ${ms}`);
      } catch (err) {
        await client.releaseConnection(connection);
        throw err;
      }
      done.add(connection);
    }
    return connection;
  };
}

const scopes = new WeakMap<object, RequestScope>();

/** The scope of the request a database handle from requestDatabase() belongs to. */
export const requestScopeOf = (db: Knex | Knex.Transaction): RequestScope | undefined => scopes.get(db);

/** Events of the server's knex that a request's knex passes on too (statement logs, failed-statement tags). */
const FORWARDED_EVENTS = ['query', 'query-error', 'query-response', 'start'];

/**
 * A knex for one request, whose statements keep to the request's limits:
 *
 * - it holds at most its share of the pool at once: a request that fans out (many aliases,
 *   DataLoader batches) queues for its own permits instead of taking every connection;
 * - a statement started before the deadline is cancelled in PostgreSQL when the deadline passes
 *   (knex's query timeout with `cancel`, which runs pg_cancel_backend while it still holds the
 *   connection); one due after the deadline is not started (TIMEOUT).
 *
 * Its client is an object inheriting the server's (pool, dialect, settings) with events and
 * acquireConnection/releaseConnection of its own, handed to knex as the `client` constructor knex
 * accepts; transactions opened on it take their connection, and send their statements, through it.
 * (knex's withUserParams does the same with a deep copy of the client: six times slower. An
 * AsyncLocalStorage for the request would need no knex of its own, but on Node 20 it slows every
 * promise of every request: a page of 1,000 cameras took 60 % longer.)
 */
export function requestDatabase(knex: Knex, scope: RequestScope): Knex {
  const base = knex.client as PoolClient;
  const client = Object.assign(Object.create(base) as PoolClient & object, { _events: Object.create(null), _eventsCount: 0 });
  const db = knexFactory({ client: function RequestClient() { return client; } as unknown as typeof knexFactory.Client });
  for (const event of FORWARDED_EVENTS) for (const listener of knex.listeners(event)) db.on(event, listener as (...args: unknown[]) => void);
  const permits = new WeakMap<Connection, () => void>();

  client.acquireConnection = async () => {
    if (Date.now() >= scope.deadline) throw deadlinePassed(scope);
    const done = await scope.connections.acquire(scope.deadline, () => deadlinePassed(scope));
    try {
      const connection = await base.acquireConnection();
      permits.set(connection, done);
      return connection;
    } catch (err) {
      done();
      throw err;
    }
  };
  client.releaseConnection = async (connection) => {
    const done = permits.get(connection);
    permits.delete(connection);
    try {
      return await base.releaseConnection(connection);
    } finally {
      done?.();
    }
  };

  if (Number.isFinite(scope.deadline)) {
    db.on('start', (builder: Timeoutable) => {
      const left = scope.deadline - Date.now();
      // Thrown from knex's 'start' event, this rejects the statement before it is sent.
      if (left <= 0) throw deadlinePassed(scope);
      if (typeof builder.timeout === 'function' && !(builder._timeout !== undefined && builder._timeout <= left)) {
        builder.timeout(left, { cancel: true });
      }
    });
  }
  scopes.set(db, scope);
  return db;
}
