import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Access } from '../common/auth/access';

/**
 * Cache headers of an answer that depends on who asks (tiles, OGC API features). Anonymous answers
 * are the same for everyone: shared caches may keep them a minute. Answers to a token are the
 * holder's own and are revalidated every time (a 304 saves the transfer), so a map shows an edit
 * on its next request.
 */
export function cacheHeaders(res: Response, access: Access, etag?: string): void {
  res.setHeader('cache-control', access.anonymous ? 'public, max-age=60' : 'private, max-age=0, must-revalidate');
  res.setHeader('vary', 'Authorization');
  if (etag) res.setHeader('etag', etag);
}

/**
 * Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 13.1.2). Not Express's
 * `req.fresh`: it answers no to every request with `Cache-Control: no-cache`, which fetch() adds
 * to any request with If-None-Match, although an origin server may well answer those with 304.
 */
export function etagMatches(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Whether the request's If-None-Match names the response's ETag (set before by cacheHeaders). */
export function notModified(req: Request, res: Response): boolean {
  return etagMatches(req.header('if-none-match'), String(res.getHeader('etag')));
}

/** An entity tag from a digest of `parts` (27 characters of SHA-256, base64url); `weak` prefixes W/. */
export function digestEtag(parts: (string | Uint8Array)[], weak = false): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `${weak ? 'W/' : ''}"${hash.digest('base64url').slice(0, 27)}"`;
}
