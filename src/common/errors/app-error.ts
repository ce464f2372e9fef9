import { GraphQLError } from 'graphql';

/** The error codes clients may see in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

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
