import type { Knex } from 'knex';
import type { Vendor } from './vendor.type';

const COLUMNS = ['id', 'name', 'phone', 'email', 'contract_no as contractNo', 'contract_ends_on as contractEndsOn'];

/** Vendors: a short list everyone who may read assets may read. */
export class VendorRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  all(): Promise<Vendor[]> {
    return this.db('vendors').select(COLUMNS).orderBy('name');
  }

  byIds(ids: readonly number[]): Promise<Vendor[]> {
    return this.db('vendors').select(COLUMNS).whereIn('id', [...ids]);
  }
}
