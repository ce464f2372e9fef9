import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs } from '../../common/pagination/connection';
import { OrgUnit } from '../org-units';
import { User } from '../users';
import { stockService } from './stock.service';
import {
  StockItem,
  StockItemConnection,
  StockItemCreateInput,
  StockItemFilter,
  StockItemUpdateInput,
  StockMovement,
  StockMovementConnection,
  StockMovementKind,
} from './stock.type';

@ArgsType()
class StockItemsArgs extends PageArgs {
  @Field(() => StockItemFilter, { nullable: true })
  filter?: StockItemFilter | null;
}

@Resolver(() => StockItem)
export class StockItemResolver {
  @Query(() => StockItemConnection, { description: 'Stock items by id, each with its level (READ on STOCK; those your grants cover).' })
  stockItems(@Args(() => StockItemsArgs) args: StockItemsArgs, @Ctx() ctx: Context) {
    return stockService.list(ctx, args);
  }

  @Query(() => StockItem, { description: 'One stock item; NOT_FOUND when there is none with this id (or you may not read it).' })
  stockItem(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return stockService.get(ctx, id);
  }

  @Query(() => [StockItem], { description: 'The items under their minimum level, the largest shortfall first: what to order.' })
  stockBelowMinimum(@Ctx() ctx: Context) {
    return stockService.belowMinimum(ctx);
  }

  @FieldResolver(() => StockMovementConnection, { description: 'Its movements, newest first; batched over a list.' })
  movements(@Root() item: StockItem, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return stockService.movements(ctx, item, args);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The directorate or unit keeping it.' })
  ownerOrgUnit(@Root() item: StockItem, @Ctx() ctx: Context) {
    return item.ownerOrgUnitId == null ? null : ctx.loaders.orgUnits.byId.load(item.ownerOrgUnitId);
  }
}

@Resolver(() => StockMovement)
export class StockMovementResolver {
  @FieldResolver(() => StockItem, { description: 'The item moved.' })
  item(@Root() movement: StockMovement, @Ctx() ctx: Context) {
    return ctx.loaders.stock.byId.load(movement.itemId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who recorded it.' })
  actor(@Root() movement: StockMovement, @Ctx() ctx: Context) {
    return movement.actorId == null ? null : ctx.loaders.users.byId.load(movement.actorId);
  }
}

/** Stock writes; each audited on STOCK in its transaction. */
@Resolver()
export class StockMutationResolver {
  @Mutation(() => StockItem, { nullable: true, description: 'Creates a stock item (CREATE on STOCK). CONFLICT when the code is taken.' })
  createStockItem(@Arg('input', () => StockItemCreateInput) input: StockItemCreateInput, @Ctx() ctx: Context) {
    return stockService.create(ctx, input);
  }

  @Mutation(() => StockItem, { nullable: true, description: 'Changes a stock item (UPDATE on STOCK). CONFLICT on a stale version.' })
  updateStockItem(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => StockItemUpdateInput) input: StockItemUpdateInput,
    @Ctx() ctx: Context,
  ) {
    return stockService.update(ctx, id, version, input);
  }

  @Mutation(() => StockMovement, {
    description:
      'Records a movement of a stock item (UPDATE on STOCK): IN and OUT take a positive quantity, ADJUST a signed one; only an OUT may name the fault the parts went out for. BAD_USER_INPUT, with the level and the quantity asked, when it would take the level below zero.',
  })
  recordStockMovement(
    @Arg('itemId', () => ID) itemId: string,
    @Arg('kind', () => StockMovementKind) kind: StockMovementKind,
    @Arg('quantity', () => Int) quantity: number,
    @Arg('faultId', () => ID, { nullable: true }) faultId: string | null,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return stockService.recordMovement(ctx, itemId, kind, quantity, faultId, note);
  }
}
