import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { recordAudit } from '../audit';
import { RoleEditRepository, requireWithinOwnGrants } from '../permissions';
import { UserEditRepository } from './user-edit.repository';
import { UserRepository } from './user.repository';
import type { User } from './user.type';

/** More roles than anyone holds: a sign of a client gone wrong. */
const MAX_ROLES = 100;

/**
 * Replaces the roles a user holds (a ROLES UPDATE grant; limited to the own directorate, only for
 * its users). Nobody changes their own roles, nor the roles of an account holding more than they
 * do, nor gives roles that would let the account do more than they may (requireWithinOwnGrants).
 * Audited on the user, with the role codes before and after. Access is loaded per request, so the
 * change applies from the user's next request.
 */
export async function setUserRoles(ctx: Context, userIdArg: string, roleIdArgs: readonly string[]): Promise<User | null> {
  ctx.access.require(Resource.ROLES, Action.UPDATE, 'the roles of users');
  const userId = parseId(userIdArg, 'userId');
  if (userId === ctx.identity?.userId) throw forbidden('you may not change your own roles: another administrator whose grants cover them may');
  if (roleIdArgs.length > MAX_ROLES) throw badInput(`roleIds: at most ${MAX_ROLES} roles, got ${roleIdArgs.length}`);
  const roleIds = [...new Set(roleIdArgs.map((id, i) => parseId(id, `roleIds[${i}]`)))];
  return ctx.db.transaction(async (trx) => {
    const current = await new UserEditRepository(trx, ctx.access).lock(userId, { resource: Resource.ROLES, action: Action.UPDATE });
    if (!current) throw notFound('user', userId);
    if (!current.allowed) throw forbidden(`you may not change the roles of user ${userId}: the account is outside your directorate`);
    const roles = new RoleEditRepository(trx);
    const found = new Map((await roles.codes(roleIds)).map((r) => [r.id, r]));
    for (const id of roleIds) {
      const role = found.get(id);
      if (!role) throw badInput(`roleIds: role ${id} does not exist`);
      if (role.isPublic) throw badInput(`roleIds: the public role (${id}) applies to every request already; it is not given to users`);
    }
    await requireWithinOwnGrants(ctx, trx, { account: userId }, `change the roles of user ${userId}`);
    const before = await roles.codesOfUser(userId);
    await roles.replaceUserRoles(userId, roleIds);
    await requireWithinOwnGrants(ctx, trx, { account: userId }, `give user ${userId} these roles`, { explain: true });
    const after = await roles.codesOfUser(userId);
    await recordAudit(trx, ctx, {
      entity: Resource.USERS,
      entityId: userId,
      action: Action.UPDATE,
      before: { username: current.username, roles: before },
      after: { username: current.username, roles: after },
    });
    // Read in the transaction: a committed change always gets its answer.
    const [user] = await new UserRepository(trx, ctx.access).byIds([userId]);
    return user ?? null;
  });
}
