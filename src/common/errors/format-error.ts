import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, HTTP_STATUS, RETRY_AFTER_SECONDS, type ErrorCode } from './app-error';
import { clientError } from './client-error';

// Codes Apollo Server and graphql-js give to errors in the request itself: safe to show as they are.
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type ErrorLogger = (error: unknown) => void;

/**
 * The one place errors become what a client sees: AppErrors and request errors pass through,
 * PostgreSQL errors are translated, anything else is logged and masked. Never a stack or SQL.
 */
export function createFormatError(logError: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // The query limits' validation rules report QUERY_TOO_COMPLEX, which Apollo wraps as
    // GRAPHQL_VALIDATION_FAILED; their own code is the one that tells the client what to change.
    const original = isQueryTooComplex(unwrapped) ? unwrapped.originalError : unwrapped;
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    const known = clientError(original);
    if (known) {
      // httpStatus and http (Apollo's status for the response) are for the server, not the client.
      const { httpStatus: _status, http: _http, ...extensions } = known.extensions;
      return { ...base, message: known.message, extensions };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && unwrapped === error) {
      return { ...base, extensions: { code } };
    }
    logError(original);
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * What to throw when building a request's context (authenticating it) fails. Apollo answers those
 * outside the request pipeline: the status comes only from the error's `extensions.http` (else 500)
 * and plugins do not run. A known error (the database unreachable or busy, a deadline passed) gets
 * its code's status and `Retry-After` there; anything else goes on to be logged and masked.
 */
export function contextError(err: unknown): unknown {
  const known = clientError(err);
  if (!known || known.extensions.http) return known ?? err;
  const headers = new Map<string, string>();
  if (RETRY_CODES.has(known.code)) headers.set('retry-after', String(RETRY_AFTER_SECONDS));
  return new AppError(known.code, known.message, { ...known.extensions, http: { status: HTTP_STATUS[known.code], headers } });
}

const isQueryTooComplex = (err: unknown): err is GraphQLError & { originalError: AppError } =>
  err instanceof GraphQLError && err.originalError instanceof AppError && err.originalError.code === 'QUERY_TOO_COMPLEX';

/** Codes whose answer without data gets their own HTTP status instead of GraphQL's 200 (or Apollo's 400/500). */
const STATUS_CODES = new Set<ErrorCode>(['QUERY_TOO_COMPLEX', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);
const RETRY_CODES = new Set<ErrorCode>(['TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);

/**
 * A GraphQL answer with no data whose error says the service cannot answer now (the database is
 * unreachable, a deadline passed, too many requests) gets that HTTP status and `Retry-After` (the
 * error's `retryAfterSeconds`, or a short default), so HTTP clients and proxies retry it like any
 * other 429/503; one refused as too complex gets 400. Answers with data stay 200 as GraphQL over
 * HTTP asks.
 */
export const errorStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        const first = errors?.[0]?.extensions;
        const code = first?.code as ErrorCode | undefined;
        if (data != null || code === undefined || !STATUS_CODES.has(code)) return;
        response.http.status = HTTP_STATUS[code];
        if (RETRY_CODES.has(code)) {
          const after = typeof first?.retryAfterSeconds === 'number' ? first.retryAfterSeconds : RETRY_AFTER_SECONDS;
          response.http.headers.set('retry-after', String(after));
        }
      },
    };
  },
};
