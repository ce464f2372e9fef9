import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import { OrgUnitRepository } from './org-unit.repository';
import type { OrgUnit } from './org-unit.type';

export interface OrgUnitLoaders {
  byId: DataLoader<number, OrgUnit | null>;
}

export function createOrgUnitLoaders(db: Knex): OrgUnitLoaders {
  const repo = new OrgUnitRepository(db);
  return {
    byId: new DataLoader<number, OrgUnit | null>(async (ids) => {
      const found = new Map((await repo.byIds(ids)).map((u) => [u.id, u]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
