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

/** Logs a masked error: what was thrown, and the error the request met (to find the request by). */
export type ErrorLogger = (error: unknown, source: unknown) => void;

/**
 * What was thrown. graphql-js wraps a thrown value that is not an Error of its own realm (a plain
 * object, or a socket error of Node's realm seen from a VM context such as jest's) in a
 * NonErrorThrown error; the value itself says what happened (ECONNRESET, …).
 */
function thrownValue(error: unknown): unknown {
  const e = error as { name?: unknown; thrownValue?: unknown } | null;
  return e?.name === 'NonErrorThrown' && e.thrownValue !== undefined ? e.thrownValue : error;
}

const isQueryTooComplex = (err: unknown): err is GraphQLError & { originalError: AppError } =>
  err instanceof GraphQLError && err.originalError instanceof AppError && err.originalError.code === 'QUERY_TOO_COMPLEX';

/**
 * The one place errors become what a client sees: AppErrors and request errors pass through,
 * PostgreSQL errors are translated, anything else is logged and masked. Never a stack or SQL.
 */
export function createFormatError(logError: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // The query limits' validation rules report QUERY_TOO_COMPLEX, which Apollo wraps as
    // GRAPHQL_VALIDATION_FAILED; their own code is the one that tells the client what to change.
    const original = isQueryTooComplex(unwrapped) ? unwrapped.originalError : thrownValue(unwrapped);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    const known = clientError(original);
    if (known) {
      // The HTTP status (ours, or Apollo's `http` for errors before execution) is not the client's to read.
      const { httpStatus: _status, http: _http, ...extensions } = known.extensions;
      return { ...base, message: known.message, extensions };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && original === error) {
      return { ...base, extensions: { code } };
    }
    // Apollo Server refuses a few requests with a 4xx status but no code (a persisted query of
    // another version, or whose hash is not its query's): the request's fault, not the server's.
    const status = original instanceof GraphQLError ? (original.extensions.http as { status?: unknown } | undefined)?.status : undefined;
    if (original === error && typeof status === 'number' && status >= 400 && status < 500) {
      return { ...base, extensions: { code: 'BAD_REQUEST' } };
    }
    logError(original, error);
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Codes whose answer without data gets their own HTTP status instead of GraphQL's 200 (or Apollo's 400/500). */
const STATUS_CODES = new Set<ErrorCode>(['QUERY_TOO_COMPLEX', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);
const RETRY_CODES = new Set<ErrorCode>(['TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);

/**
 * Whether an answer answered nothing: no data, or every top-level field null because its own
 * resolver failed (an error at exactly its path). A top-level field that is null because a field
 * inside it failed did resolve: for a mutation, its write committed.
 */
function answeredNothing(data: Record<string, unknown> | null | undefined, errors: readonly GraphQLFormattedError[]): boolean {
  if (data == null) return true;
  return Object.entries(data).every(([key, value]) => value === null && errors.some((e) => e.path?.length === 1 && e.path[0] === key));
}

/**
 * A GraphQL answer that answered nothing (see answeredNothing) because the service cannot answer
 * now (the database is unreachable, a deadline passed, too many requests) gets that HTTP status and
 * `Retry-After` (the error's `retryAfterSeconds`, or a short default), so HTTP clients and proxies
 * retry it like any other 429/503; one refused as too complex gets 400. Answers with data, and any
 * answer to a mutation whose write committed, stay 200 as GraphQL over HTTP asks.
 */
export const errorStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        const first = errors?.[0]?.extensions;
        const code = first?.code as ErrorCode | undefined;
        if (code === undefined || !STATUS_CODES.has(code) || !answeredNothing(data, errors!)) return;
        response.http.status = HTTP_STATUS[code];
        if (RETRY_CODES.has(code)) {
          const after = typeof first?.retryAfterSeconds === 'number' ? first.retryAfterSeconds : RETRY_AFTER_SECONDS;
          response.http.headers.set('retry-after', String(after));
        }
      },
    };
  },
};
