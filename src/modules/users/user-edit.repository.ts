import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { USER_TARGET } from './user.repository';
import type { UserKind } from './user.type';

/** A user as the audit trail keeps it: every column but the password hash. */
export type UserSnapshot = Record<string, unknown>;

// Never the hash: whoever reads the audit log must not be able to test guesses against it.
const SNAPSHOT = `to_jsonb(users) - 'password_hash' AS snapshot`;

/** The user a write is about to change, locked, with what this request may do to it. */
export interface LockedUser {
  id: number;
  username: string;
  kind: UserKind;
  /** The row meets the scope of the write (besides being readable). */
  allowed: boolean;
  passwordHash: string | null;
  before: UserSnapshot;
}

/** The row as an insert or update left it. */
export interface WrittenUser {
  id: number;
  /** The row as written meets the scope of the write (e.g. it stayed in the writer's directorate). */
  allowed: boolean;
  after: UserSnapshot;
}

/** What a write is checked against: the grant's resource and action, on the user's directorate. */
export interface WriteGrant {
  resource: Resource;
  action: Action;
}

/**
 * The SQL of changes to users, on the caller's transaction. Scope checks happen in PostgreSQL, on
 * the row before (lock) and as written (RETURNING), as the layer edits do: a directorate-limited
 * administrator can neither reach out of their directorate nor move a user out of or into it.
 */
export class UserEditRepository {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly access: Access,
  ) {}

  private allowed(grant: WriteGrant | null): Knex.Raw {
    if (!grant) return this.trx.raw('true AS allowed');
    const scope = this.access.condition(this.trx as unknown as Knex, grant.resource, grant.action, USER_TARGET);
    return scope ? this.trx.raw('coalesce(?, false) AS allowed', [scope]) : this.trx.raw('true AS allowed');
  }

  /**
   * The user, locked until the transaction ends; undefined when there is none or it is outside the
   * request's USERS READ scope. With `grant` null the request acts on its own account: no scope.
   */
  async lock(id: number, grant: WriteGrant | null): Promise<LockedUser | undefined> {
    const qb = this.trx('users')
      .select(
        'users.id',
        'users.username',
        'users.kind',
        'users.password_hash as passwordHash',
        this.allowed(grant),
        this.trx.raw(SNAPSHOT),
      )
      .where('users.id', id)
      .forUpdate();
    const read = grant ? this.access.condition(this.trx as unknown as Knex, Resource.USERS, Action.READ, USER_TARGET) : null;
    if (read) qb.where(read);
    const row = await qb.first();
    if (!row) return undefined;
    const { snapshot, ...rest } = row;
    return { ...rest, before: snapshot };
  }

  private returning(grant: WriteGrant | null): Knex.Raw {
    return this.trx.raw(`users.id, ?, ${SNAPSHOT}`, [this.allowed(grant)]);
  }

  async insert(values: Record<string, Knex.Value>): Promise<WrittenUser> {
    const columns = Object.keys(values);
    const { rows } = await this.trx.raw(
      `INSERT INTO users (${columns.map(() => '??').join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING ?`,
      [...columns, ...Object.values(values), this.returning({ resource: Resource.USERS, action: Action.CREATE })],
    );
    return { id: rows[0].id, allowed: rows[0].allowed, after: rows[0].snapshot };
  }

  /**
   * Sets the values and updated_at; `allowed` says whether the row as written is in the scope of
   * `grant` (always, with null: the request's own account).
   */
  async update(id: number, values: Record<string, Knex.Value>, grant: WriteGrant | null): Promise<WrittenUser> {
    const set = Object.entries(values);
    const { rows } = await this.trx.raw(`UPDATE users SET ${set.map(() => '?? = ?').join(', ')}, updated_at = now() WHERE users.id = ? RETURNING ?`, [
      ...set.flat(),
      id,
      this.returning(grant),
    ]);
    return { id, allowed: rows[0].allowed, after: rows[0].snapshot };
  }

  /** How many assets the user holds in custody now (a person holding any cannot be deactivated). */
  async assetsInCustody(id: number): Promise<number> {
    const row = await this.trx('custody').where('holder_user_id', id).whereNull('to_at').count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  async orgUnitExists(id: number): Promise<boolean> {
    return (await this.trx('org_units').where({ id }).first('id')) !== undefined;
  }

  /** Whether another account has this username (ignoring case). */
  async usernameTaken(username: string): Promise<boolean> {
    return (await this.trx('users').whereRaw('lower(username) = lower(?)', [username]).first('id')) !== undefined;
  }
}
