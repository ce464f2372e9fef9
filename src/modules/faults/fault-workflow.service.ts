import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { LayerEditRepository, type Snapshot } from '../../geo/layer-edit.repository';
import { AssetState, transitionAsset } from '../assets';
import { recordAudit } from '../audit';
import { FaultEditRepository, type OpenFault } from './fault-edit.repository';
import { checkFaultTransition, FAULT_ASSET_STATES, restoredAssetState } from './fault-states';
import { faultLayer, FaultRepository } from './fault.repository';
import { FaultState, type Fault } from './fault.type';

/** Who may take a step: MANAGE needs FAULTS UPDATE on the fault; REOPEN also what FAULTS CREATE covers. */
export type StepAuthority = 'MANAGE' | 'REOPEN';

/** What a step does besides moving the fault to `to` and recording its event. */
export interface StepSpec {
  to: FaultState;
  who: StepAuthority;
  note?: string | null;
  /** Checks on the locked fault before anything is written. */
  check?(fault: Snapshot, edit: FaultEditRepository): Promise<void>;
  /** Columns to set besides the state (and version). */
  values?(fault: Snapshot, asset: AssetState | null): Record<string, unknown>;
  /** Where the asset goes, given where it is; null: it stays. */
  asset?(fault: Snapshot, asset: AssetState): AssetState | null;
  /** Further writes after the fault's (a vendor repair); what they return joins the audit row's `after`. */
  also?(fault: Snapshot, edit: FaultEditRepository, trx: Knex.Transaction): Promise<Snapshot | void>;
}

export const MAX_TEXT = 2000;

/** A required text argument: trimmed, not empty, at most MAX_TEXT characters. */
export function requiredText(value: string | null | undefined, argument: string): string {
  const text = value?.trim() ?? '';
  if (!text) throw badInput(`${argument} is required and must not be empty`);
  if (text.length > MAX_TEXT) throw badInput(`${argument} may be at most ${MAX_TEXT} characters`);
  return text;
}

export function optionalText(value: string | null | undefined, argument: string): string | null {
  return value == null || !value.trim() ? null : requiredText(value, argument);
}

/** The coarse check before a step's transaction: FORBIDDEN (UNAUTHENTICATED when anonymous) without any grant for it. */
export function requireAuthority(ctx: Context, who: StepAuthority): void {
  if (who === 'REOPEN' && ctx.access.can(Resource.FAULTS, Action.CREATE)) return;
  ctx.access.require(Resource.FAULTS, Action.UPDATE, 'faults');
}

/**
 * The fault locked within the request's read scope (NOT_FOUND), with the authority for the step
 * on this row (FORBIDDEN), at the version the client read (CONFLICT; null: any version).
 */
export async function lockFault(trx: Knex.Transaction, ctx: Context, id: number, version: number | null, who: StepAuthority, what = `fault ${id}`) {
  const edit = new LayerEditRepository(trx, faultLayer(ctx.db), ctx.access);
  const faults = new FaultEditRepository(trx);
  const current = await edit.lock(id, Action.UPDATE);
  if (!current) throw notFound('fault', id);
  if (!current.allowed && !(who === 'REOPEN' && (await faults.inScope(ctx.access, id, Action.CREATE)))) {
    throw forbidden(
      who === 'REOPEN'
        ? `you may not reopen ${what}: it is outside the area or directorate where you may report or update faults`
        : `you may not manage ${what}: it is outside the area or directorate where you may update faults`,
    );
  }
  if (version !== null && current.version !== version) {
    throw new AppError('CONFLICT', `${what} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
      currentVersion: current.version,
    });
  }
  return { edit, faults, current };
}

/**
 * One step of a fault, in one transaction: lock (NOT_FOUND, FORBIDDEN, CONFLICT), the transition
 * checked (BAD_USER_INPUT naming the allowed ones), the fault written with its step's timestamp,
 * its event, the step's own writes, the asset moved in lockstep (with its own audit row), and the
 * fault's audit row. Any refusal or failure rolls all of it back.
 */
export async function runStep(ctx: Context, idArg: string, version: number, spec: StepSpec): Promise<Fault | null> {
  const id = parseId(idArg, 'id');
  requireAuthority(ctx, spec.who);
  return ctx.db.transaction(async (trx) => {
    const { edit, faults, current } = await lockFault(trx, ctx, id, version, spec.who);
    const fault = current.before;
    const from = fault.state as FaultState;
    checkFaultTransition(from, spec.to);
    await spec.check?.(fault, faults);
    const assetId = fault.asset_id as number | null;
    const assetNow = assetId == null ? null : await faults.assetState(assetId);
    const written = await edit.update(id, { state: spec.to, ...spec.values?.(fault, assetNow) }, null);
    await faults.insertEvent({ faultId: id, actorId: ctx.identity?.userId ?? null, from, to: spec.to, note: spec.note ?? null });
    const extra = await spec.also?.(fault, faults, trx);
    const assetTo = assetId != null && assetNow != null ? spec.asset?.(fault, assetNow) : null;
    if (assetId != null && assetTo && assetTo !== assetNow) await transitionAsset(trx, ctx, assetId, assetTo, 'FAULT');
    await recordAudit(trx, ctx, {
      entity: Resource.FAULTS,
      entityId: id,
      action: Action.UPDATE,
      before: fault,
      after: extra ? { ...written.after, vendor_repair: extra } : written.after,
      geometries: [written.geom],
    });
    return reloadFault(ctx, trx, id);
  });
}

/**
 * The fault as the writer now reads it (null when the writer may not read it), in the write's
 * transaction: a committed write always gets its answer, even if the database goes away after.
 */
export async function reloadFault(ctx: Context, trx: Knex.Transaction, id: number): Promise<Fault | null> {
  const [row] = await new FaultRepository(trx, ctx.access).byIds([id]);
  return row ?? null;
}

/** While its fault is open, the asset follows it; once it is no longer in a fault's state, another workflow has it. */
export const whileFaulty = (to: AssetState) => (_fault: Snapshot, asset: AssetState) => (FAULT_ASSET_STATES.includes(asset) ? to : null);

/** An asset proposed for disposal follows its disposal: a fault may not take it back. */
/**
 * CONFLICT: the asset already has an open fault. It names that fault (in the message and as
 * extensions.openFaultId) only to a request that may read it; to any other it says no more than
 * that there is one.
 */
export function openFaultConflict(open: OpenFault, already: string, instead: string): AppError {
  if (!open.readable) return new AppError('CONFLICT', `${already}; you may not read it, so it is not named here`);
  return new AppError('CONFLICT', `${already}, ${open.id}: ${instead}`, { openFaultId: String(open.id) });
}

export const underDisposal = (assetId: number) =>
  badInput(`asset ${assetId} is PENDING_DISPOSAL: its disposal decides what becomes of it (a rejected proposal returns it to service)`);

/** Back where the report found it, unless another workflow (a disposal) has taken it since. */
export const restore = (fault: Snapshot, asset: AssetState) =>
  FAULT_ASSET_STATES.includes(asset) ? restoredAssetState(fault.asset_state_before as string | null) : null;

