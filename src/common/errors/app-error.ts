import { GraphQLError } from 'graphql';

/** The error codes clients may see in `extensions.code` (and in `code` of the HTTP routes' errors). */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  /** The HTTP request itself is malformed (body not JSON, URL not percent-encoded). */
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  /** The operation is deeper, has more aliases or would cost more than the server's limits; refused before it runs. */
  | 'QUERY_TOO_COMPLEX'
  | 'TOO_MANY_REQUESTS'
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** The HTTP status of each code on the HTTP routes (tiles, OGC API) and of a GraphQL answer without data. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QUERY_TOO_COMPLEX: 400,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 503,
};

/** Seconds a client should wait before trying again after SERVICE_UNAVAILABLE or TIMEOUT. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * An error whose message is meant for the client. Throw it where the fault is known; formatError
 * passes it through unchanged and masks everything else.
 */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  new AppError('BAD_USER_INPUT', message, extensions);

export const notFound = (what: string, id: string | number) =>
  new AppError('NOT_FOUND', `${what} ${id} does not exist`);
