import type { Request, RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

const OPTIONS: HelmetOptions = {
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

/** A browser opening /graphql: Apollo Server's landing page, which brings its own CSP (with nonces) for its sandbox. */
const isLandingPage = (req: Request) => req.method === 'GET' && req.path.replace(/\/$/, '') === '/graphql' && (req.header('accept') ?? '').includes('text/html');

/**
 * Security headers on every response (helmet): `X-Content-Type-Options: nosniff`, no framing
 * (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`), no referrer, HSTS, and a
 * Content-Security-Policy that lets pages load only this server's own scripts, styles, images and
 * data (the map page loads OpenLayers from /map/vendor and tiles from /tiles). The API is meant for
 * pages on other origins (CORS), so its resources are not limited to the same origin (CORP).
 */
export function securityHeaders(): RequestHandler {
  const strict = helmet(OPTIONS);
  const landingPage = helmet({ ...OPTIONS, contentSecurityPolicy: false });
  return (req, res, next) => (isLandingPage(req) ? landingPage : strict)(req, res, next);
}
