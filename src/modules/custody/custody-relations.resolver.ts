import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Asset } from '../assets';
import { User } from '../users';
import { holderOf } from './custody.resolver';
import { Custodian, Custody } from './custody.type';

const CUSTODY_READ = 'Batched; nothing (null or empty) without a READ grant on CUSTODY that reaches the asset.';

@Resolver(() => Asset)
export class AssetCustodyResolver {
  @FieldResolver(() => Custody, { nullable: true, description: `The open custody (zimmet) of the asset; null when no one holds it. ${CUSTODY_READ}` })
  currentCustody(@Root() asset: Asset, @Ctx() ctx: Context) {
    return ctx.loaders.custody.currentOfAsset.load(asset.id);
  }

  @FieldResolver(() => Custodian, { nullable: true, description: `Who holds the asset now: a person or a unit. ${CUSTODY_READ}` })
  async custodian(@Root() asset: Asset, @Ctx() ctx: Context) {
    const current = await ctx.loaders.custody.currentOfAsset.load(asset.id);
    return current ? holderOf(ctx, current) : null;
  }

  @FieldResolver(() => [Custody], { description: `Every custody of the asset, newest first. ${CUSTODY_READ}` })
  custodyHistory(@Root() asset: Asset, @Ctx() ctx: Context) {
    return ctx.loaders.custody.historyOfAsset.load(asset.id);
  }
}

@Resolver(() => User)
export class UserCustodyResolver {
  @FieldResolver(() => [Custody], { description: `What the person holds in custody (zimmet), newest first; with includeReturned also what they held. ${CUSTODY_READ}` })
  custody(
    @Root() user: User,
    @Arg('includeReturned', () => Boolean, { defaultValue: false }) includeReturned: boolean,
    @Ctx() ctx: Context,
  ) {
    return ctx.loaders.custody.ofUser.load({ id: user.id, includeReturned });
  }
}
