import { AppError } from '../common/errors/app-error';

interface PgError {
  code: string;
  message: string;
  detail?: string;
  constraint?: string;
}

function isPgError(err: unknown): err is PgError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((err as { code: string }).code) &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

// PostGIS raises XX000 for bad geometry input; these messages describe the input, not the server.
const GEOMETRY_INPUT_MESSAGES = [
  /geojson/i,
  /geometry/i,
  /self-intersection/i,
  /transform/i,
  /srid/i,
  /coordinate/i,
  /latitude|longitude/i,
  /parse error/i,
];

/**
 * The database's own message. knex prepends the failed statement, with its bindings, to the
 * driver's message ("<sql> - <message>"): that part must never reach a client.
 */
function databaseMessage(err: PgError): string {
  const i = err.message.lastIndexOf(' - ');
  return i >= 0 ? err.message.slice(i + 3) : err.message;
}

/** PostGIS's own reason when an error is about the geometry given as input; undefined otherwise. */
export function geometryInputReason(err: unknown): string | undefined {
  if (!isPgError(err) || err.code !== 'XX000') return undefined;
  const message = databaseMessage(err);
  return GEOMETRY_INPUT_MESSAGES.some((re) => re.test(message)) ? message : undefined;
}

/**
 * Translates a PostgreSQL / PostGIS error into an AppError a client may see, or returns undefined
 * when it is an internal fault (which the caller logs and masks).
 */
export function translatePgError(err: unknown): AppError | undefined {
  if (!isPgError(err)) return undefined;
  switch (err.code) {
    case '23505':
      return new AppError('CONFLICT', `already exists${err.detail ? `: ${err.detail}` : ''}`);
    case '23503':
      // The same code for a reference to nothing (insert, update) and for deleting what is still referred to.
      if (err.detail && /is still referenced/.test(err.detail)) return new AppError('CONFLICT', `still in use: ${err.detail}`);
      return new AppError('BAD_USER_INPUT', `refers to something that does not exist${err.detail ? `: ${err.detail}` : ''}`);
    case '23502':
      return new AppError('BAD_USER_INPUT', `${(err as PgError & { column?: string }).column ?? 'a required value'} is required`);
    case '23514':
      return new AppError('BAD_USER_INPUT', `value out of range (${err.constraint ?? 'check constraint'})`);
    case '22P02':
    case '22023':
    case '22003':
      return new AppError('BAD_USER_INPUT', databaseMessage(err));
    case 'XX000': {
      const reason = geometryInputReason(err);
      return reason === undefined ? undefined : new AppError('BAD_USER_INPUT', `invalid geometry: ${reason}`);
    }
    default:
      return undefined;
  }
}
