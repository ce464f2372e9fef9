import DataLoader from 'dataloader';
import { GEOGRAPHIC_DIGITS, PROJECTED_DIGITS, type LayerRepository, type LayerRow } from './layer.repository';

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
      const bySrid = new Map<number, SridKey[]>();
      for (const key of keys) bySrid.set(key.srid, [...(bySrid.get(key.srid) ?? []), key]);
      const found = new Map<string, unknown>();
      for (const [srid, group] of bySrid) {
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
