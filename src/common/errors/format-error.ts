import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from './app-error';
import { translatePgError } from '../../db/pg-errors';

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
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    if (original instanceof AppError) {
      return { ...base, message: original.message, extensions: { ...original.extensions } };
    }
    const translated = translatePgError(original);
    if (translated) {
      return { ...base, message: translated.message, extensions: { code: translated.code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && original === error) {
      return { ...base, extensions: { code } };
    }
    logError(original);
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
