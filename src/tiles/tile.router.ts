import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Access } from '../common/auth/access';
import type { AppServices } from '../context';
import { sendHttpError } from '../common/errors/client-error';
import { accessOf } from '../http/access.middleware';
import { etagMatches } from '../http/conditional';
import type { Logger } from '../logger';
import { TileService, type TileServiceOptions } from './tile.service';

export const MVT_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Anonymous answers are the same for everyone: shared caches may keep them a minute. Answers to a
 * token are the holder's own and are revalidated every time (a 304 saves the transfer), so a
 * map shows an edit on its next request.
 */
function cacheHeaders(res: Response, access: Access, etag: string): void {
  res.setHeader('cache-control', access.anonymous ? 'public, max-age=60' : 'private, max-age=0, must-revalidate');
  res.setHeader('vary', 'Authorization');
  res.setHeader('etag', etag);
}

/** Whether the request's If-None-Match names the response's ETag. */
const notModified = (req: Request, res: Response) => etagMatches(req.header('if-none-match'), String(res.getHeader('etag')));

/**
 * Vector tiles under the request's Access (put there by accessMiddleware): `/{layer}/{z}/{x}/{y}.mvt`
 * (Mapbox Vector Tile, EPSG:3857) and `/{layer}.json` (TileJSON 3.0.0). Errors are JSON
 * `{ code, description }` with their HTTP status; a bad token never reaches this router.
 */
export function tilesRouter(services: AppServices, logger: Logger, options: TileServiceOptions = {}): Router {
  const service = new TileService(services.db, options);
  const router = Router();

  router.get('/:layer/:z/:x/:y.mvt', async (req: Request<{ layer: string; z: string; x: string; y: string }>, res) => {
    const layer = service.layer(req.params.layer);
    const tile = service.address(req.params.z, req.params.x, req.params.y);
    const access = accessOf(res);
    service.authorize(access, layer);
    // The ETag is the tile's own content: it changes exactly when what this request may see in
    // this tile changes, and costs no query over the whole layer (which a layer of a million
    // parcels would pay on every request). A 304 saves the transfer.
    const body = await service.tile(access, layer, tile);
    cacheHeaders(res, access, service.tileEtag(`${layer.name}/${tile.z}/${tile.x}/${tile.y}`, body));
    res.setHeader('content-type', MVT_MEDIA_TYPE);
    if (notModified(req, res)) {
      res.status(304).end();
      return;
    }
    // An empty tile is a tile: 200 with no bytes, which every map client takes as "nothing here".
    res.status(200).setHeader('content-length', body.byteLength);
    res.end(body);
  });

  router.get('/:layer.json', async (req: Request<{ layer: string }>, res) => {
    const layer = service.layer(req.params.layer);
    const access = accessOf(res);
    service.authorize(access, layer);
    const tilesUrl = `${req.protocol}://${req.get('host')}${req.baseUrl}/${layer.name}/{z}/{x}/{y}.mvt`;
    cacheHeaders(res, access, await service.etag(access, layer, `tilejson ${tilesUrl}`));
    if (notModified(req, res)) {
      res.status(304).end();
      return;
    }
    res.json(await service.tileJson(access, layer, tilesUrl));
  });

  router.use((req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', description: `no such tile resource: ${req.path} (try /tiles/{layer}/{z}/{x}/{y}.mvt or /tiles/{layer}.json)` });
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => sendHttpError(res, err, logger.error, 'tile request', 'ogc');
  router.use(onError);

  return router;
}
