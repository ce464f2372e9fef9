import type { Response } from 'express';
import { AppError, HTTP_STATUS, RETRY_AFTER_SECONDS } from './app-error';
import { translatePgError } from '../../db/pg-errors';
import { BASIC_AND_BEARER_CHALLENGES } from '../auth/basic-credentials';
import { requestFields, type LogFields, type RequestLogContext } from '../../logger';

/**
 * What a client may be told of an error: an AppError as it is, a database error translated, or
 * undefined for an internal fault (logged and masked by the caller).
 */
export function clientError(err: unknown): AppError | undefined {
  return err instanceof AppError ? err : translatePgError(err);
}

/** Faults of the HTTP request itself that Express and its body parser report with a 4xx status. */
function httpRequestError(err: unknown): AppError | undefined {
  if (err instanceof URIError) return new AppError('BAD_REQUEST', 'the URL is not validly percent-encoded');
  const e = err as { status?: unknown; type?: unknown; limit?: unknown } | null;
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  const message =
    e.type === 'entity.parse.failed' ? 'the body is not valid JSON'
    : e.type === 'entity.too.large' ? `the body is larger than the ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'size'} accepted`
    : e.type === 'charset.unsupported' || e.type === 'encoding.unsupported' ? 'the body\'s character set or content encoding is not supported (send UTF-8)'
    : e.type === 'request.aborted' ? 'the request was aborted'
    : 'the request is malformed';
  return new AppError('BAD_REQUEST', message, { httpStatus: e.status === 413 ? 413 : 400 });
}

/**
 * The shape of a route's error bodies, which also says how it authenticates: `graphql` (GraphQL,
 * Bearer tokens only) or `ogc` (OGC API and tiles, which take HTTP Basic too).
 */
export type ErrorBodyShape = 'ogc' | 'graphql';

/** The challenges of a 401, one per `WWW-Authenticate` line, by kind of route. */
const CHALLENGES: Record<ErrorBodyShape, readonly string[]> = { graphql: ['Bearer'], ogc: BASIC_AND_BEARER_CHALLENGES };

/**
 * Headers that go with a code: when to try again (the error's own `retryAfterSeconds`, or a short
 * default), how to authenticate (the route's challenges).
 */
export function setErrorHeaders(res: Response, code: string, shape: ErrorBodyShape = 'graphql', retryAfterSeconds?: unknown): void {
  if (code === 'TOO_MANY_REQUESTS' && typeof retryAfterSeconds === 'number') res.setHeader('retry-after', String(retryAfterSeconds));
  if (code === 'SERVICE_UNAVAILABLE' || code === 'TIMEOUT') res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  if (code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', [...(shape === 'ogc' && fromPageScript(res) ? BEARER_ONLY : CHALLENGES[shape])]);
}

const BEARER_ONLY = ['Bearer realm="kbs"'];

/**
 * A request a web page made for its own use (fetch, XHR, an image or tile loader): the browser says
 * so in Sec-Fetch-Dest (`empty`, `image`, …; `document` when a person opens the URL). A Basic
 * challenge would make the browser hold the request to ask the person for a password (the map
 * page's tiles hung, pending, behind the dialog), so such requests are offered Bearer only; QGIS,
 * GDAL and a person opening the URL get both.
 */
function fromPageScript(res: Response): boolean {
  const dest = res.req?.headers['sec-fetch-dest'];
  return typeof dest === 'string' && dest !== '' && dest !== 'document' && dest !== 'iframe';
}

/**
 * The one way an HTTP route (tiles, OGC API, the body parser in front of GraphQL) answers an
 * error: the status of its code, the headers that go with it, and a body in the route's shape
 * (`{ code, description }` for OGC and tiles, `{ errors: [...] }` for GraphQL). Internal faults are
 * logged and masked.
 */
export function sendHttpError(res: Response, err: unknown, log: (message: string, err: unknown, fields?: LogFields) => void, what: string, shape: ErrorBodyShape): void {
  const known = clientError(err) ?? httpRequestError(err);
  const code = known?.code ?? 'INTERNAL_SERVER_ERROR';
  const message = known?.message ?? 'Internal server error';
  const status = (known?.extensions.httpStatus as number | undefined) ?? HTTP_STATUS[code];
  // The line carries the request's id and user (the request log's context on the response).
  if (!known) log(`${what} failed`, err, requestFields(res.locals.log as RequestLogContext | undefined));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const h of ['etag', 'cache-control', 'content-type', 'content-crs', 'content-encoding', 'content-length']) res.removeHeader(h);
  setErrorHeaders(res, code, shape, known?.extensions.retryAfterSeconds);
  res.status(status).json(shape === 'ogc' ? { code, description: message } : { errors: [{ message, extensions: { code } }] });
}
