import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AppError } from '../common/errors/app-error';
import type { AppServices } from '../context';
import { sendHttpError } from '../common/errors/client-error';
import { accessOf } from '../http/access.middleware';
import type { Logger } from '../logger';
import type { OgcCrs } from './crs';
import { MEDIA, ogcService, type OgcRequest } from './ogc.service';
import { openApiDocument } from './openapi';
import { checkParameters, PARAMETERS, parseFormat, parseItemParams, parseItemsParams, type FeatureFormat } from './params';

/**
 * OGC API - Features under its mount point (/ogc): landing page, API definition, conformance,
 * collections, features. Mount it after accessMiddleware, which puts the request's Access on the
 * response. Errors are OGC exceptions, `{ code, description }`, with their HTTP status.
 */
export function ogcRouter(services: AppServices, logger: Logger): Router {
  const router = Router();

  const request = (req: Request, res: Response): OgcRequest => ({
    db: services.db,
    geo: services.geo,
    access: accessOf(res),
    base: `${req.protocol}://${req.get('host')}${req.baseUrl}`,
    query: req.query as Record<string, string>,
  });

  /** A metadata resource: JSON only, no parameter but `f`. */
  const metadata = (req: Request) => {
    checkParameters(req.query, PARAMETERS.metadata);
    parseFormat(req.query, false, req.header('accept'));
  };

  const sendFeatures = (res: Response, format: FeatureFormat, crs: OgcCrs, body: unknown) => {
    res.setHeader('content-crs', `<${crs.uri}>`);
    res.type(format === 'json' ? MEDIA.json : MEDIA.geojson).send(JSON.stringify(body));
  };

  router.get('/', (req, res) => {
    metadata(req);
    res.json(ogcService.landing(request(req, res)));
  });

  router.get('/api', (req, res) => {
    metadata(req);
    const r = request(req, res);
    res.type(MEDIA.openapi).send(JSON.stringify(openApiDocument(r.base)));
  });

  router.get('/conformance', (req, res) => {
    metadata(req);
    res.json(ogcService.conformance(request(req, res)));
  });

  router.get('/collections', async (req, res) => {
    metadata(req);
    res.json(await ogcService.collections(request(req, res)));
  });

  router.get('/collections/:collectionId', async (req, res) => {
    metadata(req);
    res.json(await ogcService.collection(request(req, res), req.params.collectionId));
  });

  router.get('/collections/:collectionId/queryables', async (req, res) => {
    metadata(req);
    res.type(MEDIA.schema).send(JSON.stringify(await ogcService.queryables(request(req, res), req.params.collectionId)));
  });

  router.get('/collections/:collectionId/items', async (req, res) => {
    const params = parseItemsParams(req.query, req.header('accept'));
    const { crs, document } = await ogcService.items(request(req, res), req.params.collectionId, params);
    sendFeatures(res, params.format, crs, document);
  });

  router.get('/collections/:collectionId/items/:featureId', async (req, res) => {
    const params = parseItemParams(req.query, req.header('accept'));
    const { crs, document } = await ogcService.item(request(req, res), req.params.collectionId, req.params.featureId, params);
    sendFeatures(res, params.format, crs, document);
  });

  router.use((req) => {
    throw new AppError('NOT_FOUND', `there is no resource ${req.baseUrl}${req.path}; start at ${req.baseUrl}`);
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => sendHttpError(res, err, logger.error, 'OGC API request', 'ogc');
  router.use(onError);

  return router;
}
