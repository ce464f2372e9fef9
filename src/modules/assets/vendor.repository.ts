import type { Knex } from 'knex';
import type { ScopeTarget } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { foldedContainsAny } from '../../db/text-search';
import type { Referenced } from '../../geo/layer.repository';
import type { Vendor } from './vendor.type';

const COLUMNS = ['id', 'name', 'phone', 'email', 'contract_no as contractNo', 'contract_ends_on as contractEndsOn', 'version'];

/** Vendors have no place or owner: a grant limited to an area or a directorate reaches none of them. */
export const VENDOR_TARGET: ScopeTarget = {};

/** Vendors as a foreign key points to them (an asset's vendor). */
export const VENDOR_REFERENCED: Referenced = { resource: Resource.VENDORS, table: 'vendors', target: VENDOR_TARGET };

/** Vendors, read within the request's VENDORS READ scope wherever they are shown. */
export class VendorRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** The vendors with these ids within `scope` (the request's VENDORS READ condition; null: all). */
  byIds(scope: Knex.Raw | null, ids: readonly number[]): Promise<Vendor[]> {
    const qb = this.db('vendors').select(COLUMNS).whereIn('id', [...ids]);
    if (scope) qb.where(scope);
    return qb;
  }

  /** Vendors administration reads: within `scope` (the request's VENDORS READ grants), by name. */
  list(scope: Knex.Raw | null, search: string | null): Promise<Vendor[]> {
    const qb = this.db('vendors').select(COLUMNS).orderBy('name');
    if (scope) qb.where(scope);
    if (search) qb.where(foldedContainsAny(this.db as Knex, ['name', 'contract_no'], search));
    return qb;
  }

  async insert(values: Record<string, unknown>): Promise<{ id: number; after: Record<string, unknown> }> {
    const columns = Object.keys(values);
    const { rows } = await this.db.raw(
      `INSERT INTO vendors (${columns.map(() => '??').join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING id, to_jsonb(vendors) AS after`,
      [...columns, ...(Object.values(values) as Knex.Value[])],
    );
    return rows[0];
  }

  /** The vendor locked until the transaction ends, and whether `scope` (a write grant) covers it. */
  async lock(id: number, scope: Knex.Raw | null): Promise<{ version: number; allowed: boolean; before: Record<string, unknown> } | undefined> {
    return this.db('vendors')
      .where({ id })
      .forUpdate()
      .first('version', scope ? this.db.raw('coalesce(?, false) AS allowed', [scope]) : this.db.raw('true AS allowed'), this.db.raw('to_jsonb(vendors) AS before'));
  }

  async update(id: number, values: Record<string, unknown>): Promise<Record<string, unknown>> {
    const set = Object.entries(values) as [string, Knex.Value][];
    const { rows } = await this.db.raw(
      `UPDATE vendors SET ${set.map(() => '?? = ?').join(', ')}, version = version + 1, updated_at = now() WHERE id = ? RETURNING to_jsonb(vendors) AS after`,
      [...set.flat(), id],
    );
    return rows[0].after;
  }
}
