import type { Knex } from 'knex';
import { currentRequest, deadlinePassed } from './request-scope';

type Connection = object;
type Timeoutable = { timeout?: (ms: number, options: { cancel: boolean }) => unknown; _timeout?: number };

const installed = new WeakSet<Knex>();

/**
 * Makes every statement a request sends keep to its limits (see RequestScope):
 *
 * - PostgreSQL's statement_timeout is set on each connection the first time it serves a request
 *   (a longer statement is cancelled: 57014, TIMEOUT); migrations and seeds, which run before the
 *   server takes requests, keep the server's default;
 * - the request holds at most its share of the pool at once: a request that fans out (many
 *   aliases, DataLoader batches) queues for its own permits instead of taking every connection;
 * - a statement started before the deadline is cancelled in PostgreSQL when the deadline passes
 *   (knex's query timeout with `cancel`, which runs pg_cancel_backend while it still holds the
 *   connection); one due after the deadline is not started (TIMEOUT).
 *
 * knex has no public hook before a connection is taken from the pool, so the client's
 * acquireConnection/releaseConnection pair (which transactions use too) is wrapped. Work outside an
 * HTTP request (migrations, seeds, scripts) is not affected. Installed once per knex instance
 * (a second call changes nothing).
 */
export function applyRequestLimits(knex: Knex, settings: { statementTimeoutMs: number }): void {
  if (installed.has(knex)) return;
  installed.add(knex);
  const client = knex.client as {
    acquireConnection(): Promise<Connection>;
    releaseConnection(connection: Connection): Promise<unknown>;
  };
  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);
  const permits = new WeakMap<Connection, () => void>();
  const timed = new WeakSet<Connection>();
  const statementTimeout = Math.trunc(settings.statementTimeoutMs);

  client.acquireConnection = async () => {
    const scope = currentRequest();
    if (!scope) return acquire();
    if (Date.now() >= scope.deadline) throw deadlinePassed(scope);
    const done = await scope.connections.acquire(scope.deadline, () => deadlinePassed(scope));
    let connection: Connection;
    try {
      connection = await acquire();
    } catch (err) {
      done();
      throw err;
    }
    permits.set(connection, done);
    if (statementTimeout > 0 && !timed.has(connection)) {
      try {
        await (connection as { query(sql: string): Promise<unknown> }).query(`SET statement_timeout = ${statementTimeout}`);
      } catch (err) {
        await client.releaseConnection(connection);
        throw err;
      }
      timed.add(connection);
    }
    return connection;
  };

  client.releaseConnection = async (connection) => {
    const done = permits.get(connection);
    permits.delete(connection);
    try {
      return await release(connection);
    } finally {
      done?.();
    }
  };

  knex.on('start', (builder: Timeoutable) => {
    const scope = currentRequest();
    if (!scope || !Number.isFinite(scope.deadline)) return;
    const left = scope.deadline - Date.now();
    // Thrown from knex's 'start' event, this rejects the statement before it is sent.
    if (left <= 0) throw deadlinePassed(scope);
    if (typeof builder.timeout === 'function' && !(builder._timeout !== undefined && builder._timeout <= left)) {
      builder.timeout(left, { cancel: true });
    }
  });
}
