import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { etagMatches } from './conditional';

/**
 * HTTP caching of GraphQL answers to GET (GraphQL over HTTP: queries only; Apollo Server answers a
 * mutation over GET with 405). An answer without errors is
 * - to a request without a token: the same for everyone, so shared caches may keep it a minute
 *   (`public, max-age=60`), as anonymous tiles;
 * - to a request with a token: the holder's own, revalidated every time (`private, no-cache`); a
 *   weak ETag of the answer lets a client that has it get 304 without the body.
 * Answers with errors (a timeout, a refused token) are not kept (`no-store`). POST answers are
 * left alone (no cache keeps them).
 */
export const graphqlGetCachePlugin: ApolloServerPlugin<{ identity: unknown }> = {
  async requestDidStart({ request }) {
    const http = request.http;
    if (http?.method !== 'GET') return;
    return {
      async willSendResponse({ response, contextValue }) {
        const headers = response.http.headers;
        if (response.body.kind !== 'single' || response.body.singleResult.errors?.length || (response.http.status ?? 200) !== 200) {
          headers.set('cache-control', 'no-store');
          return;
        }
        if (contextValue.identity == null) {
          headers.set('cache-control', 'public, max-age=60');
          return;
        }
        headers.set('cache-control', 'private, no-cache');
        const etag = `W/"${createHash('sha256').update(JSON.stringify(response.body.singleResult)).digest('base64url').slice(0, 27)}"`;
        headers.set('etag', etag);
        // Express sends a 304 without the body.
        if (etagMatches(http.headers.get('if-none-match'), etag)) response.http.status = 304;
      },
    };
  },
};

/**
 * A GET answer depends on the Accept header (the media type) and the Authorization header (whose
 * answer it is): caches must keep them apart. Set here, where Express merges Vary values (CORS
 * adds Origin when origins are listed), not through Apollo, whose headers replace them. A GET that
 * Apollo refuses before any plugin runs (CSRF prevention, no query) is not kept either.
 */
export const graphqlGetHeaders: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.vary('Accept').vary('Authorization');
    res.setHeader('cache-control', 'no-store');
  }
  next();
};
