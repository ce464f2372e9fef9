import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { AssetState, transitionAsset } from '../assets';
import { recordAudit } from '../audit';
import { FAULT_ASSET_STATES } from './fault-states';
import { lockFault, openFaultConflict, optionalText, reloadFault, requiredText, restore, runStep, underDisposal, whileFaulty } from './fault-workflow.service';
import { FaultRepository } from './fault.repository';
import { FaultState, VendorRepairBasis, WaitReason, type Fault, type VendorRepairOutcome } from './fault.type';
import type { VendorRepairInput } from './fault.inputs';

const S = FaultState;
/**
 * The management steps (FAULTS UPDATE on the fault: the IT directorate's role) and the
 * reporter's reopen. Each is one runStep: see there for the order of checks and writes.
 */
export const faultSteps = {
  assign(ctx: Context, id: string, version: number, assigneeArg: string, note?: string | null): Promise<Fault | null> {
    const assigneeId = parseId(assigneeArg, 'assigneeId');
    return runStep(ctx, id, version, {
      to: S.ASSIGNED,
      who: 'MANAGE',
      note: optionalText(note, 'note'),
      async check(_fault, edit) {
        const user = await edit.user(assigneeId);
        if (!user) throw badInput(`assigneeId: user ${assigneeId} does not exist`);
        if (!user.active) throw badInput(`assigneeId: ${user.fullName}'s account is deactivated`);
      },
      values: () => ({ assignee_id: assigneeId, assigned_at: ctx.db.raw('now()') }),
    });
  },

  start(ctx: Context, id: string, version: number, note?: string | null): Promise<Fault | null> {
    return runStep(ctx, id, version, {
      to: S.IN_PROGRESS,
      who: 'MANAGE',
      note: optionalText(note, 'note'),
      async check(fault, edit) {
        const away = await edit.outstandingRepair(fault.id as number);
        if (away) {
          throw badInput(`the asset is at the vendor (vendor repair ${away}): record its return with returnFromVendor instead`, { vendorRepairId: String(away) });
        }
      },
      values: (fault) => ({
        started_at: ctx.db.raw('coalesce(started_at, now())'),
        assignee_id: fault.assignee_id ?? ctx.identity?.userId ?? null,
      }),
      asset: whileFaulty(AssetState.IN_REPAIR),
    });
  },

  wait(ctx: Context, id: string, version: number, reason: WaitReason, note?: string | null, repair?: VendorRepairInput | null): Promise<Fault | null> {
    if (repair && reason !== WaitReason.VENDOR) throw badInput('vendorRepair is given only when the reason is VENDOR');
    const r = repair && {
      vendorId: parseId(repair.vendorId, 'vendorRepair.vendorId'),
      basis: repair.basis,
      sentOn: repair.sentOn,
      expectedBackOn: repair.expectedBackOn ?? null,
      notes: optionalText(repair.notes, 'vendorRepair.notes'),
    };
    if (r?.expectedBackOn && r.expectedBackOn < r.sentOn) throw badInput('vendorRepair.expectedBackOn is before vendorRepair.sentOn');
    return runStep(ctx, id, version, {
      to: reason === WaitReason.PARTS ? S.WAITING_PARTS : S.WAITING_VENDOR,
      who: 'MANAGE',
      note: optionalText(note, 'note'),
      async check(fault, edit) {
        if (!r) return;
        if (fault.asset_id == null) throw badInput('vendorRepair: this fault was reported on a place, not on an asset; there is nothing to send out');
        const vendor = await edit.vendor(r.vendorId);
        if (!vendor) throw badInput(`vendorRepair.vendorId: vendor ${r.vendorId} does not exist`);
        if (r.basis === VendorRepairBasis.MAINTENANCE_CONTRACT && !(vendor.contractEndsOn && vendor.contractEndsOn >= r.sentOn)) {
          throw badInput(`vendorRepair.basis: the vendor has no maintenance contract in force on ${r.sentOn}`);
        }
        if (r.basis === VendorRepairBasis.WARRANTY) {
          const ends = await edit.warrantyEndsOn(fault.asset_id as number);
          if (!(ends && ends >= r.sentOn)) throw badInput(`vendorRepair.basis: the asset's warranty ${ends ? `ended on ${ends}` : 'is not recorded'}`);
        }
      },
      also: async (fault, edit) =>
        r
          ? edit.insertVendorRepair({
              fault_id: fault.id,
              asset_id: fault.asset_id,
              vendor_id: r.vendorId,
              basis: r.basis,
              sent_on: r.sentOn,
              expected_back_on: r.expectedBackOn,
              notes: r.notes,
            })
          : undefined,
      asset: r ? whileFaulty(AssetState.AT_VENDOR) : undefined,
    });
  },

  resolve(ctx: Context, id: string, version: number, cause: string, resolution: string): Promise<Fault | null> {
    const values = { cause: requiredText(cause, 'cause'), resolution: requiredText(resolution, 'resolution') };
    return runStep(ctx, id, version, {
      to: S.RESOLVED,
      who: 'MANAGE',
      values: () => ({ ...values, resolved_at: ctx.db.raw('now()') }),
      asset: restore,
    });
  },

  close(ctx: Context, id: string, version: number, note?: string | null): Promise<Fault | null> {
    return runStep(ctx, id, version, { to: S.CLOSED, who: 'MANAGE', note: optionalText(note, 'note'), values: () => ({ closed_at: ctx.db.raw('now()') }) });
  },

  reopen(ctx: Context, id: string, version: number, note: string): Promise<Fault | null> {
    return runStep(ctx, id, version, {
      to: S.REOPENED,
      who: 'REOPEN',
      note: requiredText(note, 'note'),
      async check(fault, edit) {
        if (fault.asset_id == null) return;
        if ((await edit.assetState(fault.asset_id as number)) === AssetState.PENDING_DISPOSAL) throw underDisposal(fault.asset_id as number);
        const open = await edit.openFaultOf(ctx.access, fault.asset_id as number, fault.id as number);
        if (open) throw openFaultConflict(open, 'the asset has another open fault', 'work on that one instead');
      },
      values: (fault, asset) => ({
        reopen_count: ctx.db.raw('reopen_count + 1'),
        resolved_at: null,
        closed_at: null,
        // The state this reopening interrupts, restored when it is resolved again.
        asset_state_before: asset && !FAULT_ASSET_STATES.includes(asset) ? asset : fault.asset_state_before,
      }),
      asset: () => AssetState.FAULTY,
    });
  },

  cancel(ctx: Context, id: string, version: number, note: string): Promise<Fault | null> {
    return runStep(ctx, id, version, {
      to: S.CANCELLED,
      who: 'MANAGE',
      note: requiredText(note, 'note'),
      values: () => ({ cancelled_at: ctx.db.raw('now()') }),
      asset: restore,
    });
  },

  /**
   * The asset is back from the vendor: the repair gets its return date, outcome and cost, the
   * fault goes from WAITING_VENDOR back to IN_PROGRESS and the asset from AT_VENDOR to IN_REPAIR,
   * in one transaction with one event and one audit row for the fault.
   */
  async returnFromVendor(
    ctx: Context,
    repairArg: string,
    version: number,
    input: { returnedOn: string; outcome: VendorRepairOutcome; costTry?: number | null; notes?: string | null },
  ): Promise<Fault | null> {
    const repairId = parseId(repairArg, 'repairId');
    const { returnedOn } = input;
    if (input.costTry != null && !(input.costTry >= 0 && input.costTry < 1e10)) throw badInput(`costTry must be zero or more, got ${input.costTry}`);
    const notes = optionalText(input.notes, 'notes');
    ctx.access.require(Resource.FAULTS, Action.UPDATE, 'faults');
    return ctx.db.transaction(async (trx) => {
      // A repair of a fault the request may not read does not exist for it.
      const visible = await new FaultRepository(trx, ctx.access).vendorRepair(repairId);
      if (!visible) throw notFound('vendor repair', repairId);
      const { edit, faults, current } = await lockFault(trx, ctx, visible.faultId, null, 'MANAGE');
      const repair = (await faults.lockVendorRepair(repairId))!;
      if (repair.version !== version) {
        throw new AppError('CONFLICT', `vendor repair ${repairId} has changed since you read it: it is at version ${repair.version}, not ${version}; read it again`, {
          currentVersion: repair.version,
        });
      }
      const sent = repair.snapshot as { sent_on: string; returned_on: string | null; asset_id: number };
      if (sent.returned_on) throw badInput(`vendor repair ${repairId} was already returned on ${sent.returned_on}`);
      if (returnedOn < sent.sent_on) throw badInput(`returnedOn (${returnedOn}) is before the asset was sent out (${sent.sent_on})`);
      const from = current.before.state as FaultState;
      checkReturn(from);
      const after = await faults.updateVendorRepair(repairId, { returned_on: returnedOn, outcome: input.outcome, cost_try: input.costTry ?? null, notes: notes ?? repair.snapshot.notes });
      const written = await edit.update(visible.faultId, { state: S.IN_PROGRESS }, null);
      await faults.insertEvent({ faultId: visible.faultId, actorId: ctx.identity?.userId ?? null, from, to: S.IN_PROGRESS, note: `back from the vendor: ${input.outcome}` });
      if ((await faults.assetState(sent.asset_id)) === AssetState.AT_VENDOR) await transitionAsset(trx, ctx, sent.asset_id, AssetState.IN_REPAIR, 'FAULT');
      await recordAudit(trx, ctx, {
        entity: Resource.FAULTS,
        entityId: visible.faultId,
        action: Action.UPDATE,
        before: { ...current.before, vendor_repair: repair.snapshot },
        after: { ...written.after, vendor_repair: after },
        geometries: [written.geom],
      });
      return reloadFault(ctx, trx, visible.faultId);
    });
  },
};

function checkReturn(from: FaultState): void {
  if (from !== S.WAITING_VENDOR) {
    throw badInput(`a fault that is ${from} is not waiting for a vendor; returnFromVendor needs WAITING_VENDOR`, { allowed: [] });
  }
}
