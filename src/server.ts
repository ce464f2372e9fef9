import 'reflect-metadata';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import type { Knex } from 'knex';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildAppSchema } from './schema';
import { stringifyAnswer } from './geo/geojson-text';
import { createContext, type AppServices, type Context } from './context';
import { createFormatError, errorStatusPlugin } from './common/errors/format-error';
import { clientError, sendHttpError, setErrorHeaders } from './common/errors/client-error';
import { AppError, HTTP_STATUS } from './common/errors/app-error';
import { loadConstraintCatalog } from './db/pg-errors';
import { startAccessEvents } from './modules/permissions';
import { startLiveServer, type LiveServer } from './modules/live';
import { authService, BasicAuthenticator, LoginThrottle, type BasicAuthSettings } from './modules/users';
import type { Logger } from './logger';
import { accessMiddleware } from './http/access.middleware';
import { errorLogFields, logAccessUser, logUser, requestLog, requestLogContext, requestLogPlugin } from './http/request-log';
import { ogcRouter } from './ogc/ogc.router';
import { tilesRouter } from './tiles/tile.router';
import { mapRouter } from './http/map.router';
import { graphiqlRouter } from './http/ide/graphiql.router';
import { indexPage } from './http/index-page';
import { schemaSdlHandler, SDL_PATH } from './http/schema-sdl';
import { graphqlGetCachePlugin, graphqlGetHeaders } from './http/graphql-get';
import { packageVersion } from './http/project-root';
import { inputGuardPlugin } from './common/input/input-guard.plugin';
import { KnownOperationTypesRule } from './common/input/operation-types.rule';
import { documentLimits, MAX_DOCUMENT_TOKENS } from './common/input/document-limits';
import { securityHeaders } from './http/security-headers';
import { headersSetBy, setHeaders } from './http/static-headers';
import { anonymousRateLimit, applyStatementTimeout, newRequestScope, queryLimitRules, queryLimitsPlugin, requestDatabase, type RequestScopeOptions } from './common/limits';
import { DEFAULT_IMPORT_JOB_SETTINGS, DEFAULT_LIMITS, type ImportJobSettings, type LimitSettings } from './config';
import { ImportJobRunner, importsRouter } from './modules/imports';

export interface KbsServer {
  app: express.Express;
  apollo: ApolloServer<Context>;
  httpServer: http.Server;
  /** Subscriptions over WebSocket, and the feed of changes they are pushed from. */
  live: LiveServer;
  /** Starts listening; resolves with the port (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

/** Media types worth compressing: JSON of every kind, vector tiles, text and scripts. */
const COMPRESSIBLE = /json|mapbox-vector-tile|protobuf|^text\/|javascript|xml/i;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * CORS besides the origins. Web maps on other origins (MapLibre, OpenLayers, Leaflet) fetch tiles
 * and features with a Bearer token; no cookies are involved, so allowing the origin exposes nothing
 * else. The request headers GraphQL clients send: Apollo Client (client name and version, the CSRF
 * preflight header and operation name of GET queries), urql (only content-type and accept), and W3C
 * trace context (OpenTelemetry's fetch instrumentation).
 */
export const CORS_OPTIONS = {
  allowedHeaders: [
    'authorization',
    'content-type',
    'x-request-id',
    'if-none-match',
    'apollographql-client-name',
    'apollographql-client-version',
    'apollo-require-preflight',
    'x-apollo-operation-name',
    'traceparent',
    'tracestate',
  ],
  exposedHeaders: ['etag', 'x-request-id', 'content-crs', 'retry-after', 'content-disposition'],
  maxAge: 600,
} satisfies cors.CorsOptions;

/** Options of the HTTP layer. */
export interface ServerOptions {
  /** Origins whose web pages may call the API (CORS). */
  corsOrigins?: '*' | string[];
  /** Limits on operations, requests and logins; DEFAULT_LIMITS for any not given. */
  limits?: Partial<LimitSettings>;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For gives the client address (rate limits go by it). */
  trustProxy?: boolean | number | string;
  /** How long HTTP Basic reuses a successful password check; the defaults of BasicAuthenticator for any not given. */
  basicAuth?: Partial<BasicAuthSettings>;
  /** Imports uploaded to POST /imports; DEFAULT_IMPORT_JOB_SETTINGS for any not given. */
  imports?: Partial<ImportJobSettings>;
}

/**
 * The HTTP server: GraphQL at /graphql (GraphiQL there for a browser, the SDL at
 * /graphql/schema.graphql), vector tiles at /tiles, OGC API Features at /ogc, the map page at /map,
 * a health check at /health, and an index of them all at /.
 */
export async function createServer(services: AppServices, logger: Logger, options: ServerOptions = {}): Promise<KbsServer> {
  const schema = await buildAppSchema();
  await loadConstraintCatalog(services.db);
  const accessEvents = await startAccessEvents(services.db, { log: logger.info });
  const limits: LimitSettings = { ...DEFAULT_LIMITS, ...options.limits };
  applyStatementTimeout(services.db, limits.statementTimeoutMs);
  // Jobs a stopped server left QUEUED or RUNNING are failed before this one takes new ones.
  const imports = new ImportJobRunner(services.db, services.geo, logger, { ...DEFAULT_IMPORT_JOB_SETTINGS, ...options.imports });
  await imports.recover();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(securityHeaders());
  // gzip (or deflate) for clients that ask, on what compresses: JSON, GeoJSON and vector tiles (a
  // parcels tile 64 KB -> 31 KB, a 1,000-parcel FeatureCollection 722 KB -> 80 KB). Level 1: most
  // of the saving for a fraction of the CPU of the default level.
  // A client that accepts no encoding gets no compression machinery wrapped around its response.
  const compress = compression({ threshold: 1024, level: 1, filter: (_req, res) => COMPRESSIBLE.test(String(res.getHeader('content-type') ?? '')) });
  app.use((req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next()));
  const corsOrigins = options.corsOrigins ?? '*';
  const corsHandler = cors({ origin: corsOrigins, ...CORS_OPTIONS });
  // Open to every origin, the headers of a request other than a preflight do not depend on it:
  // set as cors sets them, in one step. Preflights, and a list of origins, go through cors.
  const corsHeaders = corsOrigins === '*' ? setHeaders(headersSetBy(corsHandler)) : corsHandler;
  app.use((req, res, next) => (req.method === 'OPTIONS' ? corsHandler(req, res, next) : corsHeaders(req, res, next)));
  // GraphQL answers POSTs, which no cache keeps: hashing every response body for an ETag is waste
  // (GET answers get theirs from graphqlGetCachePlugin).
  app.set('etag', false);
  const httpServer = http.createServer(app);

  // A masked error's line carries its request's id, user and operation (recorded by requestLogPlugin
  // when the request met the error; none for an error of the WebSocket or of the context's making).
  const formatError = createFormatError((err, source) =>
    logger.error('request failed: masked as INTERNAL_SERVER_ERROR', (err as { originalError?: unknown }).originalError ?? err, errorLogFields(source)),
  );
  const apollo = new ApolloServer<Context>({
    schema,
    // Introspection and field suggestions are decided per request (queryLimitsPlugin).
    introspection: true,
    validationRules: [KnownOperationTypesRule, ...queryLimitRules(limits)],
    includeStacktraceInErrorResponses: false,
    // main.ts stops the server on SIGINT/SIGTERM (subscriptions, then Apollo, then the database):
    // Apollo's own handler would stop it a second time, concurrently, and send the signal again.
    stopOnTerminationSignals: false,
    // The geometries of layer rows go into the answer as PostGIS wrote them (geojson-text.ts).
    stringifyResult: stringifyAnswer,
    // An error thrown while building the context reaches formatError wrapped: log the original.
    formatError,
    // Apollo's cache-control plugin would wrap every field of every row to compute per-field hints;
    // the few GET answers a cache may keep get their headers from graphqlGetCachePlugin instead.
    // Browsers opening /graphql get our GraphiQL (graphiqlRouter), not Apollo's landing page, which
    // loads from Apollo's CDN (and so shows nothing offline).
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      errorStatusPlugin,
      inputGuardPlugin,
      requestLogPlugin,
      queryLimitsPlugin(limits),
      graphqlGetCachePlugin,
    ],
    // documentLimits refuses deep or long documents before this; the parser's own cap backs it up.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
  });
  await apollo.start();
  // Subscriptions: WebSocket upgrades of /graphql, before Express sees them.
  const live = await startLiveServer({ httpServer, schema, services, accessEvents, limits, logger, formatError });

  app.use((req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });
  app.use(requestLog(logger));

  app.get('/health', async (_req, res) => {
    try {
      await services.db.raw('SELECT 1');
      res.json({ status: 'ok' });
    } catch (err) {
      if (clientError(err)?.code !== 'SERVICE_UNAVAILABLE') logger.error('health check failed', err);
      setErrorHeaders(res, 'SERVICE_UNAVAILABLE');
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // Requests without a token: a rate per client address, on every route that reaches the database.
  const anonymous = anonymousRateLimit({ requests: limits.anonymousRequests, windowSeconds: limits.anonymousWindowSeconds }, logger.error);
  // A GraphQL request's database work: a deadline, its share of the pool, and the login throttle,
  // through a knex of its own (see requestDatabase).
  const logins = new LoginThrottle({
    failuresPerAccount: limits.loginFailuresPerAccount,
    failuresPerAddress: limits.loginFailuresPerAddress,
    windowSeconds: limits.loginWindowSeconds,
    lockSeconds: limits.loginLockSeconds,
  });
  const scopeOptions: RequestScopeOptions = {
    timeoutMs: limits.requestTimeoutMs,
    connectionsPerRequest: limits.connectionsPerRequest,
    logins,
  };
  // HTTP Basic on /ogc and /tiles (QGIS sends nothing else), under the same login throttle.
  const basic = new BasicAuthenticator(logins, options.basicAuth);

  // What the service is and where its parts are (HTML for a browser, JSON for a program).
  app.get('/', indexPage());
  // The IDE for a browser opening /graphql, and its files; GraphQL requests go on.
  app.use('/graphql', graphiqlRouter({ version: packageVersion(), introspection: limits.introspection }));
  app.get(SDL_PATH, anonymous.middleware('graphql'), schemaSdlHandler(schema, limits.introspection, services, logger));

  app.use(
    '/graphql',
    anonymous.middleware('graphql'),
    graphqlGetHeaders,
    express.json({ limit: '5mb' }),
    documentLimits,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        // The request's limits start now; its database handle is made when a resolver first uses
        // it, so a request that needs no data (`{ __typename }`) builds none.
        const scope = newRequestScope(req.ip ?? 'unknown', scopeOptions);
        let db: Knex | undefined;
        // On the server's own handle: the access it keeps between requests is cached per handle.
        const access = await authService.authenticate(services.db, services.auth, req.header('authorization')).catch((err: unknown) => {
          throw contextError(err, res);
        });
        logUser(res, access);
        const requestServices: AppServices = {
          geo: services.geo,
          auth: services.auth,
          get db() {
            return (db ??= requestDatabase(services.db, scope));
          },
        };
        const context = createContext(requestServices, res.locals.requestId as string, access);
        context.log = requestLogContext(res);
        return context;
      },
    }),
  );

  // OGC API - Features (QGIS, GDAL): the map layers as GeoJSON, under the same grants as GraphQL.
  app.use('/ogc', anonymous.middleware('ogc'), accessMiddleware(services, logger, basic), logAccessUser, ogcRouter(services, logger, limits));

  // Vector tiles (MapLibre, OpenLayers) and their TileJSON, under the same grants as GraphQL.
  app.use('/tiles', anonymous.middleware('ogc'), accessMiddleware(services, logger, basic), logAccessUser, tilesRouter(services, logger));

  // Imports over HTTP: a multipart upload starts a job that runs in this process (importJob(s) in GraphQL).
  app.use('/imports', anonymous.middleware('graphql'), importsRouter({ db: services.db, auth: services.auth, runner: imports, logger }));

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
    live,
    stop: async () => {
      await live.dispose();
      await apollo.stop();
      await imports.stop();
      await accessEvents.close();
    },
  };
}

/**
 * Apollo answers an error thrown while it builds the context (authentication reads the database)
 * with HTTP 500 "Context creation failed", unless the error is a GraphQLError that carries its
 * status: a database that cannot be reached then is SERVICE_UNAVAILABLE (503, Retry-After) as
 * everywhere else. Errors the client may not see stay as they are, to be logged and masked.
 */
function contextError(err: unknown, res: express.Response): unknown {
  const known = clientError(err);
  if (!known || known.extensions.http) return err;
  setErrorHeaders(res, known.code);
  const { code: _code, ...extensions } = known.extensions;
  return new AppError(known.code, known.message, { ...extensions, http: { status: HTTP_STATUS[known.code] } });
}
