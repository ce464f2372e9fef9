import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from './errors/app-error';

/**
 * SQLite files (GeoPackage downloads and imports) on every supported Node.js: node:sqlite, built
 * into Node.js 22.16+ and 24, where the running Node.js has it; otherwise better-sqlite3, an
 * optional dependency whose native part is compiled for the Node.js that installed it (Node.js 20).
 * Each is loaded on first use, so a missing or unloadable backend only matters to a request that
 * needs SQLite, and it gets SQLITE_UNAVAILABLE's message instead of a stack trace. Both backends
 * answer alike: blobs as Buffer, integers as numbers (bigint only past 2^53, where a number would
 * lose digits), rows as objects or, for a statement prepared with `arrays`, as arrays in column order.
 */

/** A value bound to a `?` parameter. */
export type SqliteValue = null | number | bigint | string | Uint8Array;

export interface SqliteStatement<Row> {
  run(...params: SqliteValue[]): void;
  get(...params: SqliteValue[]): Row | undefined;
  all(...params: SqliteValue[]): Row[];
  iterate(...params: SqliteValue[]): IterableIterator<Row>;
}

export interface SqliteDatabase {
  /** Runs one or more statements without parameters (DDL, PRAGMA …). */
  exec(sql: string): void;
  /** A statement with positional (`?`) parameters; rows as objects by column name. */
  prepare<Row = Record<string, unknown>>(sql: string): SqliteStatement<Row>;
  /** A statement whose rows are arrays of their values in column order (names may repeat, or look like numbers). */
  prepare(sql: string, rows: 'arrays'): SqliteStatement<unknown[]>;
  /** `fn` wrapped in BEGIN … COMMIT, or ROLLBACK when it throws. */
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

export interface SqliteOpenOptions {
  /** Opens an existing file for reading only; otherwise the file is opened for writing, created when missing. */
  readonly?: boolean;
}

/** The part of node:sqlite used here (@types/node 20 does not describe it). */
interface NodeSqliteStatement {
  run(...params: SqliteValue[]): unknown;
  get(...params: SqliteValue[]): unknown;
  all(...params: SqliteValue[]): unknown[];
  iterate(...params: SqliteValue[]): IterableIterator<unknown>;
  setReadBigInts(enabled: boolean): void;
  setReturnArrays(enabled: boolean): void;
}
interface NodeSqlite {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => {
    exec(sql: string): void;
    prepare(sql: string): NodeSqliteStatement;
    close(): void;
  };
  StatementSync: { prototype: Partial<NodeSqliteStatement> };
}

/** A statement of either backend, as the shared wrapper drives it. */
interface RawStatement {
  run(params: SqliteValue[]): void;
  get(params: SqliteValue[]): unknown;
  all(params: SqliteValue[]): unknown[];
  iterate(params: SqliteValue[]): IterableIterator<unknown>;
}
interface Backend {
  name: 'node:sqlite' | 'better-sqlite3';
  open(file: string, options: SqliteOpenOptions): { exec(sql: string): void; prepare(sql: string, arrays: boolean): RawStatement; close(): void };
}

function nodeSqlite(sqlite: NodeSqlite): Backend {
  return {
    name: 'node:sqlite',
    open(file, options) {
      const db = new sqlite.DatabaseSync(file, { readOnly: options.readonly ?? false });
      return {
        exec: (sql) => db.exec(sql),
        prepare(sql, arrays) {
          const s = db.prepare(sql);
          // Without it an integer past 2^53 throws ERR_OUT_OF_RANGE; normalised back to a number where it fits.
          s.setReadBigInts(true);
          s.setReturnArrays(arrays);
          return { run: (p) => void s.run(...p), get: (p) => s.get(...p), all: (p) => s.all(...p), iterate: (p) => s.iterate(...p) };
        },
        close: () => db.close(),
      };
    },
  };
}

function betterSqlite3(Database: typeof BetterSqlite3): Backend {
  return {
    name: 'better-sqlite3',
    open(file, options) {
      const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
      return {
        exec: (sql) => void db.exec(sql),
        prepare(sql, arrays) {
          const s = db.prepare(sql);
          // Only a statement that returns rows takes these modes (better-sqlite3 throws for an INSERT).
          if (s.reader) {
            // Integers as bigints, normalised back to numbers where they fit: past 2^53 a number would lose digits.
            s.safeIntegers(true);
            s.raw(arrays);
          }
          return { run: (p) => void s.run(...p), get: (p) => s.get(...p), all: (p) => s.all(...p), iterate: (p) => s.iterate(...p) };
        },
        close: () => void db.close(),
      };
    },
  };
}

let loaded: Backend | { unavailable: string } | undefined;

/** node:sqlite when this Node.js has it (with setReturnArrays: 22.16+), else better-sqlite3 if it loads here, else why not. */
function load(): Backend | { unavailable: string } {
  // process.getBuiltinModule rather than require: node:sqlite exists only with its prefix, which
  // jest's module registry does not know; it returns undefined where the module is missing.
  const builtin = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
  if (builtin && typeof builtin.StatementSync.prototype.setReturnArrays === 'function') return nodeSqlite(builtin);
  let Database: typeof BetterSqlite3;
  try {
    Database = require('better-sqlite3') as typeof BetterSqlite3;
  } catch {
    return { unavailable: 'better-sqlite3 is not installed' };
  }
  try {
    // better-sqlite3 loads its native part on the first open: try it once here.
    new Database(':memory:').close();
  } catch {
    return { unavailable: `better-sqlite3 is installed but its native part does not load in this Node.js (built for another version, or not built)` };
  }
  return betterSqlite3(Database);
}

/** The backend that serves SQLite here, or the reason none does; loads it on the first call. */
export function sqliteBackend(): { name: Backend['name'] } | { unavailable: string } {
  loaded ??= load();
  return 'name' in loaded ? { name: loaded.name } : loaded;
}

/** Throws SERVICE_UNAVAILABLE with the reason when neither backend can serve SQLite here. */
export function requireSqlite(): void {
  const b = sqliteBackend();
  if ('unavailable' in b) {
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `GeoPackage (an SQLite file) needs SQLite, which this server does not have: Node.js 22.16 or later has it built in (node:sqlite); on Node.js 20 it comes from the optional dependency better-sqlite3, and ${b.unavailable}`,
    );
  }
}

/** Values as both backends return them: Buffer for blobs, number for integers that fit one. */
function normal(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

function normalRow(row: unknown): unknown {
  if (Array.isArray(row)) return row.map(normal);
  if (row && typeof row === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k] = normal(v);
    return out;
  }
  return row;
}

/** Opens an SQLite file (see SqliteOpenOptions); SERVICE_UNAVAILABLE when this Node.js has no SQLite (requireSqlite). */
export function openSqlite(file: string, options: SqliteOpenOptions = {}): SqliteDatabase {
  requireSqlite();
  const db = (loaded as Backend).open(file, options);
  const wrap = (s: RawStatement): SqliteStatement<never> => ({
    run: (...p) => s.run(p),
    get: (...p) => normalRow(s.get(p)) as never,
    all: (...p) => s.all(p).map(normalRow) as never[],
    *iterate(...p) {
      for (const row of s.iterate(p)) yield normalRow(row) as never;
    },
  });
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql: string, rows?: 'arrays') => wrap(db.prepare(sql, rows === 'arrays')),
    transaction:
      (fn) =>
      (...args) => {
        db.exec('BEGIN');
        try {
          fn(...args);
        } catch (err) {
          try {
            db.exec('ROLLBACK');
          } catch {
            // SQLite rolls back by itself after some errors (a full disk): the error that matters is fn's.
          }
          throw err;
        }
        db.exec('COMMIT');
      },
    close: () => db.close(),
  };
}
