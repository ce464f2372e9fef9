import { Args, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../context';
import { Fault } from '../faults';
import { liveService } from './live.service';
import { FaultEventsArgs, FaultLiveEvent, LayerChangeEvent, LayerChangesArgs } from './live.type';

@Resolver()
export class LiveResolver {
  @Subscription(() => LayerChangeEvent, {
    description:
      'Features created, updated and deleted in the layers you may read, as their transactions commit (from any API process on the database), ' +
      'each with the tiles it touched; only what a query would show you (your area, your directorate), re-checked at once when your grants ' +
      'change. Over WebSocket at /graphql (graphql-ws), the token in connectionParams.',
    subscribe: ({ args, context }) => liveService.layerChanges(context as Context, args as LayerChangesArgs),
  })
  layerChanges(@Root() event: LayerChangeEvent, @Args(() => LayerChangesArgs) _args: LayerChangesArgs): LayerChangeEvent {
    return event;
  }

  @Subscription(() => FaultLiveEvent, {
    description: 'Fault reports, assignments and changes of state, as they commit, with the fault: only faults you may read that match the filter.',
    subscribe: ({ args, context }) => liveService.faultEvents(context as Context, args as FaultEventsArgs),
  })
  faultEvents(@Root() event: FaultLiveEvent, @Args(() => FaultEventsArgs) _args: FaultEventsArgs): FaultLiveEvent {
    return event;
  }
}

@Resolver(() => FaultLiveEvent)
export class FaultLiveEventResolver {
  @FieldResolver(() => Fault, { nullable: true, description: 'The fault as it is now, under your grants; null for RESYNC.' })
  fault(@Root() event: FaultLiveEvent, @Ctx() ctx: Context) {
    return event.faultId == null ? null : ctx.loaders.faults.byId.load(event.faultId);
  }
}
