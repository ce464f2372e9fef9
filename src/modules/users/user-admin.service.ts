import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { hashPassword, verifyPassword } from '../../common/auth/password';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { recordAudit } from '../audit';
import { requireWithinOwnGrants } from '../permissions';
import { UserEditRepository, type LockedUser, type WriteGrant } from './user-edit.repository';
import type { UserCreateInput, UserUpdateInput } from './user.inputs';
import { UserRepository } from './user.repository';
import { UserKind, type User } from './user.type';
import { checkEmail, checkFullName, checkPassword, checkUsername } from './user.validation';

const UPDATE_USERS: WriteGrant = { resource: Resource.USERS, action: Action.UPDATE };

/** Setting an e-mail takes the grant that reveals it, as setting any sensitive field does. */
function requireEmailGrant(ctx: Context): void {
  if (!ctx.access.grantsFor(Resource.USERS, Action.READ).some((g) => g.fields.includes('email'))) {
    throw forbidden('you may not set email: it is a sensitive field you have no grant for');
  }
}

/** The user, locked: NOT_FOUND outside the read scope, FORBIDDEN outside the scope of `grant`. */
async function lock(edit: UserEditRepository, id: number, grant: WriteGrant): Promise<LockedUser> {
  const current = await edit.lock(id, grant);
  if (!current) throw notFound('user', id);
  if (!current.allowed) throw forbidden(`you may not change user ${id}: the account is outside the directorate where you may`);
  return current;
}

/** The user as the writer now reads it (null when the writer may not read it), in the write's transaction: a committed write always gets its answer. */
async function reload(ctx: Context, trx: Knex.Transaction, id: number): Promise<User | null> {
  const [user] = await new UserRepository(trx, ctx.access).byIds([id]);
  return user ?? null;
}

/** The new password's hash and the change, audited as an UPDATE that says the password changed. */
async function writePassword(ctx: Context, trx: Knex.Transaction, current: LockedUser, hash: string, grant: WriteGrant | null): Promise<void> {
  const written = await new UserEditRepository(trx, ctx.access).update(current.id, { password_hash: hash }, grant);
  const after = { ...written.after, passwordChanged: true };
  await recordAudit(trx, ctx, { entity: Resource.USERS, entityId: current.id, action: Action.UPDATE, before: current.before, after });
}

/** Changes to user accounts by administrators, and to one's own password: each audited in its transaction. */
export const userAdminService = {
  async create(ctx: Context, input: UserCreateInput): Promise<User | null> {
    ctx.access.require(Resource.USERS, Action.CREATE, 'users');
    const kind = input.kind ?? UserKind.PERSON;
    const username = checkUsername(input.username, 'input.username');
    const orgUnitId = parseId(input.orgUnitId, 'input.orgUnitId');
    if (input.email != null) requireEmailGrant(ctx);
    if (kind === UserKind.SERVICE && input.password != null) {
      throw badInput('input.password: a SERVICE account has no password; it uses API tokens (createApiToken)');
    }
    if (kind === UserKind.PERSON && input.password == null) throw badInput('input.password is required for a PERSON');
    // Hashed before the transaction: argon2 is slow on purpose, and no lock need wait for it.
    const hash = input.password == null ? null : await hashPassword(checkPassword(input.password, 'input.password'));
    const values = {
      username,
      full_name: checkFullName(input.fullName, 'input.fullName'),
      email: checkEmail(input.email, 'input.email'),
      org_unit_id: orgUnitId,
      kind,
      password_hash: hash,
    };
    return ctx.db.transaction(async (trx) => {
      const edit = new UserEditRepository(trx, ctx.access);
      if (!(await edit.orgUnitExists(orgUnitId))) throw badInput(`input.orgUnitId: org unit ${orgUnitId} does not exist`);
      // The unique index decides races; this gives the usual case a message that names the field.
      if (await edit.usernameTaken(username)) throw new AppError('CONFLICT', `input.username: the username ${username} is taken`);
      const written = await edit.insert(values);
      if (!written.allowed) throw forbidden('you may not create users in that directorate: your grant is limited to your own');
      await recordAudit(trx, ctx, { entity: Resource.USERS, entityId: written.id, action: Action.CREATE, before: null, after: written.after });
      return reload(ctx, trx, written.id);
    });
  },

  async update(ctx: Context, idArg: string, input: UserUpdateInput): Promise<User | null> {
    ctx.access.require(Resource.USERS, Action.UPDATE, 'users');
    const id = parseId(idArg, 'id');
    const values: Record<string, Knex.Value> = {};
    for (const field of ['fullName', 'orgUnitId', 'active'] as const) {
      if (input[field] === null) throw badInput(`input.${field} cannot be null`);
    }
    if (input.fullName != null) values.full_name = checkFullName(input.fullName, 'input.fullName');
    if (input.email !== undefined) {
      requireEmailGrant(ctx);
      values.email = checkEmail(input.email, 'input.email');
    }
    const orgUnitId = input.orgUnitId == null ? null : parseId(input.orgUnitId, 'input.orgUnitId');
    if (orgUnitId !== null) values.org_unit_id = orgUnitId;
    if (input.active != null) {
      if (!input.active && id === ctx.identity?.userId) throw badInput('input.active: you cannot deactivate your own account');
      values.active = input.active;
    }
    if (Object.keys(values).length === 0) throw badInput('input changes nothing: give at least one field');
    return ctx.db.transaction(async (trx) => {
      const edit = new UserEditRepository(trx, ctx.access);
      const current = await lock(edit, id, UPDATE_USERS);
      await requireWithinOwnGrants(ctx, trx, { account: id }, `change user ${id}`);
      if (orgUnitId !== null && !(await edit.orgUnitExists(orgUnitId))) throw badInput(`input.orgUnitId: org unit ${orgUnitId} does not exist`);
      // The user is locked, and giving custody locks the receiver too: no asset can arrive meanwhile.
      if (input.active === false) {
        const held = await edit.assetsInCustody(id);
        if (held > 0) {
          throw new AppError(
            'CONFLICT',
            `${current.username} holds ${held} asset${held === 1 ? '' : 's'} in custody (zimmet) and cannot be deactivated until they are handed over: use the handover mutation (handover(fromUserId, toUserId)), or returnCustody for each`,
            { assetsInCustody: held },
          );
        }
      }
      const written = await edit.update(id, values, UPDATE_USERS);
      if (!written.allowed) throw forbidden(`you may not move user ${id} out of the directorate where you may update users`);
      // Grants limited to the holder's directorate follow the account into its new one.
      if (orgUnitId !== null) await requireWithinOwnGrants(ctx, trx, { account: id }, `move user ${id} to org unit ${orgUnitId}`);
      await recordAudit(trx, ctx, { entity: Resource.USERS, entityId: id, action: Action.UPDATE, before: current.before, after: written.after });
      return reload(ctx, trx, id);
    });
  },

  async setPassword(ctx: Context, idArg: string, password: string): Promise<User | null> {
    ctx.access.require(Resource.USERS, Action.UPDATE, 'users');
    const id = parseId(idArg, 'id');
    const hash = await hashPassword(checkPassword(password, 'password'));
    return ctx.db.transaction(async (trx) => {
      const current = await lock(new UserEditRepository(trx, ctx.access), id, UPDATE_USERS);
      // Whoever sets the password logs in as the account: only someone who may do all it may.
      await requireWithinOwnGrants(ctx, trx, { account: id }, `set the password of user ${id}`);
      if (current.kind !== UserKind.PERSON) throw badInput(`id: ${current.username} is a service account: it has no password, it uses API tokens`);
      await writePassword(ctx, trx, current, hash, UPDATE_USERS);
      return reload(ctx, trx, id);
    });
  },

  /** Anyone who logged in may change their own password, knowing the current one. */
  async changeMyPassword(ctx: Context, currentPassword: string, newPassword: string): Promise<boolean> {
    const self = ctx.identity;
    if (!self) throw new AppError('UNAUTHENTICATED', 'log in to change your password');
    if (newPassword === currentPassword) throw badInput('newPassword: the new password must differ from the current one');
    const hash = await hashPassword(checkPassword(newPassword, 'newPassword'));
    await ctx.db.transaction(async (trx) => {
      const current = await new UserEditRepository(trx, ctx.access).lock(self.userId, null);
      if (!current) throw notFound('user', self.userId);
      if (current.kind !== UserKind.PERSON || !current.passwordHash) throw badInput('this account has no password: service accounts use API tokens');
      if (!(await verifyPassword(current.passwordHash, currentPassword))) throw badInput('currentPassword: this is not your current password');
      await writePassword(ctx, trx, current, hash, null);
    });
    return true;
  },
};
