import { createHash } from 'node:crypto';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { RequestHandler } from 'express';
import type { Audience } from '../config';
import type { AppServices } from '../context';
import { AppError } from '../common/errors/app-error';
import { sendHttpError } from '../common/errors/client-error';
import { audienceAllows } from '../common/limits';
import type { Logger } from '../logger';
import { authService } from '../modules/users';
import { etagMatches } from './conditional';

/** Where the schema is served as SDL. */
export const SDL_PATH = '/graphql/schema.graphql';

/**
 * GET /graphql/schema.graphql: the schema as SDL (as in schema/schema.graphql), for code
 * generators and schema registries. It says what introspection says, so it is open to the same
 * audience (KBS_INTROSPECTION): by default to requests with a token. Revalidated with an ETag.
 */
export function schemaSdlHandler(schema: GraphQLSchema, introspection: Audience, services: AppServices, logger: Logger): RequestHandler {
  const sdl = `${printSchema(lexicographicSortSchema(schema))}\n`;
  const etag = `"${createHash('sha256').update(sdl).digest('base64url').slice(0, 27)}"`;
  return async (req, res) => {
    try {
      if (introspection === 'nobody') throw new AppError('FORBIDDEN', 'this server publishes no schema (KBS_INTROSPECTION=nobody), as it answers no introspection');
      const access = introspection === 'everyone' ? undefined : await authService.authenticate(services.db, services.auth, req.header('authorization'));
      if (access && !audienceAllows(introspection, access.identity != null)) {
        throw new AppError('UNAUTHENTICATED', 'the schema is shown only to requests with a token, as introspection is: send Authorization: Bearer <token>');
      }
      res.setHeader('cache-control', introspection === 'everyone' ? 'public, no-cache' : 'private, no-cache');
      res.setHeader('vary', 'Authorization');
      res.setHeader('etag', etag);
      if (etagMatches(req.header('if-none-match'), etag)) {
        res.status(304).end();
        return;
      }
      res.type('text/plain; charset=utf-8').send(sdl);
    } catch (err) {
      sendHttpError(res, err, logger.error, 'the schema (SDL)', 'graphql');
    }
  };
}
