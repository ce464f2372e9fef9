import type { RequestHandler, Response } from 'express';
import type { Access } from '../common/auth/access';
import { AppError } from '../common/errors/app-error';
import type { AppServices } from '../context';
import { authService } from '../modules/users';

/**
 * For the HTTP routes beside GraphQL (tiles, OGC API Features): the request's Access from its
 * Authorization header, exactly as GraphQL gets it, in `res.locals.access`. A bad token is a 401
 * with a JSON body and a `WWW-Authenticate` header, never the anonymous answer.
 */
export function accessMiddleware(services: AppServices): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.access = await authService.authenticate(services.db, services.auth, req.header('authorization'));
      next();
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
        res.status(401).setHeader('www-authenticate', 'Bearer').json({ code: 'UNAUTHENTICATED', description: err.message });
        return;
      }
      next(err);
    }
  };
}

/** The Access the middleware put on the response. */
export const accessOf = (res: Response): Access => res.locals.access as Access;
