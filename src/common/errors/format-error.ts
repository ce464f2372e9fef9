import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { HTTP_STATUS, RETRY_AFTER_SECONDS } from './app-error';
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
 * What was thrown. graphql-js wraps a thrown value that is not an Error of its own realm (a plain
 * object, or a socket error of Node's realm seen from a VM context such as jest's) in a
 * NonErrorThrown error; the value itself says what happened (ECONNRESET, …).
 */
function thrownValue(error: unknown): unknown {
  const e = error as { name?: unknown; thrownValue?: unknown } | null;
  return e?.name === 'NonErrorThrown' && e.thrownValue !== undefined ? e.thrownValue : error;
}

/**
 * The one place errors become what a client sees: AppErrors and request errors pass through,
 * PostgreSQL errors are translated, anything else is logged and masked. Never a stack or SQL.
 */
export function createFormatError(logError: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = thrownValue(unwrapResolverError(error));
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
    logError(original);
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

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
 * now (the database is unreachable, a deadline passed) gets that HTTP status and `Retry-After`, so
 * HTTP clients and proxies retry it like any other 503; answers with data, and any answer to a
 * mutation whose write committed, stay 200 as GraphQL over HTTP asks.
 */
export const errorStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        const code = errors?.[0]?.extensions?.code;
        if ((code !== 'SERVICE_UNAVAILABLE' && code !== 'TIMEOUT') || !answeredNothing(data, errors!)) return;
        response.http.status = HTTP_STATUS[code];
        response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
};
