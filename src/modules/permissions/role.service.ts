import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { recordAudit } from '../audit';
import { requireWithinOwnGrants } from './escalation';
import { checkGrants } from './role-grants';
import { RoleEditRepository, type LockedRole } from './role-edit.repository';
import type { RoleCreateInput, RoleUpdateInput } from './role.inputs';
import { RoleRepository } from './role.repository';
import type { Role } from './role.type';

const CODE = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const MAX_TEXT = 500;

function checkCode(code: string, argument: string): string {
  const trimmed = code.trim();
  if (!CODE.test(trimmed)) {
    throw badInput(`${argument}: "${code}" is not a role code: 2 to 63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return trimmed;
}

function checkText(value: string, argument: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${argument} must not be empty`);
  if (trimmed.length > MAX_TEXT) throw badInput(`${argument} may be at most ${MAX_TEXT} characters`);
  return trimmed;
}

/**
 * Roles are nowhere on the map and belong to no directorate, so changing one takes a grant
 * without such limits (a directorate-limited ROLES UPDATE grant only assigns roles to the
 * directorate's users).
 */
function requireEverywhere(ctx: Context, action: Action.CREATE | Action.UPDATE | Action.DELETE): void {
  ctx.access.require(Resource.ROLES, action, 'roles');
  if (!ctx.access.canEverywhere(Resource.ROLES, action)) {
    throw forbidden(`you may not ${action.toLowerCase()} roles: your grant is limited to a directorate or an area, and roles belong to neither`);
  }
}

/** The role, locked until the transaction ends; NOT_FOUND when there is none. */
async function lock(edit: RoleEditRepository, id: number): Promise<LockedRole> {
  const current = await edit.lock(id);
  if (!current) throw notFound('role', id);
  return current;
}

/** CONFLICT when the role has changed since the client read it. */
function checkVersion(current: LockedRole, version: number): void {
  if (current.version === version) return;
  throw new AppError('CONFLICT', `role ${current.id} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
    currentVersion: current.version,
  });
}

/** Roles and their grants: reads for those with a ROLES READ grant, audited changes for administrators. */
export const roleService = {
  list(ctx: Context): Promise<Role[]> {
    ctx.access.require(Resource.ROLES, Action.READ, 'roles');
    return new RoleRepository(ctx.db, ctx.access).list();
  },

  async get(ctx: Context, idArg: string): Promise<Role> {
    ctx.access.require(Resource.ROLES, Action.READ, 'roles');
    const [role] = await new RoleRepository(ctx.db, ctx.access).list([parseId(idArg, 'id')]);
    if (!role) throw notFound('role', idArg);
    return role;
  },

  async create(ctx: Context, input: RoleCreateInput): Promise<Role | null> {
    requireEverywhere(ctx, Action.CREATE);
    const values = {
      code: checkCode(input.code, 'input.code'),
      name: checkText(input.name, 'input.name'),
      description: input.description?.trim() || null,
    };
    return ctx.db.transaction(async (trx) => {
      const grants = await checkGrants(ctx, trx, input.grants, false, 'input.grants');
      const edit = new RoleEditRepository(trx);
      const roleId = await edit.insert(values);
      await edit.replaceGrants(roleId, grants);
      await requireWithinOwnGrants(ctx, trx, { role: roleId }, `create role ${values.code}`, { explain: true });
      await recordAudit(trx, ctx, { entity: Resource.ROLES, entityId: roleId, action: Action.CREATE, before: null, after: await edit.snapshotOf(roleId) });
      return reload(ctx, trx, roleId);
    });
  },

  async update(ctx: Context, idArg: string, version: number, input: RoleUpdateInput): Promise<Role | null> {
    requireEverywhere(ctx, Action.UPDATE);
    const id = parseId(idArg, 'id');
    const values: Record<string, unknown> = {};
    if (input.code != null) values.code = checkCode(input.code, 'input.code');
    if (input.name != null) values.name = checkText(input.name, 'input.name');
    if (input.description !== undefined) values.description = input.description?.trim() || null;
    if (Object.keys(values).length === 0 && input.grants == null) throw badInput('input changes nothing: give a field or the grants');
    return ctx.db.transaction(async (trx) => {
      const edit = new RoleEditRepository(trx);
      const current = await lock(edit, id);
      checkVersion(current, version);
      if (current.isPublic && values.code !== undefined && values.code !== current.code) {
        throw badInput('input.code: the public role cannot be renamed: anonymous requests find their grants by its code');
      }
      // Locked: no holder can be added meanwhile (setUserRoles locks the roles it gives FOR SHARE).
      await requireWithinOwnGrants(ctx, trx, { role: id }, `change role ${current.code}`);
      const grants = input.grants == null ? null : await checkGrants(ctx, trx, input.grants, current.isPublic, 'input.grants');
      await edit.update(id, values);
      if (grants) {
        await edit.replaceGrants(id, grants);
        // As the writer would hold them, and as every holder of the role now does.
        await requireWithinOwnGrants(ctx, trx, { role: id }, `give role ${current.code} these grants`, { explain: true });
      }
      await recordAudit(trx, ctx, { entity: Resource.ROLES, entityId: id, action: Action.UPDATE, before: current.before, after: await edit.snapshotOf(id) });
      return reload(ctx, trx, id);
    });
  },

  async delete(ctx: Context, idArg: string, version: number): Promise<string> {
    requireEverywhere(ctx, Action.DELETE);
    const id = parseId(idArg, 'id');
    await ctx.db.transaction(async (trx) => {
      const edit = new RoleEditRepository(trx);
      const current = await lock(edit, id);
      if (current.isPublic) throw badInput('id: the public role cannot be deleted: it holds what anonymous requests may read');
      checkVersion(current, version);
      await requireWithinOwnGrants(ctx, trx, { role: id }, `delete role ${current.code}`);
      const holders = await edit.holders(id);
      if (holders > 0) {
        throw new AppError('CONFLICT', `role ${current.code} is still held by ${holders} user(s): take it from them first (setUserRoles)`, { holders });
      }
      await edit.delete(id);
      await recordAudit(trx, ctx, { entity: Resource.ROLES, entityId: id, action: Action.DELETE, before: current.before, after: null });
    });
    return String(id);
  },
};

/** The role as the writer now reads it (null when the writer may not read roles), in the write's transaction: a committed write always gets its answer. */
async function reload(ctx: Context, trx: Knex.Transaction, id: number): Promise<Role | null> {
  if (!ctx.access.can(Resource.ROLES, Action.READ)) return null;
  const [role] = await new RoleRepository(trx, ctx.access).list([id]);
  return role ?? null;
}
