import DataLoader from 'dataloader';
import { groupBy } from '../common/group-by';
import { GEOGRAPHIC_DIGITS, PROJECTED_DIGITS, type LayerRepository, type LayerRow, type RegionPage } from './layer.repository';

/** Key of a per-SRID loader: the feature and the coordinate system it is wanted in. */
export interface SridKey {
  id: number;
  srid: number;
  geographic: boolean;
}

/**
 * Batches a per-feature geometry computation by SRID: one statement per SRID asked for, whatever
 * the number of features on the page.
 */
export function sridLoader(
  fetch: (ids: number[], srid: number, digits: number) => Promise<{ id: number; geometry: unknown }[]>,
): DataLoader<SridKey, unknown, string> {
  return new DataLoader<SridKey, unknown, string>(
    async (keys) => {
      const found = new Map<string, unknown>();
      for (const [srid, group] of groupBy(keys, (k) => k.srid)) {
        const digits = group[0].geographic ? GEOGRAPHIC_DIGITS : PROJECTED_DIGITS;
        const rows = await fetch([...new Set(group.map((k) => k.id))], srid, digits);
        for (const row of rows) found.set(`${srid}:${row.id}`, row.geometry);
      }
      return keys.map((k) => found.get(`${k.srid}:${k.id}`) ?? null);
    },
    { cacheKeyFn: (k) => `${k.srid}:${k.id}` },
  );
}

/** The loaders every layer has: rows by id, and geometry in another SRID. */
export interface LayerLoaders<R> {
  byId: DataLoader<number, R | null>;
  geometry: DataLoader<SridKey, unknown, string>;
}

export function createLayerLoaders<R extends LayerRow, F>(repo: LayerRepository<R, F>): LayerLoaders<R> {
  return {
    byId: new DataLoader<number, R | null>(async (ids) => {
      const rows = await repo.byIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    geometry: sridLoader((ids, srid, digits) => repo.geometries(ids, srid, digits)),
  };
}

/** Key of an anchored-page loader: which anchor, and the page's arguments. */
export interface AnchoredKey<F> {
  anchorId: number;
  first: number;
  filter: F | null;
  /** Features within this many metres of the anchor; omitted: features inside the anchor. */
  withinMeters?: number;
}

const anchoredArgs = (k: AnchoredKey<unknown>) => JSON.stringify([k.first, k.filter, k.withinMeters ?? null]);

/**
 * The first features of a layer related to each anchor row of `anchorTable` (inside it, or within
 * a distance of it): one statement per distinct set of page arguments, whatever the anchors.
 */
export function anchoredPagesLoader<R extends LayerRow, F>(
  repo: LayerRepository<R, F>,
  anchorTable: string,
): DataLoader<AnchoredKey<F>, RegionPage<R>, string> {
  return new DataLoader<AnchoredKey<F>, RegionPage<R>, string>(
    async (keys) => {
      const pages = new Map<string, RegionPage<R>>();
      for (const [args, group] of groupBy(keys, anchoredArgs)) {
        const { first, filter, withinMeters } = group[0];
        const ids = [...new Set(group.map((k) => k.anchorId))];
        const relation = withinMeters === undefined ? { inside: true as const } : { withinMeters };
        const byAnchor = await repo.pagesPerAnchor(anchorTable, ids, relation, { filter, predicates: [], first });
        for (const [id, page] of byAnchor) pages.set(`${id}:${args}`, page);
      }
      return keys.map((k) => pages.get(`${k.anchorId}:${anchoredArgs(k)}`)!);
    },
    { cacheKeyFn: (k) => `${k.anchorId}:${anchoredArgs(k)}` },
  );
}
