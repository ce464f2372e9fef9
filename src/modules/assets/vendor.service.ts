import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { recordAudit } from '../audit';
import { VENDOR_TARGET, VendorRepository } from './vendor.repository';
import type { Vendor } from './vendor.type';

/** The fields of a vendor input (create: name required; update: only those given change). */
export interface VendorFields {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  contractNo?: string | null;
  contractEndsOn?: string | null;
}

const MAX_TEXT = 200;

/** Input fields to columns, checked: a name is never empty, dates are dates. */
function columnValues(input: VendorFields): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const text = (field: keyof VendorFields, column: string) => {
    const value = input[field];
    if (value === undefined) return;
    const trimmed = value?.trim() || null;
    if (trimmed && trimmed.length > MAX_TEXT) throw badInput(`input.${field} may be at most ${MAX_TEXT} characters`);
    values[column] = trimmed;
  };
  if (input.name !== undefined && !input.name?.trim()) throw badInput('input.name must not be empty');
  text('name', 'name');
  text('phone', 'phone');
  text('email', 'email');
  text('contractNo', 'contract_no');
  if (values.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email as string)) throw badInput(`input.email: "${values.email}" is not an e-mail address`);
  if (input.contractEndsOn !== undefined) values.contract_ends_on = input.contractEndsOn;
  return values;
}

const scope = (ctx: Context, action: Action) => ctx.access.condition(ctx.db, Resource.VENDORS, action, VENDOR_TARGET);

/**
 * Vendor administration under the VENDORS grants, audited. Vendors have no place or owner, so a
 * grant limited to an area or a directorate does not reach them.
 */
export const vendorService = {
  list(ctx: Context, search: string | null | undefined): Promise<Vendor[]> {
    ctx.access.require(Resource.VENDORS, Action.READ, 'vendors');
    if (search != null && search.length > MAX_TEXT) throw badInput(`search may be at most ${MAX_TEXT} characters`);
    return new VendorRepository(ctx.db).list(scope(ctx, Action.READ), search?.trim() || null);
  },

  async create(ctx: Context, input: VendorFields): Promise<Vendor | null> {
    ctx.access.require(Resource.VENDORS, Action.CREATE, 'vendors');
    const allowed = scope(ctx, Action.CREATE);
    if (allowed !== null) throw forbidden('you may not create vendors: your grant is limited to an area or a directorate, which vendors do not have');
    if (!input.name?.trim()) throw badInput('input.name is required');
    const values = columnValues(input);
    return ctx.db.transaction(async (trx) => {
      const written = await new VendorRepository(trx).insert(values);
      await recordAudit(trx, ctx, { entity: Resource.VENDORS, entityId: written.id, action: Action.CREATE, before: null, after: written.after });
      return this.reload(ctx, trx, written.id);
    });
  },

  async update(ctx: Context, idArg: string, version: number, input: VendorFields): Promise<Vendor | null> {
    ctx.access.require(Resource.VENDORS, Action.UPDATE, 'vendors');
    const id = parseId(idArg, 'id');
    const values = columnValues(input);
    if (Object.keys(values).length === 0) throw badInput('input changes nothing: give at least one field');
    return ctx.db.transaction(async (trx) => {
      const repo = new VendorRepository(trx);
      const current = await repo.lock(id, scope(ctx, Action.UPDATE));
      if (!current) throw notFound('vendor', id);
      if (!current.allowed) throw forbidden(`you may not update vendor ${id}`);
      if (current.version !== version) {
        throw new AppError('CONFLICT', `vendor ${id} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
          currentVersion: current.version,
        });
      }
      const after = await repo.update(id, values);
      await recordAudit(trx, ctx, { entity: Resource.VENDORS, entityId: id, action: Action.UPDATE, before: current.before, after });
      return this.reload(ctx, trx, id);
    });
  },

  /** The vendor as the writer now reads it (null without a VENDORS READ grant), in the write's transaction: a committed write always gets its answer. */
  async reload(ctx: Context, trx: Knex.Transaction, id: number): Promise<Vendor | null> {
    if (!ctx.access.can(Resource.VENDORS, Action.READ)) return null;
    const [row] = await new VendorRepository(trx).byIds(scope(ctx, Action.READ), [id]);
    return row ?? null;
  },
};
