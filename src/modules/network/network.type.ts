import { Field, Float, InputType, Int, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';
import { RemoteUnit } from '../remote-units';

export enum NetworkMedium {
  FIBER = 'FIBER',
  COPPER = 'COPPER',
  RADIO_LINK = 'RADIO_LINK',
  XDSL = 'XDSL',
  MPLS = 'MPLS',
  LTE = 'LTE',
}
export enum NetworkStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  OFFLINE = 'OFFLINE',
  DECOMMISSIONED = 'DECOMMISSIONED',
}
export enum NetworkNodeKind {
  CENTRAL_DATA_ROOM = 'CENTRAL_DATA_ROOM',
  CABINET = 'CABINET',
  SWITCH = 'SWITCH',
  SPLICE_POINT = 'SPLICE_POINT',
}
registerEnumType(NetworkMedium, { name: 'NetworkMedium', description: 'What a network line runs over.' });
registerEnumType(NetworkStatus, { name: 'NetworkStatus' });
registerEnumType(NetworkNodeKind, { name: 'NetworkNodeKind' });

@ObjectType({ implements: LayerFeature, description: 'A network node: the central data room, a cabinet, a switch or a splice point (point layer).', simpleResolvers: true })
export class NetworkNode extends LayerFeature {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => NetworkNodeKind)
  kind!: NetworkNodeKind;

  @Field(() => NetworkStatus)
  status!: NetworkStatus;

  /** The equipment's asset (see `asset`). */
  assetId!: number | null;

}

@ObjectType({ implements: LayerFeature, description: 'A network line: the route (a LineString) of a link between two ends (line layer).', simpleResolvers: true })
export class NetworkLine extends LayerFeature {
  @Field(() => String, { description: 'e.g. HAT-012.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => NetworkMedium)
  medium!: NetworkMedium;

  @Field(() => String, { nullable: true })
  provider!: string | null;

  @Field(() => String, { nullable: true, description: "The provider's circuit id." })
  circuitId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Capacity in Mbit/s.' })
  capacityMbps!: number | null;

  @Field(() => NetworkStatus)
  status!: NetworkStatus;

  @Field(() => Float, { description: 'Length of the route in metres, measured on the ellipsoid.' })
  lengthMeters!: number;

  aNodeId!: number | null;
  aRemoteUnitId!: number | null;
  /** The leased circuit's asset (see `asset`). */
  assetId!: number | null;
  zNodeId!: number | null;
  zRemoteUnitId!: number | null;
}

export const NetworkEnd = createUnionType({
  name: 'NetworkEnd',
  description: 'An end of a network line: a network node or a remote unit.',
  types: () => [NetworkNode, RemoteUnit] as const,
  resolveType: (value) => ('orgUnitId' in value ? RemoteUnit : NetworkNode),
});

export const { EdgeType: NetworkNodeEdge, ConnectionType: NetworkNodeConnection } = connectionTypes(NetworkNode, 'NetworkNode', { history: true });
export const { EdgeType: NetworkLineEdge, ConnectionType: NetworkLineConnection } = connectionTypes(NetworkLine, 'NetworkLine', { history: true });

@InputType({ description: 'Attribute conditions on network nodes; all that are given must hold.' })
export class NetworkNodeFilter {
  @Field(() => [NetworkNodeKind], { nullable: true })
  kind?: NetworkNodeKind[] | null;

  @Field(() => [NetworkStatus], { nullable: true })
  status?: NetworkStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or code, matched the Turkish way.' })
  search?: string | null;
}

@InputType({ description: 'Attribute conditions on network lines; all that are given must hold.' })
export class NetworkLineFilter {
  @Field(() => [NetworkMedium], { nullable: true })
  medium?: NetworkMedium[] | null;

  @Field(() => [NetworkStatus], { nullable: true })
  status?: NetworkStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Provider, matched the Turkish way.' })
  provider?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, code or circuit id, matched the Turkish way.' })
  search?: string | null;
}
