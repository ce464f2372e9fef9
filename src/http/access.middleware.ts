import type { RequestHandler, Response } from 'express';
import type { Access } from '../common/auth/access';
import { sendHttpError } from '../common/errors/client-error';
import type { Logger } from '../logger';
import type { AppServices } from '../context';
import { authService } from '../modules/users';

/**
 * For the HTTP routes beside GraphQL (tiles, OGC API Features): the request's Access from its
 * Authorization header, exactly as GraphQL gets it, in `res.locals.access`. A bad token is a 401
 * with a JSON body and a `WWW-Authenticate` header, never the anonymous answer.
 */
export function accessMiddleware(services: AppServices, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.access = await authService.authenticate(services.db, services.auth, req.header('authorization'));
      next();
    } catch (err) {
      // A bad token is 401, an unreachable database 503: the route's own error shape either way.
      sendHttpError(res, err, logger.error, 'authentication', 'ogc');
    }
  };
}

/** The Access the middleware put on the response. */
export const accessOf = (res: Response): Access => res.locals.access as Access;
