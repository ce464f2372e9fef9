import DataLoader from 'dataloader';
import type { Knex } from 'knex';
import type { Access } from '../../../common/auth/access';
import { groupBy } from '../../../common/group-by';
import { ImportJobRepository, jobScope, type ImportJobRow, type RejectionRow } from './job.repository';

export interface RejectionPageKey {
  jobId: number;
  first: number;
  afterId: number | null;
}

/** The per-request loaders of import jobs. */
export interface ImportJobLoaders {
  /** Jobs by id: only those the request may see (its own; all, or its directorate's, with AUDIT_LOG READ). */
  jobs: DataLoader<number, ImportJobRow | null>;
  /** A page of rejections per job: one statement for the jobs of a list that ask for the same page. */
  rejections: DataLoader<RejectionPageKey, RejectionRow[], string>;
  /** How many rejections each job has. */
  rejectionCounts: DataLoader<number, number>;
}

/**
 * This request's loaders. Rejections are read only for jobs the request got through `jobs` or a
 * list, both of which apply its scope.
 */
export function createImportJobLoaders(db: Knex, access: Access): ImportJobLoaders {
  const repo = new ImportJobRepository(db);
  return {
    jobs: new DataLoader<number, ImportJobRow | null>(async (ids) => {
      const found = new Map((await repo.byIds(ids, jobScope(db, access))).map((j) => [j.id, j]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    rejections: new DataLoader<RejectionPageKey, RejectionRow[], string>(
      async (keys) => {
        const out = new Map<string, RejectionRow[]>();
        for (const [, group] of groupBy(keys, (k) => `${k.first}:${k.afterId}`)) {
          const { first, afterId } = group[0];
          const pages = await repo.rejections(group.map((k) => k.jobId), first, afterId);
          for (const k of group) out.set(key(k), pages.get(k.jobId) ?? []);
        }
        return keys.map((k) => out.get(key(k)) ?? []);
      },
      { cacheKeyFn: (k) => key(k) },
    ),
    rejectionCounts: new DataLoader<number, number>(async (ids) => {
      const counts = await repo.rejectionCounts(ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}

const key = (k: RejectionPageKey) => `${k.jobId}:${k.first}:${k.afterId}`;
