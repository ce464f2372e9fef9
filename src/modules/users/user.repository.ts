import type { Knex } from 'knex';
import type { Access, ScopeTarget } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import type { Cursor } from '../../common/pagination/cursor';
import { foldedContainsAny } from '../../db/text-search';
import type { User, UserKind } from './user.type';

/** The columns a grant's limits refer to on users: their directorate. */
export const USER_TARGET: ScopeTarget = { owner: 'users.org_unit_id' };

/** The User columns besides the sensitive ones. */
export const USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.full_name as fullName',
  'users.kind',
  'users.active',
  'users.org_unit_id as orgUnitId',
  'users.created_at as createdAt',
  'users.updated_at as updatedAt',
];

/** A users list request after validation. */
export interface UserQuery {
  search?: string | null;
  orgUnitId?: number | null;
  active?: boolean | null;
  kind?: UserKind | null;
}

/**
 * Reads of users. With an Access, every statement carries the request's USERS READ scope and the
 * e-mail is selected only on rows where a grant naming it applies (as the layers do with their
 * sensitive fields); without one, it reads as the system itself (login, `me`, the token script).
 */
export class UserRepository {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly access: Access | null = null,
  ) {}

  private condition(field?: string): Knex.Raw | null {
    return this.access ? this.access.condition(this.db as Knex, Resource.USERS, Action.READ, USER_TARGET, field) : null;
  }

  private columns(): (string | Knex.Raw)[] {
    const revealed = this.condition('email');
    if (revealed === null) return [...USER_COLUMNS, 'users.email'];
    return [
      ...USER_COLUMNS,
      this.db.raw('CASE WHEN ? THEN users.email END AS email', [revealed]),
      this.db.raw(`CASE WHEN ? THEN NULL ELSE ARRAY['email'] END AS withheld`, [revealed]),
    ];
  }

  private scoped(qb: Knex.QueryBuilder = this.db('users')): Knex.QueryBuilder {
    const scope = this.condition();
    if (scope) qb.where(scope);
    return qb;
  }

  /** The user, the password hash and the session generation, by username (case-insensitive). */
  async withPasswordHash(username: string): Promise<(User & { passwordHash: string | null; sessionGeneration: number }) | undefined> {
    return this.scoped()
      .select([...this.columns(), 'users.password_hash as passwordHash', 'users.session_generation as sessionGeneration'])
      .whereRaw('lower(users.username) = lower(?)', [username])
      .first();
  }

  /** Users by id, among those this repository may read. */
  byIds(ids: readonly number[]): Promise<User[]> {
    return this.scoped().select(this.columns()).whereIn('users.id', [...ids]);
  }

  async byUsername(username: string): Promise<User | undefined> {
    return this.scoped().select(this.columns()).whereRaw('lower(users.username) = lower(?)', [username]).first();
  }

  private filtered(q: UserQuery): Knex.QueryBuilder {
    const qb = this.scoped();
    // Not the e-mail: matching on it would tell its value to requests that may not read it.
    if (q.search) qb.where(foldedContainsAny(this.db as Knex, ['users.username', 'users.full_name'], q.search));
    if (q.orgUnitId != null) qb.where('users.org_unit_id', q.orgUnitId);
    if (q.active != null) qb.where('users.active', q.active);
    if (q.kind != null) qb.where('users.kind', q.kind);
    return qb;
  }

  /** One page by id, plus whether more follow. */
  async page(q: UserQuery, first: number, after?: Cursor): Promise<{ rows: User[]; hasNextPage: boolean }> {
    const qb = this.filtered(q).select(this.columns()).orderBy('users.id').limit(first + 1);
    if (after?.kind === 'id') qb.where('users.id', '>', after.id);
    const rows = (await qb) as User[];
    // One row more than asked was read to know whether another page follows.
    const hasNextPage = rows.length > first;
    if (hasNextPage) rows.length = first;
    return { rows, hasNextPage };
  }

  async count(q: UserQuery): Promise<number> {
    const row = await this.filtered(q).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }
}
