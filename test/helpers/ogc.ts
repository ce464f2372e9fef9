import type { TestApp } from './app';

export interface OgcResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * GETs an OGC API path (relative to the server, e.g. /ogc/collections) or an absolute link, as
 * `token`: by default the administrator; null sends no Authorization header.
 */
export async function ogcGet<T = any>(app: TestApp, path: string, token?: string | null, headers: Record<string, string> = {}): Promise<OgcResponse<T>> {
  const as = token === undefined ? app.admin.token : token;
  const h: Record<string, string> = { ...headers };
  if (as !== null) h.authorization = `Bearer ${as}`;
  const res = await fetch(path.startsWith('http') ? path : `${app.url}${path}`, { headers: h });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** The href of the link with this rel (and type, if given); undefined when there is none. */
export const linkOf = (doc: { links: { rel: string; type?: string; href: string }[] }, rel: string, type?: string): string | undefined =>
  doc.links.find((l) => l.rel === rel && (type === undefined || l.type === type))?.href;

export const ids = (fc: { features: { id: number }[] }): number[] => fc.features.map((f) => f.id);
