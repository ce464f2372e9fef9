import type { RequestHandler } from 'express';

/** Response headers that do not depend on the request. */
export type StaticHeaders = [string, string | number | readonly string[]][];

/**
 * The headers a middleware sets on a response it passes on, recorded once against a stand-in
 * request and response: for a middleware whose headers do not depend on the request (helmet with
 * static options, CORS open to every origin), so that they can be set in one step.
 */
export function headersSetBy(middleware: RequestHandler, method = 'GET'): StaticHeaders {
  const set = new Map<string, string | number | readonly string[]>();
  let passed = false;
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.set(name, value),
    removeHeader: (name: string) => set.delete(name),
    getHeader: (name: string) => set.get(name),
  };
  void middleware({ headers: {}, method, url: '/' } as never, res as never, ((err?: unknown) => {
    if (err) throw err;
    passed = true;
  }) as never);
  if (!passed || set.size === 0) throw new Error('static headers: the middleware did not set its headers and pass the request on at once');
  return [...set];
}

/** A middleware setting `headers` on every response and passing the request on. */
export function setHeaders(headers: StaticHeaders): RequestHandler {
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
