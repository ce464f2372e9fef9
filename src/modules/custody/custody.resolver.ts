import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Asset } from '../assets';
import type { OrgUnit } from '../org-units';
import { User } from '../users';
import { custodyService } from './custody.service';
import { Custodian, Custody, Handover, HandoverItem } from './custody.type';

/** The holder of a custody row: the person (when the request may read users there) or the unit. */
export function holderOf(ctx: Context, custody: Custody): Promise<User | OrgUnit | null> {
  if (custody.holderUserId != null) return ctx.loaders.users.byId.load(custody.holderUserId);
  return ctx.loaders.orgUnits.byId.load(custody.holderOrgUnitId!);
}

const user = (ctx: Context, id: number | null) => (id == null ? null : ctx.loaders.users.byId.load(id));

@Resolver(() => Custody)
export class CustodyResolver {
  @Query(() => [Custody], {
    description:
      'What a person (userId) or a directorate/unit (orgUnitId) holds in custody, newest first; with includeReturned also what it held. READ on CUSTODY; only assets you may read.',
  })
  custodyOf(
    @Arg('userId', () => ID, { nullable: true }) userId: string | null,
    @Arg('orgUnitId', () => ID, { nullable: true }) orgUnitId: string | null,
    @Arg('includeReturned', () => Boolean, { defaultValue: false }) includeReturned: boolean,
    @Ctx() ctx: Context,
  ) {
    return custodyService.of(ctx, userId, orgUnitId, includeReturned);
  }

  @FieldResolver(() => Asset, { description: 'The asset held.' })
  asset(@Root() custody: Custody, @Ctx() ctx: Context) {
    return ctx.loaders.assets.byId.load(custody.assetId);
  }

  @FieldResolver(() => Custodian, { nullable: true, description: 'Who holds (or held) it: a person or a unit; null for a person you may not read.' })
  holder(@Root() custody: Custody, @Ctx() ctx: Context) {
    return holderOf(ctx, custody);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who gave it.' })
  givenBy(@Root() custody: Custody, @Ctx() ctx: Context) {
    return user(ctx, custody.givenById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who took it back (or handed it over, or executed its disposal).' })
  returnedBy(@Root() custody: Custody, @Ctx() ctx: Context) {
    return user(ctx, custody.returnedById);
  }

  @FieldResolver(() => Handover, { nullable: true, description: 'The handover that began this custody, when one did.' })
  handover(@Root() custody: Custody, @Ctx() ctx: Context) {
    return custody.handoverId == null ? null : ctx.loaders.custody.handover.load(custody.handoverId);
  }
}

@Resolver(() => Handover)
export class HandoverResolver {
  @Query(() => [Handover], {
    description: 'Handovers (devir-teslim), newest first: all, or those from or to a person. READ on CUSTODY; those with an asset you may read.',
  })
  handovers(@Arg('userId', () => ID, { nullable: true }) userId: string | null, @Ctx() ctx: Context) {
    return custodyService.handovers(ctx, userId);
  }

  @Query(() => Handover, { description: 'One handover; NOT_FOUND when there is none with this id (or none of its assets is one you may read).' })
  handover(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return custodyService.getHandover(ctx, id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The person who handed over.' })
  from(@Root() handover: Handover, @Ctx() ctx: Context) {
    return user(ctx, handover.fromUserId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The person who received.' })
  to(@Root() handover: Handover, @Ctx() ctx: Context) {
    return user(ctx, handover.toUserId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who recorded the handover.' })
  doneBy(@Root() handover: Handover, @Ctx() ctx: Context) {
    return user(ctx, handover.doneById);
  }

  @FieldResolver(() => [HandoverItem], { description: 'Each asset moved (those you may read), by inventory number.' })
  items(@Root() handover: Handover, @Ctx() ctx: Context) {
    return ctx.loaders.custody.handoverItems.load(handover.id);
  }
}

@Resolver(() => HandoverItem)
export class HandoverItemResolver {
  @FieldResolver(() => Asset)
  asset(@Root() item: HandoverItem, @Ctx() ctx: Context) {
    return ctx.loaders.assets.byId.load(item.assetId);
  }

  @FieldResolver(() => Custody, { description: 'The custody of the giver that the handover ended.' })
  custodyEnded(@Root() item: HandoverItem, @Ctx() ctx: Context) {
    return ctx.loaders.custody.byId.load(item.endedCustodyId);
  }

  @FieldResolver(() => Custody, { description: 'The custody of the receiver that the handover began.' })
  custodyStarted(@Root() item: HandoverItem, @Ctx() ctx: Context) {
    return ctx.loaders.custody.byId.load(item.startedCustodyId);
  }
}
