import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AppError } from '../common/errors/app-error';
import type { AppServices } from '../context';
import { sendHttpError } from '../common/errors/client-error';
import { accessOf } from '../http/access.middleware';
import { cacheHeaders, digestEtag, notModified } from '../http/conditional';
import type { Logger } from '../logger';
import type { OgcCrs } from './crs';
import { ExportService, type ExportLimits } from './export/export.service';
import { isExportFormat } from './export/formats';
import { MEDIA, ogcService, type OgcRequest } from './ogc.service';
import { openApiDocument } from './openapi';
import { checkParameters, PARAMETERS, parseFormat, parseItemParams, parseItemsParams, type FeatureFormat } from './params';
import { SCHEMA_MEDIA } from './schema';

/** Changes when the features' encoding changes for the same data (an ETag of old bytes must not match new ones). */
const FEATURE_FORMAT = 1;

/**
 * OGC API - Features under its mount point (/ogc): landing page, API definition, conformance,
 * collections, features. Mount it after accessMiddleware, which puts the request's Access on the
 * response. Errors are OGC exceptions, `{ code, description }`, with their HTTP status.
 */
export function ogcRouter(services: AppServices, logger: Logger, limits: ExportLimits): Router {
  const router = Router();
  const exports = new ExportService(limits);

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

  /**
   * Features with their CRS, and cache headers as the tiles have them: the ETag is a digest of the
   * document (of all but the items' `timeStamp`, so a weak one there: the same features at another
   * moment), and If-None-Match with it gets 304.
   */
  const sendFeatures = (req: Request, res: Response, format: FeatureFormat, crs: OgcCrs, document: object & { timeStamp?: string }) => {
    const { timeStamp, ...content } = document;
    const body = JSON.stringify(document);
    const etag = digestEtag([`${FEATURE_FORMAT} ${format} ${crs.uri} `, timeStamp === undefined ? body : JSON.stringify(content)], timeStamp !== undefined);
    cacheHeaders(res, accessOf(res), etag);
    res.setHeader('content-crs', `<${crs.uri}>`);
    res.type(format === 'json' ? MEDIA.json : MEDIA.geojson);
    if (notModified(req, res)) {
      res.status(304).end();
      return;
    }
    res.send(body);
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

  router.get('/collections/:collectionId/schema', async (req, res) => {
    metadata(req);
    res.type(SCHEMA_MEDIA).send(JSON.stringify(await ogcService.schema(request(req, res), req.params.collectionId)));
  });

  router.get('/collections/:collectionId/schema/geojson', async (req, res) => {
    metadata(req);
    res.type(SCHEMA_MEDIA).send(JSON.stringify(await ogcService.featureSchema(request(req, res), req.params.collectionId)));
  });

  router.get('/collections/:collectionId/queryables', async (req, res) => {
    metadata(req);
    res.type(MEDIA.schema).send(JSON.stringify(await ogcService.queryables(request(req, res), req.params.collectionId)));
  });

  router.get('/collections/:collectionId/items', async (req, res) => {
    const params = parseItemsParams(req.query, req.header('accept'));
    const { format } = params;
    if (isExportFormat(format)) {
      await exports.send(request(req, res), req.params.collectionId, { ...params, format }, req, res);
      return;
    }
    const { crs, document } = await ogcService.items(request(req, res), req.params.collectionId, { ...params, format });
    sendFeatures(req, res, format, crs, document);
  });

  router.get('/collections/:collectionId/items/:featureId', async (req, res) => {
    const params = parseItemParams(req.query, req.header('accept'));
    const { crs, document } = await ogcService.item(request(req, res), req.params.collectionId, req.params.featureId, params);
    sendFeatures(req, res, params.format, crs, document);
  });

  router.use((req) => {
    throw new AppError('NOT_FOUND', `there is no resource ${req.baseUrl}${req.path}; start at ${req.baseUrl}`);
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => sendHttpError(res, err, logger.error, 'OGC API request', 'ogc');
  router.use(onError);

  return router;
}
