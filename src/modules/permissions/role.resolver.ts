import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Neighbourhood } from '../neighbourhoods';
import { RoleCreateInput, RoleUpdateInput } from './role.inputs';
import { roleService } from './role.service';
import { Grant, Role } from './role.type';

@Resolver(() => Role)
export class RoleResolver {
  @Query(() => [Role], { description: 'Every role, by code, with its grants. Needs a READ grant on ROLES.' })
  roles(@Ctx() ctx: Context) {
    return roleService.list(ctx);
  }

  @Query(() => Role, { description: 'One role; NOT_FOUND when there is none with this id. Needs a READ grant on ROLES.' })
  role(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return roleService.get(ctx, id);
  }

  @Mutation(() => Role, {
    nullable: true,
    description: 'Creates a role with its grants (CREATE on ROLES); FORBIDDEN for grants your own do not cover. CONFLICT when the code is taken. Returns it as you may read it (null without READ on ROLES).',
  })
  createRole(@Arg('input', () => RoleCreateInput) input: RoleCreateInput, @Ctx() ctx: Context) {
    return roleService.create(ctx, input);
  }

  @Mutation(() => Role, {
    nullable: true,
    description:
      'Changes a role (UPDATE on ROLES); given `grants` replace all of its grants. FORBIDDEN when the role, as defined or as held by its users, goes beyond your own grants, before or after the change. `version` is the version you read: CONFLICT when it has changed since. The change applies to its holders from their next request.',
  })
  updateRole(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => RoleUpdateInput) input: RoleUpdateInput,
    @Ctx() ctx: Context,
  ) {
    return roleService.update(ctx, id, version, input);
  }

  @Mutation(() => ID, {
    description: 'Deletes a role (DELETE on ROLES); returns its id. FORBIDDEN when it holds grants beyond yours; CONFLICT on a stale version or while users hold it; the public role cannot be deleted.',
  })
  deleteRole(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context) {
    return roleService.delete(ctx, id, version);
  }
}

@Resolver(() => Grant)
export class GrantResolver {
  @FieldResolver(() => [Neighbourhood], { description: 'The neighbourhoods of `neighbourhoodIds` that you may read, batched.' })
  async neighbourhoods(@Root() grant: Grant, @Ctx() ctx: Context): Promise<Neighbourhood[]> {
    if (grant.neighbourhoodIds.length === 0) return [];
    const found = await ctx.loaders.neighbourhoods.byId.loadMany(grant.neighbourhoodIds);
    return found.filter((n): n is Neighbourhood => n != null && !(n instanceof Error));
  }
}
