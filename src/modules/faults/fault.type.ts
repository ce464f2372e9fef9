import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';
import { AssetType } from '../assets';
import { DateScalar } from '../../common/input/date.scalar';

export enum FaultState {
  NEW = 'NEW',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  WAITING_PARTS = 'WAITING_PARTS',
  WAITING_VENDOR = 'WAITING_VENDOR',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  REOPENED = 'REOPENED',
  CANCELLED = 'CANCELLED',
}

export enum FaultCategory {
  HARDWARE = 'HARDWARE',
  SOFTWARE = 'SOFTWARE',
  NETWORK = 'NETWORK',
  POWER = 'POWER',
  PERIPHERAL = 'PERIPHERAL',
  ACCOUNT = 'ACCOUNT',
  OTHER = 'OTHER',
}

export enum FaultPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

export enum WaitReason {
  PARTS = 'PARTS',
  VENDOR = 'VENDOR',
}

export enum VendorRepairBasis {
  WARRANTY = 'WARRANTY',
  MAINTENANCE_CONTRACT = 'MAINTENANCE_CONTRACT',
  PAID = 'PAID',
}

export enum VendorRepairOutcome {
  REPAIRED = 'REPAIRED',
  REPLACED = 'REPLACED',
  NOT_REPAIRABLE = 'NOT_REPAIRABLE',
}

export enum FaultOrder {
  ID = 'ID',
  PRIORITY_AND_AGE = 'PRIORITY_AND_AGE',
  IMPACT = 'IMPACT',
}

export enum FaultGrouping {
  NEIGHBOURHOOD = 'NEIGHBOURHOOD',
  ASSET_TYPE = 'ASSET_TYPE',
  MONTH = 'MONTH',
  ORG_UNIT = 'ORG_UNIT',
}

registerEnumType(FaultState, {
  name: 'FaultState',
  description:
    'Where a fault is in its workflow: NEW → ASSIGNED → IN_PROGRESS ⇄ WAITING_PARTS / WAITING_VENDOR, IN_PROGRESS → RESOLVED → CLOSED; RESOLVED or CLOSED → REOPENED → ASSIGNED or IN_PROGRESS; NEW, ASSIGNED or REOPENED → CANCELLED.',
});
registerEnumType(FaultCategory, { name: 'FaultCategory', description: 'What kind of fault it is.' });
registerEnumType(FaultPriority, { name: 'FaultPriority', description: 'How urgent: URGENT first in PRIORITY_AND_AGE order.' });
registerEnumType(WaitReason, { name: 'WaitReason', description: 'What a fault waits for: spare parts, or a vendor.' });
registerEnumType(VendorRepairBasis, { name: 'VendorRepairBasis', description: 'Why the vendor repairs the asset: under warranty, under a maintenance contract, or paid.' });
registerEnumType(VendorRepairOutcome, { name: 'VendorRepairOutcome', description: 'What the vendor did.' });
registerEnumType(FaultOrder, {
  name: 'FaultOrder',
  description:
    'ID: by id; PRIORITY_AND_AGE: most urgent first, then oldest first; IMPACT: the open faults of network elements that cut off the most remote units, then the most cameras, first (see Fault.impact; needs a READ grant on network lines), then the rest, each by priority and age.',
});
registerEnumType(FaultGrouping, {
  name: 'FaultGrouping',
  description: 'What faultFigures groups by: neighbourhood (where the fault is), asset type, month reported (Europe/Istanbul), or reporting directorate.',
});

@ObjectType({ implements: LayerFeature, description: 'A fault (arıza) reported on an asset, or on a place when the asset is unknown.', simpleResolvers: true })
export class Fault extends LayerFeature {
  @Field(() => FaultState)
  state!: FaultState;

  @Field(() => FaultCategory)
  category!: FaultCategory;

  @Field(() => FaultPriority)
  priority!: FaultPriority;

  @Field(() => String, { description: 'What the reporter saw.' })
  description!: string;

  @Field(() => String, { nullable: true, description: 'The cause found by the last resolution.' })
  cause!: string | null;

  @Field(() => String, { nullable: true, description: 'What the last resolution did.' })
  resolution!: string | null;

  @Field(() => String, { nullable: true, description: 'Full name of the person who reported it.' })
  reporterName!: string | null;

  @Field(() => String, { nullable: true, description: 'Full name of the person it is assigned to.' })
  assigneeName!: string | null;

  @Field(() => Date)
  reportedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last assigned.' })
  assignedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When work on it first started.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was resolved; cleared when it is reopened.' })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed; cleared when it is reopened.' })
  closedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  cancelledAt!: Date | null;

  @Field(() => Int, { description: 'How many times it was reopened.' })
  reopenCount!: number;

  @Field(() => Float, { description: 'Days it has been open: from reporting to now, or to its resolution or cancellation.' })
  ageDays!: number;

  @Field(() => Float, { nullable: true, description: 'Hours from reporting to resolution; null while unresolved.' })
  resolveHours!: number | null;

  assetId!: number | null;
  reportedById!: number | null;
  assigneeId!: number | null;
  assetStateBefore!: string | null;
}

export const { ConnectionType: FaultConnection } = connectionTypes(Fault, 'Fault');

@ObjectType({ description: 'One step of a fault: when, who, from which state to which, and why.', simpleResolvers: true })
export class FaultEvent {
  @Field(() => ID)
  id!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => FaultState, { nullable: true, description: 'Null for the report itself.' })
  fromState!: FaultState | null;

  @Field(() => FaultState)
  toState!: FaultState;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'Full name of who took the step.' })
  actorName!: string | null;

  faultId!: number;
  actorId!: number | null;
}

@ObjectType({ description: 'An asset sent out to a vendor (RMA) for a fault: under warranty, a maintenance contract, or paid.', simpleResolvers: true })
export class VendorRepair {
  @Field(() => ID)
  id!: number;

  @Field(() => Int, { description: 'Row version, for returnFromVendor.' })
  version!: number;

  @Field(() => VendorRepairBasis)
  basis!: VendorRepairBasis;

  @Field(() => DateScalar)
  sentOn!: string;

  @Field(() => DateScalar, { nullable: true })
  expectedBackOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Null while at the vendor.' })
  returnedOn!: string | null;

  @Field(() => VendorRepairOutcome, { nullable: true })
  outcome!: VendorRepairOutcome | null;

  @Field(() => Float, { nullable: true, description: 'What it cost, in Turkish lira.' })
  costTry!: number | null;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  faultId!: number;
  assetId!: number;
  vendorId!: number;
}

@InputType({ description: 'Conditions on faults; all that are given must hold.' })
export class FaultFilter {
  @Field(() => [FaultState], { nullable: true, description: 'In any of these states.' })
  state?: FaultState[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: not resolved, closed or cancelled; false: one of those.' })
  open?: boolean | null;

  @Field(() => [FaultPriority], { nullable: true })
  priority?: FaultPriority[] | null;

  @Field(() => [FaultCategory], { nullable: true })
  category?: FaultCategory[] | null;

  @Field(() => ID, { nullable: true, description: 'Reported by this directorate or unit (or a unit under it).' })
  ownerOrgUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Assigned to this user.' })
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true, description: 'On this asset.' })
  assetId?: string | null;

  @Field(() => [AssetType], { nullable: true, description: 'On an asset of any of these types.' })
  assetType?: AssetType[] | null;

  @Field(() => Date, { nullable: true, description: 'Reported at or after this time.' })
  reportedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Reported before this time.' })
  reportedBefore?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Reported more than this many days ago (0 to 36500).' })
  olderThanDays?: number | null;

  @Field(() => String, { nullable: true, description: 'Part of the description, matched the Turkish way.' })
  search?: string | null;
}

@ObjectType({ description: 'Fault figures of one group.', simpleResolvers: true })
export class FaultFigure {
  @Field(() => String, { description: 'The group: a neighbourhood id, an asset type (NONE: reported on a place), a month (YYYY-MM), or a directorate code.' })
  key!: string;

  @Field(() => String, { description: 'The group in words.' })
  label!: string;

  @Field(() => Int, { description: 'Faults reported.' })
  count!: number;

  @Field(() => Int, { description: 'Of them, still open.' })
  open!: number;

  @Field(() => Int, { description: 'Of them, resolved or closed.' })
  resolved!: number;

  @Field(() => Float, { nullable: true, description: 'Median hours from reporting to resolution of the resolved ones; null when none is.' })
  medianHoursToResolve!: number | null;
}
