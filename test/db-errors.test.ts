import net from 'node:net';
import type { Knex } from 'knex';
import pg from 'pg';
import { translatePgError } from '../src/db/pg-errors';
import { codeOf, embedded, startTestApp, type TestApp } from './helpers/app';
import { insertNetworkLine, insertNetworkNode } from './helpers/factories';

/**
 * Database errors become the same client errors on every PostgreSQL the API runs on (the
 * PostgreSQL 15 server, the embedded PostgreSQL 18, 13 to 18 in general): decided by SQLSTATE and
 * the error's fields, never a message's wording. The cases are provoked on the real database and
 * generated from its catalog (every foreign key, every unique index), not listed by hand.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app?.close());

/** Runs `sql` in a transaction that is always rolled back, and returns the error it raised. */
async function errorOf(sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<unknown> {
  const trx = await app.knex.transaction();
  try {
    await trx.raw(sql, bindings);
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

interface ForeignKey { name: string; table: string; columns: string[]; references: string; refColumns: string[] }

async function foreignKeys(): Promise<ForeignKey[]> {
  const { rows } = await app.knex.raw(`
    SELECT c.conname AS name, t.relname AS "table", r.relname AS "references",
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns,
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k) AS "refColumns"
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
     WHERE c.contype = 'f' AND c.confdeltype IN ('r', 'a') AND t.relnamespace = ?::regnamespace
     ORDER BY 1`, [app.schema]);
  return rows;
}

describe('foreign keys (generated from the catalog)', () => {
  it('deleting a row that is still referred to is CONFLICT "still in use", for every RESTRICT / NO ACTION key', async () => {
    const keys = await foreignKeys();
    expect(keys.length).toBeGreaterThan(40);
    let provoked = 0;
    for (const k of keys) {
      const cols = k.columns.map((c) => `"${c}"`).join(', ');
      const refCols = k.refColumns.map((c) => `"${c}"`).join(', ');
      const referenced = await app.knex.raw(`SELECT ${refCols} FROM "${k.references}" WHERE (${refCols}) IN (SELECT ${cols} FROM "${k.table}") LIMIT 1`);
      if (!referenced.rows.length) continue; // the sample data has no row referred to by this key
      const where = k.refColumns.map((c) => `"${c}" = ?`).join(' AND ');
      const err = await errorOf(`DELETE FROM "${k.references}" WHERE ${where}`, k.refColumns.map((c) => referenced.rows[0][c]));
      const translated = translatePgError(err);
      expect({ key: k.name, code: translated?.code }).toEqual({ key: k.name, code: 'CONFLICT' });
      expect(translated!.message).toMatch(/^still in use: [a-z ]+ refer to it \(\w+(, \w+)*\); remove those references first$/);
      provoked++;
    }
    expect(provoked).toBeGreaterThan(30);
  });

  it('pointing at a row that does not exist is BAD_USER_INPUT naming the column, for every key', async () => {
    let provoked = 0;
    for (const k of await foreignKeys()) {
      const any = await app.knex.raw(`SELECT ctid FROM "${k.table}" WHERE "${k.columns[0]}" IS NOT NULL LIMIT 1`);
      if (!any.rows.length) continue;
      const err = await errorOf(`UPDATE "${k.table}" SET "${k.columns[0]}" = -1 WHERE ctid = ?::tid`, [any.rows[0].ctid]);
      const translated = translatePgError(err);
      // A trigger may refuse the change first (the audit log is append-only): then it is not a key error.
      if ((err as { code?: string }).code !== '23503') continue;
      expect({ key: k.name, code: translated?.code }).toEqual({ key: k.name, code: 'BAD_USER_INPUT' });
      expect(translated!.message).toMatch(/ refers to a record of [a-z ]+ that does not exist$/);
      provoked++;
    }
    expect(provoked).toBeGreaterThan(30);
  });

  it('through GraphQL: deleting a network node that lines still use is CONFLICT with the same message on every database', async () => {
    const a = await insertNetworkNode(app.knex, 37.7, 37.0);
    const b = await insertNetworkNode(app.knex, 37.71, 37.0);
    await insertNetworkLine(app.knex, { node: a }, { node: b }, [[37.7, 37.0], [37.71, 37.0]]);
    const res = await app.gql(`mutation($id: ID!) { deleteNetworkNode(id: $id, version: 1) }`, { id: String(a) });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toBe('still in use: network lines refer to it (aNodeId); remove those references first');
    expect(await app.knex('network_nodes').where({ id: a }).first()).toBeDefined();
  });
});

describe('unique indexes (generated from the catalog)', () => {
  it('a duplicate is CONFLICT naming the columns, never the value it duplicates', async () => {
    const { rows: indexes } = await app.knex.raw(`
      SELECT i.relname AS name, t.relname AS "table",
             ARRAY(SELECT a.attname::text FROM unnest(x.indkey) k JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k) AS columns,
             pg_get_expr(x.indpred, x.indrelid) AS predicate
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       WHERE x.indisunique AND NOT x.indisprimary AND t.relnamespace = ?::regnamespace AND 0 <> ALL (x.indkey)`, [app.schema]);
    let provoked = 0;
    for (const ix of indexes as { name: string; table: string; columns: string[]; predicate: string | null }[]) {
      const cols = ix.columns.map((c) => `"${c}"`);
      const pair = await app.knex.raw(
        `SELECT ctid, ${cols.join(', ')} FROM "${ix.table}" WHERE ${ix.predicate ?? 'true'} AND ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')} LIMIT 2`,
      );
      if (pair.rows.length < 2) continue;
      const [first, second] = pair.rows;
      const err = await errorOf(
        `UPDATE "${ix.table}" SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ctid = ?::tid`,
        [...ix.columns.map((c) => first[c]), second.ctid],
      );
      if ((err as { code?: string }).code !== '23505') continue; // a check or trigger refused it first
      const translated = translatePgError(err);
      expect({ index: ix.name, code: translated?.code }).toEqual({ index: ix.name, code: 'CONFLICT' });
      expect(translated!.message).toMatch(/^already exists: another record has the same value \(.+ must be unique among [a-z ]+\)$/);
      for (const c of ix.columns) {
        if (typeof first[c] === 'string' && first[c].length > 2) expect(translated!.message).not.toContain(first[c]);
      }
      provoked++;
    }
    expect(provoked).toBeGreaterThan(8);
  });

  it('through GraphQL: a camera code already taken is CONFLICT without quoting the code (its camera may be one the caller cannot read)', async () => {
    const taken = await app.knex('cameras').select('code').first();
    const res = await app.gql(
      `mutation($input: CameraCreateInput!) { createCamera(input: $input) { id } }`,
      { input: { code: taken.code, name: 'x', kind: 'FIXED', purpose: 'SECURITY', azimuth: 0, horizontalFov: 60, rangeMeters: 50, geometry: { type: 'Point', coordinates: [37.79, 37.01] } } },
    );
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toBe('already exists: another record has the same value (code must be unique among cameras)');
  });
});

describe('every SQLSTATE a client can cause', () => {
  // Each statement raises its SQLSTATE on PostgreSQL 13 to 18; the expected code and message are ours.
  const CASES: [string, string, Knex.RawBinding[], string, RegExp][] = [
    ['23502', 'INSERT INTO t (a) VALUES (NULL)', [], 'BAD_USER_INPUT', /^a is required$/],
    ['23514', 'INSERT INTO t (a) VALUES (-1)', [], 'BAD_USER_INPUT', /^a value is out of range for t \(t_a_check\)$/],
    ['22P02', "SELECT 'abc'::int", [], 'BAD_USER_INPUT', /not in the form its type needs/],
    ['22023', 'SELECT generate_series(1, 10, 0)', [], 'BAD_USER_INPUT', /parameter value is not valid/],
    ['22003', 'SELECT 2147483647::int + 1', [], 'BAD_USER_INPUT', /number is out of the range/],
    ['22007', "SELECT 'not a date'::date", [], 'BAD_USER_INPUT', /date or time is not valid/],
    ['22008', "SELECT '2026-02-30'::date", [], 'BAD_USER_INPUT', /date or time is out of range/],
    ['22008', "SELECT now() + make_interval(days => 2147483647)", [], 'BAD_USER_INPUT', /date or time is out of range/],
    ['22021', 'SELECT ?::text', ['a\u0000b'], 'BAD_USER_INPUT', /NUL character/],
    ['54000', "SELECT repeat('x', 1073741824)", [], 'BAD_USER_INPUT', /too large for the database/],
    embedded()
      // PGlite (WASM, no timers) never cancels a running statement: the SQLSTATE is raised directly.
      ? ['57014', "DO $$ BEGIN RAISE EXCEPTION 'canceling statement' USING ERRCODE = 'query_canceled'; END $$ -- the embedded database has no statement_timeout", [], 'TIMEOUT', /took longer than the database allows/]
      : ['57014', "SET LOCAL statement_timeout = '50ms'; SELECT pg_sleep(2)", [], 'TIMEOUT', /took longer than the database allows/],
    ['XX000', `SELECT ST_GeomFromGeoJSON('{"type":"Polygon","coordinates":[[1]]}')`, [], 'BAD_USER_INPUT', /^invalid geometry: /],
    ['XX000', `SELECT ST_Distance('POLYGON((0 0, 180 0, 180 1, 0 0))'::geography, 'POINT(37 37)'::geography)`, [], 'BAD_USER_INPUT', /^invalid geometry: .*[Aa]ntipodal/],
  ];

  beforeAll(async () => {
    await app.knex.raw('CREATE TABLE t (a int NOT NULL CHECK (a > 0))');
  });

  it.each(CASES)('%s: %s', async (sqlstate, sql, bindings, code, message) => {
    const err = await errorOf(sql, bindings);
    if ((err as { code?: string })?.code === 'XX000' && sqlstate !== 'XX000') throw err;
    // Either the SQLSTATE itself or, on versions that raise a sibling, the same class.
    expect((err as { code?: string })?.code?.slice(0, 2)).toBe(sqlstate.slice(0, 2));
    const translated = translatePgError(err);
    expect(translated?.code).toBe(code);
    expect(translated!.message).toMatch(message);
    expect(translated!.message).not.toMatch(/SELECT|INSERT|lwgeom|Exception/);
  });

  it(
    embedded()
      ? 'a connection lost under a query is SERVICE_UNAVAILABLE (the embedded database cannot end a backend: the socket is cut instead)'
      : 'a connection the database ended (57P01) is SERVICE_UNAVAILABLE',
    async () => {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      client.on('error', () => undefined);
      let err: unknown;
      if (embedded()) {
        const query = client.query('SELECT pg_sleep(0.5)');
        (client as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
        err = await query.then(() => undefined, (e) => e);
      } else {
        err = await client.query('SELECT pg_terminate_backend(pg_backend_pid())').then(() => undefined, (e) => e);
        expect((err as { code?: string }).code).toBe('57P01');
      }
      await client.end().catch(() => undefined);
      expect(translatePgError(err)?.code).toBe('SERVICE_UNAVAILABLE');
    },
  );

  it('a database that cannot be reached (connection refused, 08xxx) is SERVICE_UNAVAILABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    });
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'x', database: 'x' });
    const err = await client.connect().then(() => undefined, (e) => e);
    expect(translatePgError(err)?.code).toBe('SERVICE_UNAVAILABLE');
    expect(translatePgError({ code: '08006', message: 'connection failure' })?.code).toBe('SERVICE_UNAVAILABLE');
    expect(translatePgError({ code: '57P03', message: 'cannot connect now' })?.code).toBe('SERVICE_UNAVAILABLE');
  });

});
