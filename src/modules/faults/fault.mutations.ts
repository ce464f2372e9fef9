import { Arg, Ctx, Float, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { faultSteps } from './fault-steps.service';
import { ReportFaultInput, VendorRepairInput } from './fault.inputs';
import { faultService } from './fault.service';
import { Fault, VendorRepairOutcome, WaitReason } from './fault.type';
import { DateScalar } from '../../common/input/date.scalar';

const MANAGED =
  'Needs FAULTS UPDATE on the fault. `version` is the version you read: CONFLICT when it has changed since. NOT_FOUND when you may not read the fault, FORBIDDEN when you may read but not update it, BAD_USER_INPUT naming the allowed states (extensions.allowed) when the step is not allowed from its state. Returns the fault as you then read it.';

/** The fault workflow: each mutation is one step, written with its event, its asset's state and its audit rows in one transaction. */
@Resolver()
export class FaultMutationResolver {
  @Mutation(() => Fault, {
    nullable: true,
    description:
      'Reports a fault on an asset (which becomes FAULTY) or on a place. Needs FAULTS CREATE; the fault belongs to your directorate. NOT_FOUND when you may not read the asset, CONFLICT when it already has an open fault (naming it, in extensions.openFaultId, when you may read it), FORBIDDEN where your grant does not reach.',
  })
  reportFault(@Arg('input', () => ReportFaultInput) input: ReportFaultInput, @Ctx() ctx: Context) {
    return faultService.report(ctx, input);
  }

  @Mutation(() => Fault, { nullable: true, description: `NEW, ASSIGNED (reassigning) or REOPENED → ASSIGNED, to an active user. ${MANAGED}` })
  assignFault(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('assigneeId', () => ID) assigneeId: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return faultSteps.assign(ctx, id, version, assigneeId, note);
  }

  @Mutation(() => Fault, {
    nullable: true,
    description: `ASSIGNED, REOPENED or WAITING_* → IN_PROGRESS; the asset becomes IN_REPAIR. Refused while the asset is at a vendor (use returnFromVendor). ${MANAGED}`,
  })
  startFault(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Arg('note', () => String, { nullable: true }) note: string | null, @Ctx() ctx: Context) {
    return faultSteps.start(ctx, id, version, note);
  }

  @Mutation(() => Fault, {
    nullable: true,
    description: `IN_PROGRESS → WAITING_PARTS or WAITING_VENDOR. With vendorRepair (reason VENDOR) the asset is sent out: a vendor repair is recorded and the asset becomes AT_VENDOR. ${MANAGED}`,
  })
  waitFault(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => WaitReason) reason: WaitReason,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Arg('vendorRepair', () => VendorRepairInput, { nullable: true }) vendorRepair: VendorRepairInput | null,
    @Ctx() ctx: Context,
  ) {
    return faultSteps.wait(ctx, id, version, reason, note, vendorRepair);
  }

  @Mutation(() => Fault, {
    nullable: true,
    description: `The asset is back from the vendor: the repair gets its return date, outcome and cost; the fault goes WAITING_VENDOR → IN_PROGRESS and the asset AT_VENDOR → IN_REPAIR. \`version\` is the vendor repair's. Needs FAULTS UPDATE on its fault.`,
  })
  returnFromVendor(
    @Arg('repairId', () => ID) repairId: string,
    @Arg('version', () => Int) version: number,
    @Arg('returnedOn', () => DateScalar) returnedOn: string,
    @Arg('outcome', () => VendorRepairOutcome) outcome: VendorRepairOutcome,
    @Arg('costTry', () => Float, { nullable: true, description: 'What it cost, in Turkish lira.' }) costTry: number | null,
    @Arg('notes', () => String, { nullable: true }) notes: string | null,
    @Ctx() ctx: Context,
  ) {
    return faultSteps.returnFromVendor(ctx, repairId, version, { returnedOn, outcome, costTry, notes });
  }

  @Mutation(() => Fault, {
    nullable: true,
    description: `IN_PROGRESS → RESOLVED, with the cause found and what was done (both required); the asset returns to the state the report found it in (IN_USE if that was a fault's). ${MANAGED}`,
  })
  resolveFault(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('cause', () => String) cause: string,
    @Arg('resolution', () => String) resolution: string,
    @Ctx() ctx: Context,
  ) {
    return faultSteps.resolve(ctx, id, version, cause, resolution);
  }

  @Mutation(() => Fault, { nullable: true, description: `RESOLVED → CLOSED. ${MANAGED}` })
  closeFault(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Arg('note', () => String, { nullable: true }) note: string | null, @Ctx() ctx: Context) {
    return faultSteps.close(ctx, id, version, note);
  }

  @Mutation(() => Fault, {
    nullable: true,
    description:
      'RESOLVED or CLOSED → REOPENED, saying why (note); the asset becomes FAULTY again. Needs FAULTS UPDATE on the fault, or FAULTS CREATE reaching it (the reporting directorate). CONFLICT when the asset has another open fault (named in extensions.openFaultId when you may read it); otherwise as the other steps.',
  })
  reopenFault(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Arg('note', () => String) note: string, @Ctx() ctx: Context) {
    return faultSteps.reopen(ctx, id, version, note);
  }

  @Mutation(() => Fault, { nullable: true, description: `NEW, ASSIGNED or REOPENED → CANCELLED, saying why (note); the asset returns to the state the report found it in. ${MANAGED}` })
  cancelFault(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Arg('note', () => String) note: string, @Ctx() ctx: Context) {
    return faultSteps.cancel(ctx, id, version, note);
  }
}
