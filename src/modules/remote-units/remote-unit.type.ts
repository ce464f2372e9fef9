import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';

export enum RemoteUnitStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  OFFLINE = 'OFFLINE',
  CLOSED = 'CLOSED',
}
registerEnumType(RemoteUnitStatus, { name: 'RemoteUnitStatus' });

@ObjectType({ description: 'Postal address of a remote unit.', simpleResolvers: true })
export class Address {
  @Field(() => String, { nullable: true, description: 'Mahalle as written in the address.' })
  mahalle!: string | null;

  @Field(() => String, { nullable: true })
  street!: string | null;

  @Field(() => String, { nullable: true, description: 'Door number (kapı no).' })
  doorNo!: string | null;
}

@ObjectType({ description: "A remote unit's internet subscription.", simpleResolvers: true })
export class InternetSubscription {
  @Field(() => String, { nullable: true, description: 'Internet service provider.' })
  provider!: string | null;

  @Field(() => String, { nullable: true, description: 'Kind of line: FIBER, XDSL, LTE, ...' })
  line!: string | null;

  @Field(() => Int, { nullable: true, description: 'Bandwidth in Mbit/s.' })
  bandwidthMbps!: number | null;
}

@ObjectType({ implements: LayerFeature,
  description: 'A remote unit (uzak birim): a branch office or service point away from the centre (point layer).',
  simpleResolvers: true,
})
export class RemoteUnit extends LayerFeature {
  @Field(() => String, { description: 'e.g. UB-07.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RemoteUnitStatus)
  status!: RemoteUnitStatus;

  orgUnitId!: number;
  addressMahalle!: string | null;
  addressStreet!: string | null;
  addressDoorNo!: string | null;
  isp!: string | null;
  internetLine!: string | null;
  bandwidthMbps!: number | null;
}

export const { EdgeType: RemoteUnitEdge, ConnectionType: RemoteUnitConnection } = connectionTypes(RemoteUnit, 'RemoteUnit', { history: true });

@InputType({ description: 'Attribute conditions on remote units; all that are given must hold.' })
export class RemoteUnitFilter {
  @Field(() => [RemoteUnitStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: RemoteUnitStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Code of the directorate the unit belongs to, e.g. ZAB.' })
  orgUnit?: string | null;

  @Field(() => String, { nullable: true, description: 'Internet service provider, matched the Turkish way.' })
  isp?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Part of the name, code or address, matched ignoring case, Turkish dotted/dotless i and diacritics.',
  })
  search?: string | null;
}
