import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';
import { DateScalar } from '../../common/input/date.scalar';

export enum AssetType {
  COMPUTER = 'COMPUTER',
  LAPTOP = 'LAPTOP',
  PRINTER = 'PRINTER',
  SCANNER = 'SCANNER',
  MONITOR = 'MONITOR',
  UPS = 'UPS',
  SWITCH = 'SWITCH',
  ROUTER = 'ROUTER',
  FIREWALL = 'FIREWALL',
  SERVER = 'SERVER',
  MODEM = 'MODEM',
  PHONE = 'PHONE',
  PBX = 'PBX',
  CAMERA = 'CAMERA',
  NVR = 'NVR',
  /** A fibre splice box (ek kutusu) at a splice point of the network. */
  SPLICE_BOX = 'SPLICE_BOX',
  /** A leased line's circuit (kiralık devre), whose serial number is the provider's circuit id. */
  LEASED_LINE = 'LEASED_LINE',
  OTHER = 'OTHER',
}

export enum AssetState {
  IN_STOCK = 'IN_STOCK',
  IN_USE = 'IN_USE',
  FAULTY = 'FAULTY',
  IN_REPAIR = 'IN_REPAIR',
  AT_VENDOR = 'AT_VENDOR',
  PENDING_DISPOSAL = 'PENDING_DISPOSAL',
  DISPOSED = 'DISPOSED',
  LOST = 'LOST',
}

registerEnumType(AssetType, {
  name: 'AssetType',
  description: 'Kind of IT asset.',
  valuesConfig: {
    SPLICE_BOX: { description: 'A fibre splice box (ek kutusu) at a splice point of the network.' },
    LEASED_LINE: { description: "A leased line's circuit (kiralık devre); its serial number is the provider's circuit id." },
  },
});
registerEnumType(AssetState, {
  name: 'AssetState',
  description:
    'Lifecycle state. FAULTY, IN_REPAIR and AT_VENDOR follow the asset\'s fault; PENDING_DISPOSAL and DISPOSED its disposal; the rest change with changeAssetState.',
});

@ObjectType({ implements: LayerFeature, description: 'An IT asset (demirbaş) of the inventory, placed on the map.', simpleResolvers: true })
export class Asset extends LayerFeature {
  @Field(() => String, { description: 'Inventory (demirbaş) number, unique.' })
  inventoryNo!: string;

  @Field(() => String, { description: 'Serial number, unique.' })
  serialNo!: string;

  @Field(() => AssetType)
  type!: AssetType;

  @Field(() => String, { nullable: true })
  make!: string | null;

  @Field(() => String, { nullable: true })
  model!: string | null;

  @Field(() => AssetState)
  state!: AssetState;

  @Field(() => String, { nullable: true, description: 'Building, floor, room or pole, in words.' })
  site!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Purchase date.' })
  purchasedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'End of the warranty.' })
  warrantyEndsOn!: string | null;

  @Field(() => String, { nullable: true, description: 'IP address, for networked assets.' })
  ipAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'MAC address, for networked assets.' })
  macAddress!: string | null;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  remoteUnitId!: number | null;
  cameraId!: number | null;
  vendorId!: number | null;
}

export const { ConnectionType: AssetConnection } = connectionTypes(Asset, 'Asset', { history: true });

@InputType({ description: 'Conditions on assets; all that are given must hold. Disposed assets are left out unless asked for.' })
export class AssetFilter {
  @Field(() => String, { nullable: true, description: 'Inventory number, exactly.' })
  inventoryNo?: string | null;

  @Field(() => String, { nullable: true, description: 'Serial number, exactly.' })
  serialNo?: string | null;

  @Field(() => [AssetType], { nullable: true, description: 'Any of these types.' })
  type?: AssetType[] | null;

  @Field(() => [AssetState], { nullable: true, description: 'Any of these states (DISPOSED included only when named here).' })
  state?: AssetState[] | null;

  @Field(() => ID, { nullable: true, description: 'Owned by this directorate or unit (or a unit under it).' })
  ownerOrgUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'At this remote unit.' })
  remoteUnitId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Warranty ending before this date.' })
  warrantyEndsBefore?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the make, model, inventory or serial number, matched the Turkish way.' })
  search?: string | null;
}

@ObjectType({ description: 'How many assets fall in one group.', simpleResolvers: true })
export class AssetGroupCount {
  @Field(() => String, { description: 'The group: a state, a type, a directorate code, or a neighbourhood id.' })
  key!: string;

  @Field(() => Int)
  count!: number;
}

export enum AssetGrouping {
  STATE = 'STATE',
  TYPE = 'TYPE',
  OWNER = 'OWNER',
  NEIGHBOURHOOD = 'NEIGHBOURHOOD',
}
registerEnumType(AssetGrouping, { name: 'AssetGrouping', description: 'What assetCounts groups by.' });
