import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { OrgUnit } from '../org-units';
import { authService } from './auth.service';
import { userService } from './user.service';
import { AuthPayload, User } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @Mutation(() => AuthPayload, {
    description: 'Logs a member of staff in: an access token to send as `Authorization: Bearer …`. UNAUTHENTICATED when the username or password is wrong.',
  })
  login(@Arg('username', () => String) username: string, @Arg('password', () => String) password: string, @Ctx() ctx: Context) {
    return authService.login(ctx.db, ctx.auth, username, password);
  }

  @Query(() => User, { nullable: true, description: 'The user this request acts as; null for an anonymous request.' })
  me(@Ctx() ctx: Context) {
    // Everyone may read their own account, with or without a grant on USERS.
    return ctx.identity ? userService.me(ctx) : null;
  }

  @FieldResolver(() => OrgUnit, { description: 'The directorate or unit the user belongs to.' })
  orgUnit(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.loaders.orgUnits.byId.load(user.orgUnitId);
  }
}
