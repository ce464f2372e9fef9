import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { historyService } from './history.service';
import { ChangesArgs, FeatureChangeConnection, FeatureVersion, HistoryLayer } from './history.type';

@Resolver()
export class HistoryResolver {
  @Query(() => [FeatureVersion], {
    description:
      'Every version of one feature of a layer (or asset), oldest first: when each was valid, who wrote it, its values and geometry, and what ' +
      'changed field by field; a deletion is the last entry. Also for deleted features. Versions outside your grants (area, directorate) are ' +
      'left out; NOT_FOUND when you may read none.',
  })
  history(@Arg('layer', () => HistoryLayer) layer: HistoryLayer, @Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return historyService.versions(ctx, layer, id);
  }

  @Query(() => FeatureChangeConnection, {
    description:
      'What was created, updated and deleted in a period, in the layers and area asked for, with each feature at the start and at the end ' +
      'of the period and what changed field by field: "what changed in İstasyon since 1 October". Ordered by layer, then id; only what your ' +
      'grants let you read.',
  })
  changes(@Args(() => ChangesArgs) args: ChangesArgs, @Ctx() ctx: Context) {
    return historyService.changes(ctx, args);
  }
}
