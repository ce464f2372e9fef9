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
