import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import type { Context } from '../../context';
import { OrgUnit } from './org-unit.type';

/** `ownerOrgUnit` on a layer's type: the directorate responsible for the feature, batched. */
export function ownerOrgUnitResolver(layerType: ClassType): ClassType {
  @Resolver(() => layerType)
  class OwnerOrgUnitResolver {
    @FieldResolver(() => OrgUnit, {
      nullable: true,
      description: 'The directorate or unit responsible for the feature; grants limited to "own directorate" rows go by it.',
    })
    ownerOrgUnit(@Root() row: { ownerOrgUnitId: number | null }, @Ctx() ctx: Context) {
      return row.ownerOrgUnitId == null ? null : ctx.loaders.orgUnits.byId.load(row.ownerOrgUnitId);
    }
  }
  Object.defineProperty(OwnerOrgUnitResolver, 'name', { value: `${layerType.name}OwnerResolver` });
  return OwnerOrgUnitResolver;
}
