import type { Knex } from 'knex';
import { AppError } from '../common/errors/app-error';

/** The fields node-postgres gives a database error (PostgreSQL's ErrorResponse fields). */
interface PgError {
  code: string;
  message: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** The failed statement's kind (`del`, `insert`, `update`, `select`), set by createKnex. */
  statementKind?: string;
}

export function isPgError(err: unknown): err is PgError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((err as { code: string }).code) &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

/** A unique index or a foreign key, as the catalog describes it. */
interface Constraint {
  kind: 'unique' | 'foreign';
  /** The table the constraint is declared on (the referencing table of a foreign key). */
  table: string;
  columns: string[];
  /** The referenced table of a foreign key. */
  references?: string;
}

/**
 * Constraints by name, read from the catalog once per server. An error names its constraint and
 * table in fields, whatever the server's version and language: these give the columns a unique
 * index covers and the side of a foreign key that was violated, which no message text is needed for.
 * Every schema of this application is made by the same migrations, so names mean the same
 * everywhere; a name missing here gets a message without columns.
 */
const catalog = new Map<string, Constraint>();

/** Reads the unique indexes and foreign keys of the tables on the search path. */
export async function loadConstraintCatalog(db: Knex): Promise<void> {
  const { rows } = await db.raw<{ rows: { name: string; kind: 'unique' | 'foreign'; table: string; columns: string[]; references: string | null }[] }>(`
    SELECT i.relname AS name, 'unique' AS kind, t.relname AS "table",
           ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) AS k) AS columns,
           NULL AS "references"
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
     WHERE x.indisunique AND NOT x.indisprimary AND t.relnamespace = ANY (current_schemas(false)::regnamespace[])
    UNION ALL
    SELECT c.conname, 'foreign', t.relname,
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n),
           r.relname
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      JOIN pg_class r ON r.oid = c.confrelid
     WHERE c.contype = 'f' AND t.relnamespace = ANY (current_schemas(false)::regnamespace[])`);
  for (const row of rows) {
    catalog.set(row.name, { kind: row.kind, table: row.table, columns: row.columns, references: row.references ?? undefined });
  }
}

/** snake_case database names as the API spells them (camelCase), with expressions made readable. */
function apiName(column: string): string {
  const inner = /^\w+\((\w+)\)$/.exec(column)?.[1] ?? column; // kbs_fold(mahalle) → mahalle
  return inner.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const words = (table: string | undefined) => (table ? table.replace(/_/g, ' ') : 'records');

function uniqueViolation(err: PgError): AppError {
  const c = err.constraint ? catalog.get(err.constraint) : undefined;
  // The key's value is never quoted: the row that holds it may be one the caller cannot read.
  const what = c ? ` (${c.columns.map(apiName).join(' + ')} must be unique among ${words(c.table)})` : '';
  return new AppError('CONFLICT', `already exists: another record has the same value${what}`);
}

function foreignKeyViolation(err: PgError): AppError {
  const c = err.constraint ? catalog.get(err.constraint) : undefined;
  // A DELETE can only violate a key from the referenced side: the row is still referred to
  // (PostgreSQL 16 and later report that as 23001 for ON DELETE RESTRICT, 15 as 23503).
  if (err.statementKind === 'del') return stillInUse(c);
  const what = c ? `${c.columns.map(apiName).join(', ')} refers to a record of ${words(c.references)} that does not exist` : 'refers to something that does not exist';
  return new AppError('BAD_USER_INPUT', what);
}

function stillInUse(c: Constraint | undefined): AppError {
  return new AppError('CONFLICT', `still in use: ${c ? `${words(c.table)} refer to it (${c.columns.map(apiName).join(', ')})` : 'other records refer to it'}; remove those references first`);
}

/** PostGIS raises XX000 for bad geometry input; these messages describe the input, not the server. */
const GEOMETRY_INPUT_MESSAGES = [
  /geojson/i,
  /geometry/i,
  /self-intersection/i,
  /transform/i,
  /srid/i,
  /coordinate/i,
  /latitude|longitude/i,
  /parse error/i,
  /antipodal/i,
];

/**
 * The database's own message. knex prepends the failed statement, with its bindings, to the
 * driver's message ("<sql> - <message>"): that part must never reach a client.
 */
function databaseMessage(err: PgError): string {
  const i = err.message.lastIndexOf(' - ');
  return i >= 0 ? err.message.slice(i + 3) : err.message;
}

/**
 * PostGIS's own reason when an error is about the geometry given as input; undefined otherwise.
 * XX000 is PostgreSQL's "internal error" class, which PostGIS (whose messages are never translated)
 * uses for every fault: only its text tells a bad input from a broken server.
 */
export function geometryInputReason(err: unknown): string | undefined {
  if (!isPgError(err) || err.code !== 'XX000') return undefined;
  const message = databaseMessage(err)
    .replace(/^lwgeom_\w+: /, '')
    .replace(/^\w*Exception: /, ''); // GEOS's exception class names are not the client's business
  return GEOMETRY_INPUT_MESSAGES.some((re) => re.test(message)) ? message : undefined;
}

/** Messages by SQLSTATE for the data exceptions a client's value can cause (class 22). */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22P02': 'a value is not in the form its type needs',
  '22003': 'a number is out of the range its field accepts',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '22021': 'text contains a byte that is not allowed (a NUL character or invalid UTF-8)',
  '22023': 'a parameter value is not valid',
  '22001': 'a text is longer than its field accepts',
  '22004': 'a required value is null',
  '2201B': 'a regular expression is not valid',
  '22019': 'an escape character is not valid',
  '22025': 'an escape sequence is not valid',
  '22012': 'a division by zero (a zero where a size or step is needed)',
};

/** The database is unreachable or shutting down: the client may try again shortly. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (isPgError(err)) return /^08/.test(err.code) || /^57P0[1-4]$/.test(err.code) || err.code === '53300';
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  // Socket faults of the driver, and knex's pool giving up on getting a connection.
  if (typeof e.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(e.code)) return true;
  if (e.name === 'KnexTimeoutError' && !isStatementTimeout(err)) return true;
  // node-postgres reports a connection that ended under a query as a plain Error, whose message
  // knex prefixes with the statement ("<sql> - Connection terminated unexpectedly").
  if (typeof e.message !== 'string') return false;
  const i = e.message.lastIndexOf(' - ');
  const own = i < 0 ? e.message : e.message.slice(i + 3);
  // 'timeout expired': node-postgres gave up opening a connection (connectionTimeoutMillis).
  return /^(Connection terminated|Client has encountered a connection error|Connection ended unexpectedly|timeout expired$)/.test(own);
}

/**
 * knex's own timeout of a statement (the request deadline sets one on every statement: see
 * applyRequestLimits) ran out; knex cancelled it. knex puts the `timeout` on that error, not on the
 * KnexTimeoutError of a wait for a pool connection.
 */
function isStatementTimeout(err: unknown): boolean {
  const e = err as { name?: unknown; timeout?: unknown } | null;
  return e?.name === 'KnexTimeoutError' && typeof e.timeout === 'number';
}

/**
 * Translates a PostgreSQL / PostGIS error, or a lost connection, into an AppError a client may see,
 * or returns undefined when it is an internal fault (which the caller logs and masks). Decided by
 * SQLSTATE and the fields the driver gives, never by a message's wording (which changes between
 * PostgreSQL versions and languages), except PostGIS's XX000 (see geometryInputReason).
 */
export function translatePgError(err: unknown): AppError | undefined {
  if (isStatementTimeout(err)) return new AppError('TIMEOUT', 'the request took longer than the server allows and was cancelled; narrow it (a smaller page, area or period)');
  if (isDatabaseUnavailable(err)) return new AppError('SERVICE_UNAVAILABLE', 'the database is not reachable at the moment; try again shortly');
  if (!isPgError(err)) return undefined;
  const code = err.code;
  switch (code) {
    case '23505':
      return uniqueViolation(err);
    case '23503':
      return foreignKeyViolation(err);
    case '23001':
      return stillInUse(err.constraint ? catalog.get(err.constraint) : undefined);
    case '23502':
      return new AppError('BAD_USER_INPUT', `${err.column ? apiName(err.column) : 'a required value'} is required`);
    case '23514':
      return new AppError('BAD_USER_INPUT', `a value is out of range${err.table ? ` for ${words(err.table)}` : ''} (${err.constraint ?? 'check constraint'})`);
    case '23P01':
      return new AppError('CONFLICT', 'overlaps an existing record');
    case '54000':
    case '54001':
      return new AppError('BAD_USER_INPUT', 'the request is too large for the database to process (a limit of the database was exceeded); make it smaller');
    case '57014':
      return new AppError('TIMEOUT', 'the request took longer than the database allows and was cancelled; narrow it (a smaller page, area or period)');
    case '40001':
    case '40P01':
      return new AppError('SERVICE_UNAVAILABLE', 'the change collided with another one being made at the same time; try again');
    case 'XX000': {
      const reason = geometryInputReason(err);
      return reason === undefined ? undefined : new AppError('BAD_USER_INPUT', `invalid geometry: ${reason}`);
    }
    default:
      return DATA_EXCEPTIONS[code] ? new AppError('BAD_USER_INPUT', DATA_EXCEPTIONS[code]) : undefined;
  }
}
