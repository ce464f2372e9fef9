import 'reflect-metadata';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildAppSchema } from './schema';
import { createContext, type AppServices, type Context } from './context';
import { contextError, createFormatError, errorStatusPlugin } from './common/errors/format-error';
import { sendHttpError } from './common/errors/client-error';
import { loadConstraintCatalog } from './db/pg-errors';
import { authService, LoginThrottle } from './modules/users';
import type { Logger } from './logger';
import { accessMiddleware } from './http/access.middleware';
import { ogcRouter } from './ogc/ogc.router';
import { tilesRouter } from './tiles/tile.router';
import { mapRouter } from './http/map.router';
import { securityHeaders } from './http/security-headers';
import { anonymousRateLimit, applyStatementTimeout, newRequestScope, queryLimitRules, queryLimitsPlugin, requestDatabase, type RequestScopeOptions } from './common/limits';
import { DEFAULT_LIMITS, type LimitSettings } from './config';

export interface KbsServer {
  app: express.Express;
  apollo: ApolloServer<Context>;
  httpServer: http.Server;
  /** Starts listening; resolves with the port (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Options of the HTTP layer. */
export interface ServerOptions {
  /** Origins whose web pages may call the API (CORS). */
  corsOrigins?: '*' | string[];
  /** Limits on operations, requests and logins; DEFAULT_LIMITS for any not given. */
  limits?: Partial<LimitSettings>;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For gives the client address (rate limits go by it). */
  trustProxy?: boolean | number | string;
}

/**
 * The HTTP server: GraphQL at /graphql, vector tiles at /tiles, OGC API Features at /ogc, a health
 * check at /health.
 */
export async function createServer(services: AppServices, logger: Logger, options: ServerOptions = {}): Promise<KbsServer> {
  const schema = await buildAppSchema();
  await loadConstraintCatalog(services.db);
  const limits: LimitSettings = { ...DEFAULT_LIMITS, ...options.limits };
  applyStatementTimeout(services.db, limits.statementTimeoutMs);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(securityHeaders());
  // Web maps on other origins (MapLibre, OpenLayers, Leaflet) fetch tiles and features with a
  // Bearer token; no cookies are involved, so allowing the origin exposes nothing else.
  app.use(
    cors({
      origin: options.corsOrigins ?? '*',
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'if-none-match'],
      exposedHeaders: ['etag', 'x-request-id', 'content-crs'],
      maxAge: 600,
    }),
  );
  // GraphQL answers POSTs, which no cache keeps: hashing every response body for an ETag is waste.
  app.set('etag', false);
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<Context>({
    schema,
    // Introspection and field suggestions are decided per request (queryLimitsPlugin).
    introspection: true,
    validationRules: queryLimitRules(limits),
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError((err) => logger.error('request failed', err)),
    // GraphQL answers are not cached over HTTP, and the cache-control plugin would wrap every field
    // of every row to compute a cache hint nobody reads.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), errorStatusPlugin, queryLimitsPlugin(limits)],
  });
  await apollo.start();

  app.use((req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });

  app.get('/health', async (_req, res) => {
    try {
      await services.db.raw('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // Requests without a token: a rate per client address, on every route that reaches the database.
  const anonymous = anonymousRateLimit({ requests: limits.anonymousRequests, windowSeconds: limits.anonymousWindowSeconds }, logger.error);
  // A GraphQL request's database work: a deadline, its share of the pool, and the login throttle,
  // through a knex of its own (see requestDatabase).
  const scopeOptions: RequestScopeOptions = {
    timeoutMs: limits.requestTimeoutMs,
    connectionsPerRequest: limits.connectionsPerRequest,
    logins: new LoginThrottle({
      failuresPerAccount: limits.loginFailuresPerAccount,
      failuresPerAddress: limits.loginFailuresPerAddress,
      windowSeconds: limits.loginWindowSeconds,
      lockSeconds: limits.loginLockSeconds,
    }),
  };

  app.use(
    '/graphql',
    anonymous.middleware('graphql'),
    express.json({ limit: '5mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const db = requestDatabase(services.db, newRequestScope(req.ip ?? 'unknown', scopeOptions));
        try {
          // On the server's own handle: the access it keeps between requests is cached per handle.
          const access = await authService.authenticate(services.db, services.auth, req.header('authorization'));
          return createContext({ ...services, db }, res.locals.requestId as string, access);
        } catch (err) {
          throw contextError(err);
        }
      },
    }),
  );

  // OGC API - Features (QGIS, GDAL): the map layers as GeoJSON, under the same grants as GraphQL.
  app.use('/ogc', anonymous.middleware('ogc'), accessMiddleware(services, logger), ogcRouter(services, logger));

  // Vector tiles (MapLibre, OpenLayers) and their TileJSON, under the same grants as GraphQL.
  app.use('/tiles', anonymous.middleware('ogc'), accessMiddleware(services, logger), tilesRouter(services, logger));

  // The map page (OpenLayers, bundled locally): the tile layers, a login and feature attributes.
  app.use('/map', mapRouter());

  // Malformed JSON bodies and other HTTP-level faults: a GraphQL-shaped error, never a stack trace.
  const onError: ErrorRequestHandler = (err, _req, res, _next) => sendHttpError(res, err, logger.error, 'HTTP request', 'graphql');
  app.use(onError);

  return {
    app,
    apollo,
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
      }),
    stop: () => apollo.stop(),
  };
}
