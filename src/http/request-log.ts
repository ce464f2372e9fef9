import type { RequestHandler, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Access } from '../common/auth/access';
import { requestFields, type Logger, type LogFields, type RequestLogContext } from '../logger';

/** Longest URL written to a line: the rest is cut, so a huge query string cannot flood the log. */
const MAX_URL = 2000;

const contextOf = (res: Response): RequestLogContext | undefined => res.locals.log as RequestLogContext | undefined;

/** The fields that tie a line logged while serving `res` to its request (see requestFields). */
export const responseLogFields = (res: Response): LogFields => requestFields(contextOf(res));

/** The request of a GraphQL error, recorded when the request met it, for the line formatError logs. */
const errorRequests = new WeakMap<object, RequestLogContext>();

/** The fields of the request a GraphQL error was met in (see requestLogPlugin); none if unknown. */
export const errorLogFields = (error: unknown): LogFields =>
  requestFields(typeof error === 'object' && error !== null ? errorRequests.get(error) : undefined);

/** The log context of a request, for its GraphQL context (requestLogPlugin reads it there). */
export const requestLogContext = contextOf;

/**
 * The access log: one line per request when its response ends (or the client goes away), with
 * the request id, the user, method, URL, status, duration in milliseconds, the response's size
 * and, for GraphQL, the operation and the codes of its errors. 5xx answers are logged as errors
 * (503, the service being unavailable for a while, as a warning). Mount it after the request id
 * is set: every line logged for the request carries the same id (responseLogFields, errorLogFields).
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const context: RequestLogContext = { requestId: res.locals.requestId as string };
    res.locals.log = context;
    res.once('close', () => {
      const finished = res.writableFinished;
      const status = res.statusCode;
      const length = res.getHeader('content-length');
      const fields = {
        requestId: context.requestId,
        userId: context.userId ?? (res.locals.access as Access | undefined)?.identity?.userId ?? null,
        method: req.method,
        url: req.originalUrl.length > MAX_URL ? `${req.originalUrl.slice(0, MAX_URL)}…` : req.originalUrl,
        status,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        bytes: length === undefined ? undefined : Number(length),
        operationName: context.operationName,
        operationType: context.operationType,
        errors: context.errorCodes?.length ? context.errorCodes : undefined,
        aborted: finished ? undefined : true,
      };
      if (!finished) logger.warn('request aborted by the client', fields);
      else if (status >= 500 && status !== 503) logger.error('request failed', undefined, fields);
      else if (status >= 500) logger.warn('request answered: service unavailable', fields);
      else logger.info('request', fields);
    });
    next();
  };
}

/** The user a request acts as, for its log lines (GraphQL's context, the tile and OGC routes' access). */
export function logUser(res: Response, access: Access): void {
  const context = contextOf(res);
  if (context) context.userId = access.identity?.userId ?? null;
}

/** After accessMiddleware: the request's user into its log lines. */
export const logAccessUser: RequestHandler = (_req, res, next) => {
  if (res.locals.access) logUser(res, res.locals.access as Access);
  next();
};

/**
 * GraphQL's part of the access log: the operation's name and type, and the codes of the errors
 * answered; and the request of each error met, for the line formatError logs when it masks one.
 */
export const requestLogPlugin: ApolloServerPlugin<{ log?: RequestLogContext }> = {
  async requestDidStart({ contextValue }) {
    const context = contextValue.log;
    if (!context) return;
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          errorRequests.set(error, context);
          if (typeof error.originalError === 'object' && error.originalError !== null) errorRequests.set(error.originalError, context);
        }
      },
      async didResolveOperation({ operationName, operation }) {
        context.operationName = operationName ?? null;
        context.operationType = operation?.operation;
      },
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const codes = (response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
        context.errorCodes = [...new Set(codes)];
      },
    };
  },
};
