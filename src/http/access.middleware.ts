import type { RequestHandler, Response } from 'express';
import type { Access } from '../common/auth/access';
import { sendHttpError } from '../common/errors/client-error';
import type { Logger } from '../logger';
import type { AppServices } from '../context';
import { authService, type BasicAuthenticator } from '../modules/users';

/**
 * For the HTTP routes beside GraphQL (tiles, OGC API Features): the request's Access from its
 * Authorization header, in `res.locals.access`: a Bearer token exactly as GraphQL takes it, or HTTP
 * Basic (a username with a password or an API token, for desktop GIS clients that send nothing
 * else) checked by `basic`. Bad credentials are a 401 with a JSON body and `WWW-Authenticate`
 * offering both schemes, never the anonymous answer; too many failures a 429, as for the login.
 */
export function accessMiddleware(services: AppServices, logger: Logger, basic: BasicAuthenticator): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.access = await authService.authenticate(services.db, services.auth, req.header('authorization'), basic.from(req.ip ?? 'unknown'));
      next();
    } catch (err) {
      // A bad token is 401, an unreachable database 503: the route's own error shape either way.
      sendHttpError(res, err, logger.error, 'authentication', 'ogc');
    }
  };
}

/** The Access the middleware put on the response. */
export const accessOf = (res: Response): Access => res.locals.access as Access;
