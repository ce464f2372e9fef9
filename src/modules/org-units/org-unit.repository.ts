import type { Knex } from 'knex';
import type { OrgUnit } from './org-unit.type';

const COLUMNS = ['id', 'code', 'name', 'kind', 'parent_id as parentId'];

export class OrgUnitRepository {
  constructor(private readonly db: Knex) {}

  all(): Promise<OrgUnit[]> {
    return this.db('org_units').select(COLUMNS).orderBy('code');
  }

  byIds(ids: readonly number[]): Promise<OrgUnit[]> {
    return this.db('org_units').select(COLUMNS).whereIn('id', [...ids]);
  }

  byCode(code: string): Promise<OrgUnit | undefined> {
    return this.db('org_units').select(COLUMNS).where({ code }).first();
  }
}
