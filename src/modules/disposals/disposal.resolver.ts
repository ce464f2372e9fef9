import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs } from '../../common/pagination/connection';
import { Asset } from '../assets';
import { User } from '../users';
import { disposalService } from './disposal.service';
import { Disposal, DisposalConnection, DisposalFilter } from './disposal.type';
import { DateScalar } from '../../common/input/date.scalar';

@ArgsType()
class DisposalsArgs extends PageArgs {
  @Field(() => DisposalFilter, { nullable: true })
  filter?: DisposalFilter | null;
}

const user = (ctx: Context, id: number | null) => (id == null ? null : ctx.loaders.users.byId.load(id));

@Resolver(() => Disposal)
export class DisposalResolver {
  @Query(() => DisposalConnection, { description: 'Disposals by id (READ on DISPOSALS; those of assets you may read).' })
  disposals(@Args(() => DisposalsArgs) args: DisposalsArgs, @Ctx() ctx: Context) {
    return disposalService.list(ctx, args);
  }

  @Query(() => Disposal, { description: 'One disposal; NOT_FOUND when there is none with this id (or you may not read it).' })
  disposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return disposalService.get(ctx, id);
  }

  @FieldResolver(() => Asset, { description: 'The asset (also once DISPOSED).' })
  asset(@Root() disposal: Disposal, @Ctx() ctx: Context) {
    return ctx.loaders.assets.byId.load(disposal.assetId);
  }

  @FieldResolver(() => User, { nullable: true })
  proposedBy(@Root() disposal: Disposal, @Ctx() ctx: Context) {
    return user(ctx, disposal.proposedById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who recorded the decision.' })
  decidedBy(@Root() disposal: Disposal, @Ctx() ctx: Context) {
    return user(ctx, disposal.decidedById);
  }

  @FieldResolver(() => User, { nullable: true })
  executedBy(@Root() disposal: Disposal, @Ctx() ctx: Context) {
    return user(ctx, disposal.executedById);
  }
}

@Resolver(() => Asset)
export class AssetDisposalsResolver {
  @FieldResolver(() => [Disposal], { description: 'Its disposals, newest first. Batched; empty without a READ grant on DISPOSALS that reaches the asset.' })
  disposals(@Root() asset: Asset, @Ctx() ctx: Context) {
    return ctx.loaders.disposals.ofAsset.load(asset.id);
  }
}

/** Disposal writes; each audited on DISPOSALS (and the asset on ASSETS) in its transaction. */
@Resolver()
export class DisposalMutationResolver {
  @Mutation(() => Disposal, {
    nullable: true,
    description:
      'Proposes disposing of an asset (CREATE on DISPOSALS reaching it): the asset becomes PENDING_DISPOSAL. CONFLICT when it already has an open disposal; BAD_USER_INPUT when its state cannot become PENDING_DISPOSAL.',
  })
  proposeDisposal(@Arg('assetId', () => ID) assetId: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: Context) {
    return disposalService.propose(ctx, assetId, reason);
  }

  @Mutation(() => Disposal, {
    nullable: true,
    description:
      'Records the decision on a PROPOSED disposal (UPDATE on DISPOSALS): approved, or rejected (the asset returns to the state it was in). CONFLICT on a stale version or a disposal already decided.',
  })
  decideDisposal(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('approved', () => Boolean) approved: boolean,
    @Arg('decisionNo', () => String, { description: 'Number of the decision (karar no).' }) decisionNo: string,
    @Arg('decisionDate', () => DateScalar, { description: 'Date of the decision.' }) decisionDate: string,
    @Ctx() ctx: Context,
  ) {
    return disposalService.decide(ctx, id, version, approved, decisionNo, decisionDate);
  }

  @Mutation(() => Disposal, {
    nullable: true,
    description:
      'Executes an APPROVED disposal (UPDATE on DISPOSALS): the asset becomes DISPOSED, leaves the active inventory (assets lists it only with filter.state DISPOSED) and its custody ends. CONFLICT on a stale version or a disposal not APPROVED.',
  })
  executeDisposal(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context) {
    return disposalService.execute(ctx, id, version);
  }
}
