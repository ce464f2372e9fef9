import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { headersSetBy, setHeaders } from './static-headers';

export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      workerSrc: ["'self'", 'blob:'],
    },
  },
  frameguard: { action: 'deny' },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/**
 * Security headers on every response (helmet): `X-Content-Type-Options: nosniff`, no framing
 * (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`), no referrer, HSTS, and a
 * Content-Security-Policy that lets pages load only this server's own scripts, styles, images and
 * data (the map page loads OpenLayers from /map/vendor and tiles from /tiles; GraphiQL at /graphql
 * loads its bundle from /graphql/ide and starts Monaco's web workers from there, so it needs no
 * more: no 'unsafe-eval', no blob: workers, nothing from a CDN). The API is meant for pages on other
 * origins (CORS), so its resources are not limited to the same origin (CORP).
 */
export function securityHeaders(): RequestHandler {
  // helmet decides the headers; with these options none depends on the request (no CSP nonce, no
  // function directive), so they are taken from it once and set in one step: helmet's chain of a
  // dozen middlewares per request was a twentieth of the CPU of the cheapest request.
  return setHeaders(headersSetBy(helmet(HELMET_OPTIONS)));
}
