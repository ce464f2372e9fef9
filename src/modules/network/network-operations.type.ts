import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CutOff } from './network.graph';

export enum Connectivity {
  ONLINE = 'ONLINE',
  DEGRADED = 'DEGRADED',
  CUT_OFF = 'CUT_OFF',
}
registerEnumType(Connectivity, {
  name: 'Connectivity',
  description: 'How a remote unit reaches the central data room now.',
  valuesConfig: {
    ONLINE: { description: 'Connected, over as many independent routes as the network as designed gives it.' },
    DEGRADED: { description: 'Still connected, but over fewer independent routes than usual (a line or node on another route is down).' },
    CUT_OFF: { description: 'No route to any central data room in service.' },
  },
});

export enum NetworkElementKind {
  NODE = 'NODE',
  LINE = 'LINE',
}
registerEnumType(NetworkElementKind, { name: 'NetworkElementKind' });

@ObjectType({ description: 'One line of a route and the node or remote unit it leads to.' })
export class NetworkRouteStep {
  lineId!: number;
  to!: string;
}

@ObjectType({
  description:
    'The shortest route (in metres, on the ellipsoid) from a remote unit or node to a central data room, and how many independent routes it has. ' +
    'Computed on the whole network; lines and ends you may not read are null in `steps`.',
})
export class NetworkRoute {
  @Field(() => Boolean, { description: 'False when no route reaches a central data room in service.' })
  reachesCentre!: boolean;

  @Field(() => Float, { nullable: true, description: 'Length of the route in metres; null when there is none.' })
  lengthMeters!: number | null;

  @Field(() => [NetworkRouteStep], { description: 'From the start to the central data room, in order.' })
  steps!: NetworkRouteStep[];

  @Field(() => Int, {
    nullable: true,
    description: 'Routes to the central data rooms that share no line (edge-disjoint): 1 means one line\'s loss can cut it off. Null for a central data room itself.',
  })
  edgeDisjointRoutes!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Routes that share no node or remote unit on the way (node-disjoint; parallel lines count apart). Null for a central data room itself.',
  })
  nodeDisjointRoutes!: number | null;
}

@ObjectType({
  description:
    'What loses its connection to every central data room when some nodes and lines are down, and what goes with it. ' +
    'Computed on the whole network (a cut is a physical fact); every list holds only rows you may read.',
})
export class NetworkImpact {
  cut!: CutOff;
  /** The nodes whose cameras go with the failure: those cut off and those failed. */
  servingNodes!: number[];
}

@ObjectType({ description: 'A node or line whose loss alone would cut remote units or nodes off the central data room.' })
export class NetworkCriticalElement {
  @Field(() => NetworkElementKind)
  kind!: NetworkElementKind;

  id!: number;

  @Field(() => Int, { description: 'How many remote units its loss would cut off (of the whole network; the ranking).' })
  remoteUnitsCutOff!: number;

  @Field(() => Int, { description: 'How many nodes its loss would cut off (of the whole network).' })
  nodesCutOff!: number;

  current!: boolean;
}
