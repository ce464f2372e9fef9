import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { userAdminService } from './user-admin.service';
import { setUserRoles } from './user-roles.service';
import { UserCreateInput, UserUpdateInput } from './user.inputs';
import { User } from './user.type';

/** Administration of user accounts; every change is audited on USERS. */
@Resolver()
export class UserMutationResolver {
  @Mutation(() => User, {
    nullable: true,
    description:
      'Creates a user account (CREATE on USERS; with a grant limited to your directorate, only in it). CONFLICT when the username is taken. Returns it as you may read it.',
  })
  createUser(@Arg('input', () => UserCreateInput) input: UserCreateInput, @Ctx() ctx: Context) {
    return userAdminService.create(ctx, input);
  }

  @Mutation(() => User, {
    nullable: true,
    description:
      'Changes a user account (UPDATE on USERS). NOT_FOUND when you may not read it; FORBIDDEN when it is, or would move, outside the directorate your grant is limited to, or when the account holds (or, moved, would hold) grants beyond yours.',
  })
  updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UserUpdateInput) input: UserUpdateInput, @Ctx() ctx: Context) {
    return userAdminService.update(ctx, id, input);
  }

  @Mutation(() => User, { nullable: true, description: "Sets a person's password (UPDATE on USERS); at least 10 characters. FORBIDDEN when the account holds grants beyond yours. Ends the account's sessions at once." })
  setUserPassword(@Arg('id', () => ID) id: string, @Arg('password', () => String) password: string, @Ctx() ctx: Context) {
    return userAdminService.setPassword(ctx, id, password);
  }

  @Mutation(() => Boolean, {
    description: 'Changes your own password, given the current one (BAD_USER_INPUT when it is wrong). Needs no grant. Ends every session of the account at once, this one included: log in again with the new password.',
  })
  changeMyPassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Context,
  ) {
    return userAdminService.changeMyPassword(ctx, currentPassword, newPassword);
  }

  @Mutation(() => User, {
    nullable: true,
    description: "Replaces the roles a user holds (UPDATE on ROLES). FORBIDDEN for your own roles, for an account holding grants beyond yours, and for roles that would give it grants beyond yours. Takes effect from the user's next request.",
  })
  setUserRoles(@Arg('userId', () => ID) userId: string, @Arg('roleIds', () => [ID]) roleIds: string[], @Ctx() ctx: Context) {
    return setUserRoles(ctx, userId, roleIds);
  }
}
