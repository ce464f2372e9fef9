import type { Knex } from 'knex';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import type { Snapshot } from '../../geo/layer-edit.repository';
import { FAULT_TABLE } from './fault.repository';
import type { AssetState } from '../assets';
import type { FaultState } from './fault.type';

/** A step as fault_events keeps it. */
export interface FaultEventRow {
  faultId: number;
  actorId: number | null;
  from: FaultState | null;
  to: FaultState;
  note: string | null;
}

/** An open fault found in the way of a write, and whether the request may read it. */
export interface OpenFault {
  id: number;
  readable: boolean;
}

/**
 * The writes of the fault workflow besides the fault row itself (LayerEditRepository locks and
 * updates that): events, vendor repairs, and the lookups a step checks before it writes. Always
 * built on the step's transaction.
 */
export class FaultEditRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  async insertEvent(e: FaultEventRow): Promise<void> {
    await this.trx('fault_events').insert({ fault_id: e.faultId, actor_id: e.actorId, from_state: e.from, to_state: e.to, note: e.note });
  }

  /**
   * The open fault of an asset other than `exceptId`, if there is one (whoever may read it), and
   * whether this request may read it (so that a refusal names it only then).
   */
  async openFaultOf(access: Access, assetId: number, exceptId: number | null = null): Promise<OpenFault | undefined> {
    const scope = access.condition(this.trx as unknown as Knex, Resource.FAULTS, Action.READ, layerTarget(FAULT_TABLE));
    const qb = this.trx(FAULT_TABLE)
      .where(`${FAULT_TABLE}.asset_id`, assetId)
      .whereNotIn(`${FAULT_TABLE}.state`, ['RESOLVED', 'CLOSED', 'CANCELLED'])
      .first(`${FAULT_TABLE}.id`, scope ? this.trx.raw('coalesce(?, false) AS readable', [scope]) : this.trx.raw('true AS readable'));
    if (exceptId != null) qb.whereNot(`${FAULT_TABLE}.id`, exceptId);
    return qb;
  }

  /** Whether the fault meets the condition of a write `action` for this request (area, directorate). */
  async inScope(access: Access, faultId: number, action: Action.CREATE | Action.UPDATE): Promise<boolean> {
    const scope = access.condition(this.trx as unknown as Knex, Resource.FAULTS, action, layerTarget(FAULT_TABLE));
    const qb = this.trx(FAULT_TABLE).where(`${FAULT_TABLE}.id`, faultId).first('id');
    if (scope) qb.where(scope);
    return (await qb) !== undefined;
  }

  /** The asset's state now (the step then moves it through transitionAsset, which locks it). */
  async assetState(assetId: number): Promise<AssetState | null> {
    return (await this.trx('assets').where({ id: assetId }).first('state'))?.state ?? null;
  }

  /** A user who can take work: undefined when there is none. */
  async user(id: number): Promise<{ fullName: string; active: boolean } | undefined> {
    return this.trx('users').where({ id }).first('full_name as fullName', 'active');
  }

  /** A vendor repair of the fault whose asset has not come back yet. */
  async outstandingRepair(faultId: number): Promise<number | undefined> {
    return (await this.trx('vendor_repairs').where({ fault_id: faultId }).whereNull('returned_on').first('id'))?.id;
  }

  /** A vendor's contract end, or undefined when there is no such vendor. */
  async vendor(id: number): Promise<{ contractEndsOn: string | null } | undefined> {
    return this.trx('vendors').where({ id }).first('contract_ends_on as contractEndsOn');
  }

  /** The warranty end of an asset (the caller has already locked and read it). */
  async warrantyEndsOn(assetId: number): Promise<string | null> {
    return (await this.trx('assets').where({ id: assetId }).first('warranty_ends_on as w'))?.w ?? null;
  }

  async insertVendorRepair(values: Record<string, unknown>): Promise<Snapshot> {
    const columns = Object.keys(values);
    const { rows } = await this.trx.raw(
      `INSERT INTO vendor_repairs (${columns.map(() => '??').join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING to_jsonb(vendor_repairs) AS snapshot`,
      [...columns, ...(Object.values(values) as Knex.Value[])],
    );
    return rows[0].snapshot;
  }

  /** The vendor repair, locked until the transaction ends (its fault is locked separately). */
  async lockVendorRepair(id: number): Promise<{ faultId: number; version: number; snapshot: Snapshot } | undefined> {
    return this.trx('vendor_repairs').where({ id }).forUpdate().first('fault_id as faultId', 'version', this.trx.raw('to_jsonb(vendor_repairs) AS snapshot'));
  }

  /** Sets the values, bumps the version; the row as written. */
  async updateVendorRepair(id: number, values: Record<string, unknown>): Promise<Snapshot> {
    const set = Object.entries(values) as [string, Knex.Value][];
    const { rows } = await this.trx.raw(
      `UPDATE vendor_repairs SET ${set.map(() => '?? = ?').join(', ')}, version = version + 1, updated_at = now() WHERE id = ? RETURNING to_jsonb(vendor_repairs) AS snapshot`,
      [...set.flat(), id],
    );
    return rows[0].snapshot;
  }
}
