import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs } from '../../common/pagination/connection';
import { OrgUnit } from '../org-units';
import { Role } from '../permissions';
import { authService } from './auth.service';
import { throttledLogin } from './login-throttle';
import { UserFilter } from './user.inputs';
import { userService } from './user.service';
import { ApiToken, AuthPayload, User, UserConnection } from './user.type';

@ArgsType()
class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true })
  filter?: UserFilter | null;
}

@Resolver(() => User)
export class UserResolver {
  @Mutation(() => AuthPayload, {
    description: 'Logs a member of staff in: an access token to send as `Authorization: Bearer …`. UNAUTHENTICATED when the username or password is wrong; TOO_MANY_REQUESTS (HTTP 429, Retry-After) after too many failed logins of the account or from the address.',
  })
  login(@Arg('username', () => String) username: string, @Arg('password', () => String) password: string, @Ctx() ctx: Context) {
    return throttledLogin(ctx.db, username, () => authService.login(ctx.db, ctx.auth, username, password));
  }

  @Query(() => User, { nullable: true, description: 'The user this request acts as; null for an anonymous request.' })
  me(@Ctx() ctx: Context) {
    // Everyone may read their own account, with or without a grant on USERS.
    return ctx.identity ? userService.me(ctx) : null;
  }

  @Query(() => UserConnection, {
    description: 'User accounts, by id: those your READ grants on USERS cover (all, or your own directorate\'s).',
  })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context) {
    return userService.list(ctx, args);
  }

  @Query(() => User, { description: 'One user account; NOT_FOUND when there is none you may read with this id.' })
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return userService.get(ctx, id);
  }

  @FieldResolver(() => OrgUnit, { description: 'The directorate or unit the user belongs to.' })
  orgUnit(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.loaders.orgUnits.byId.load(user.orgUnitId);
  }

  @FieldResolver(() => [Role], {
    description: 'The roles the user holds, by code; batched. Empty unless you may read roles (a READ grant on ROLES) or this is your own account.',
  })
  roles(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.loaders.users.roles.load(user.id);
  }

  @FieldResolver(() => [ApiToken], {
    description: "The account's API tokens (service accounts have them); batched. Empty without a READ grant on API_TOKENS that covers the account.",
  })
  apiTokens(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.loaders.users.apiTokens.load(user.id);
  }
}
