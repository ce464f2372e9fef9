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

/** Restricts `column` (an org unit id) to the unit `unitId` and every unit under it: a directorate's whole tree. */
export function whereInUnitTree(qb: Knex.QueryBuilder, column: string, unitId: number): Knex.QueryBuilder {
  return qb.whereRaw(
    `?? IN (WITH RECURSIVE below AS (SELECT id FROM org_units WHERE id = ? UNION ALL SELECT o.id FROM org_units o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
    [column, unitId],
  );
}
