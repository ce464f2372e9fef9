import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Asset } from '../assets';
import { Fault } from '../faults/fault.type';
import { Camera } from '../cameras';
import { OrgUnit } from '../org-units';
import { RemoteUnit } from '../remote-units';
import { User } from '../users';
import { nodeVertex, unitVertex } from './network.graph';
import { NetworkEnd, NetworkLine, NetworkNode } from './network.type';
import { Connectivity, NetworkCriticalElement, NetworkElementKind, NetworkImpact, NetworkRoute, NetworkRouteStep } from './network-operations.type';
import { networkOperations } from './network-operations.service';
import { networkService } from './network.service';

const CURRENT = 'True (the default): OFFLINE lines and nodes are down, the network as it is now. False: they count as in service, the network as designed.';

@Resolver()
export class NetworkOperationsResolver {
  @Query(() => NetworkRoute, {
    description: 'The shortest route from a remote unit or a network node (give one) to a central data room, and its independent routes. Needs a READ grant on network lines.',
  })
  networkRoute(
    @Arg('remoteUnitId', () => ID, { nullable: true }) remoteUnitId: string | null,
    @Arg('nodeId', () => ID, { nullable: true }) nodeId: string | null,
    @Arg('current', () => Boolean, { defaultValue: true, description: CURRENT }) current: boolean,
    @Ctx() ctx: Context,
  ) {
    return networkOperations.routeFrom(ctx, { remoteUnitId, nodeId, current });
  }

  @Query(() => NetworkImpact, {
    description:
      'What would lose its connection to the central data room if these lines and nodes failed (a what-if), and what goes with it: ' +
      'the assets at the units cut off, their cameras, the staff holding custody there, the directorates housed there. ' +
      'With `current: true` today\'s outages (OFFLINE lines and nodes) count as well; with no lines or nodes and `current: true`, what is cut off now.',
  })
  networkImpact(
    @Arg('lineIds', () => [ID], { defaultValue: [], description: 'Lines out of service.' }) lineIds: string[],
    @Arg('nodeIds', () => [ID], { defaultValue: [], description: 'Nodes out of service.' }) nodeIds: string[],
    @Arg('current', () => Boolean, { defaultValue: false, description: "Whether today's outages (OFFLINE lines and nodes) count too." }) current: boolean,
    @Ctx() ctx: Context,
  ) {
    return networkOperations.impact(ctx, { lineIds, nodeIds, current });
  }

  @Query(() => [NetworkCriticalElement], {
    description:
      'Single points of failure: every node and line whose loss alone would cut remote units or nodes off the central data room ' +
      '(articulation points and bridges), most remote units cut off first, then most nodes. Lists those you may read.',
  })
  networkSinglePointsOfFailure(
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most this many (0 to 1000).' }) first: number,
    @Arg('current', () => Boolean, { defaultValue: true, description: CURRENT }) current: boolean,
    @Arg('kind', () => NetworkElementKind, { nullable: true, description: 'Only nodes, or only lines; both when omitted.' }) kind: NetworkElementKind | null,
    @Ctx() ctx: Context,
  ) {
    return networkOperations.critical(ctx, { first, current, kind });
  }
}

@Resolver(() => NetworkRouteStep)
export class NetworkRouteStepResolver {
  @FieldResolver(() => NetworkLine, { nullable: true, description: 'The line; null when you may not read it.' })
  line(@Root() step: NetworkRouteStep, @Ctx() ctx: Context) {
    return networkOperations.stepLine(ctx, step.lineId);
  }

  @FieldResolver(() => NetworkEnd, { nullable: true, description: 'The node or remote unit the line leads to; null when you may not read it.' })
  to(@Root() step: NetworkRouteStep, @Ctx() ctx: Context) {
    return networkOperations.stepEnd(ctx, step.to);
  }
}

@Resolver(() => NetworkImpact)
export class NetworkImpactResolver {
  @FieldResolver(() => [NetworkNode], { description: 'The nodes out of service in this question (those asked about and, with `current`, today\'s).' })
  downNodes(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.downNodes(ctx, impact);
  }

  @FieldResolver(() => [NetworkLine], { description: 'The lines out of service in this question.' })
  downLines(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.downLines(ctx, impact);
  }

  @FieldResolver(() => [RemoteUnit], { description: 'Remote units cut off.' })
  remoteUnits(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.remoteUnits(ctx, impact);
  }

  @FieldResolver(() => [NetworkNode], { description: 'Nodes cut off (not down themselves).' })
  nodes(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.nodes(ctx, impact);
  }

  @FieldResolver(() => [NetworkLine], { description: 'Lines in service with an end cut off or down: they carry nothing to the centre.' })
  lines(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.lines(ctx, impact);
  }

  @FieldResolver(() => [Asset], { description: 'Assets at the remote units cut off (computers, printers, phones, …).' })
  assets(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.assets(ctx, impact);
  }

  @FieldResolver(() => [Camera], { description: 'Cameras that go with it: served through a remote unit or node cut off or failed, or whose asset record is at a remote unit cut off.' })
  cameras(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.cameras(ctx, impact);
  }

  @FieldResolver(() => [User], { description: 'People holding custody (zimmet) of an asset at the remote units cut off.' })
  custodians(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.custodians(ctx, impact);
  }

  @FieldResolver(() => [OrgUnit], { description: 'Directorates housed at the remote units cut off.' })
  orgUnits(@Root() impact: NetworkImpact, @Ctx() ctx: Context) {
    return networkOperations.orgUnits(ctx, impact);
  }
}

@Resolver(() => NetworkCriticalElement)
export class NetworkCriticalElementResolver {
  @FieldResolver(() => NetworkNode, { nullable: true, description: 'The node, when the element is one.' })
  node(@Root() c: NetworkCriticalElement, @Ctx() ctx: Context) {
    return c.kind === NetworkElementKind.NODE ? ctx.loaders.network.nodes.byId.load(c.id) : null;
  }

  @FieldResolver(() => NetworkLine, { nullable: true, description: 'The line, when the element is one.' })
  line(@Root() c: NetworkCriticalElement, @Ctx() ctx: Context) {
    return c.kind === NetworkElementKind.LINE ? ctx.loaders.network.lines.byId.load(c.id) : null;
  }

  @FieldResolver(() => NetworkImpact, { description: 'What its loss alone would cut off (what is cut off already is not listed again).' })
  impact(@Root() c: NetworkCriticalElement, @Ctx() ctx: Context) {
    return networkOperations.criticalImpact(ctx, c);
  }
}

@Resolver(() => RemoteUnit)
export class RemoteUnitConnectivityResolver {
  @FieldResolver(() => Connectivity, { nullable: true, description: 'How the unit reaches the central data room now; needs a READ grant on network lines (else null with FORBIDDEN).' })
  connectivity(@Root() unit: RemoteUnit, @Ctx() ctx: Context) {
    return networkOperations.connectivity(ctx, unit);
  }

  @FieldResolver(() => NetworkRoute, { nullable: true, description: 'Its route to the central data room; needs a READ grant on network lines.' })
  routeToCentre(@Root() unit: RemoteUnit, @Arg('current', () => Boolean, { defaultValue: true, description: CURRENT }) current: boolean, @Ctx() ctx: Context) {
    return networkOperations.route(ctx, unitVertex(unit.id), current);
  }
}

@Resolver(() => NetworkNode)
export class NetworkNodeRouteResolver {
  @FieldResolver(() => NetworkRoute, { nullable: true, description: 'Its route to the central data room; needs a READ grant on network lines.' })
  routeToCentre(@Root() node: NetworkNode, @Arg('current', () => Boolean, { defaultValue: true, description: CURRENT }) current: boolean, @Ctx() ctx: Context) {
    return networkOperations.route(ctx, nodeVertex(node.id), current);
  }
}

@Resolver(() => Fault)
export class FaultImpactResolver {
  @FieldResolver(() => NetworkImpact, {
    nullable: true,
    description:
      "For an open fault on the asset of a network node or line: what that element being down cuts off now, beyond what today's other outages cut off (what repairing it would reconnect). " +
      'Null for a fault that is closed or on anything else. Computed when read; needs a READ grant on network lines (else null with FORBIDDEN). The fault queue can be ordered by it (faults(orderBy: IMPACT)).',
  })
  impact(@Root() fault: Fault, @Ctx() ctx: Context) {
    return networkOperations.faultImpact(ctx, fault.id);
  }
}

@Resolver(() => NetworkNode)
export class NetworkNodeAssetResolver {
  @FieldResolver(() => Asset, { nullable: true, description: "The node's equipment in the inventory (the cabinet's switch, the splice box); null when none is recorded or you may not read it. An open fault on it puts the node out of service now." })
  asset(@Root() node: NetworkNode, @Ctx() ctx: Context) {
    return node.assetId == null ? null : ctx.loaders.assets.byId.load(node.assetId);
  }
}

@Resolver(() => NetworkLine)
export class NetworkLineAssetResolver {
  @FieldResolver(() => Asset, { nullable: true, description: "The line's asset (a leased circuit, LEASED_LINE); null when none is recorded or you may not read it. An open fault on it puts the line out of service now." })
  asset(@Root() line: NetworkLine, @Ctx() ctx: Context) {
    return line.assetId == null ? null : ctx.loaders.assets.byId.load(line.assetId);
  }
}

@Resolver(() => Camera)
export class CameraServedByResolver {
  @FieldResolver(() => NetworkEnd, { nullable: true, description: 'What the camera is connected through: a network node or a remote unit; null when not recorded or you may not read it. A failure that takes it away takes the camera too (networkImpact.cameras).' })
  servedBy(@Root() camera: Camera, @Ctx() ctx: Context) {
    return networkService.end(ctx, camera.servedByNodeId, camera.servedByRemoteUnitId);
  }
}
