import { COLLECTIONS } from '../../src/ogc/collections';
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

/** The OGC collections (their ids, from the server's own list) and the GraphQL list of each: the id in camelCase. */
export const OGC_COLLECTIONS: string[] = COLLECTIONS.map((c) => c.id);
export const GRAPHQL_LIST: Record<string, string> = Object.fromEntries(OGC_COLLECTIONS.map((id) => [id, id.replace(/-(\w)/g, (_, l: string) => l.toUpperCase())]));
