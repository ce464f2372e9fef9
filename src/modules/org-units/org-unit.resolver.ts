import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { OrgUnitRepository } from './org-unit.repository';
import { OrgUnit } from './org-unit.type';

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Query(() => [OrgUnit], { description: 'The directorates and their units, by code.' })
  orgUnits(@Ctx() ctx: Context): Promise<OrgUnit[]> {
    return new OrgUnitRepository(ctx.db).all();
  }

  @Query(() => OrgUnit, { description: 'One directorate or unit; NOT_FOUND when there is none with this id.' })
  async orgUnit(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<OrgUnit> {
    const unit = await ctx.loaders.orgUnits.byId.load(parseId(id, 'id'));
    if (!unit) throw notFound('org unit', id);
    return unit;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The directorate a unit belongs to.' })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<OrgUnit | null> | null {
    return unit.parentId == null ? null : ctx.loaders.orgUnits.byId.load(unit.parentId);
  }
}
