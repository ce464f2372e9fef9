import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { custodyService } from './custody.service';
import { Custody, Handover } from './custody.type';

/** Custody writes; each audited on CUSTODY in its transaction. */
@Resolver()
export class CustodyMutationResolver {
  @Mutation(() => Custody, {
    nullable: true,
    description:
      'Gives an asset into the custody (zimmet) of a person (toUserId) or a directorate/unit (toOrgUnitId): CREATE on CUSTODY reaching the asset. CONFLICT when the asset is DISPOSED or LOST, or already in custody; BAD_USER_INPUT for a deactivated or service account. Returns it as you may read it.',
  })
  giveCustody(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('toUserId', () => ID, { nullable: true }) toUserId: string | null,
    @Arg('toOrgUnitId', () => ID, { nullable: true }) toOrgUnitId: string | null,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return custodyService.give(ctx, assetId, toUserId, toOrgUnitId, note);
  }

  @Mutation(() => Custody, {
    nullable: true,
    description: 'Ends the custody of an asset (it is returned): UPDATE on CUSTODY reaching the asset. CONFLICT when no one holds it. Returns the ended custody.',
  })
  returnCustody(@Arg('assetId', () => ID) assetId: string, @Arg('note', () => String, { nullable: true }) note: string | null, @Ctx() ctx: Context) {
    return custodyService.returnAsset(ctx, assetId, note);
  }

  @Mutation(() => Handover, {
    name: 'handover',
    nullable: true,
    description:
      'Handover (devir-teslim): moves every asset fromUserId holds to toUserId in one transaction, recording the handover and each asset. UPDATE on CUSTODY reaching every one of the assets (FORBIDDEN otherwise, moving none); BAD_USER_INPUT for the same person, a deactivated or service receiver, or nothing to hand over.',
  })
  handOver(
    @Arg('fromUserId', () => ID) fromUserId: string,
    @Arg('toUserId', () => ID) toUserId: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return custodyService.handOver(ctx, fromUserId, toUserId, note);
  }
}
