import type { Knex } from 'knex';
import type { User } from './user.type';

/** The columns a grant's limits refer to on users: their directorate. */
export const USER_TARGET = { owner: 'users.org_unit_id' };

const USER_COLUMNS = ['users.id', 'users.username', 'users.full_name as fullName', 'users.kind', 'users.active', 'users.org_unit_id as orgUnitId'];

export interface ApiTokenRow {
  id: number;
  userId: number;
  name: string;
  tokenPrefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const TOKEN_COLUMNS = [
  'api_tokens.id',
  'api_tokens.user_id as userId',
  'api_tokens.name',
  'api_tokens.token_prefix as tokenPrefix',
  'api_tokens.created_at as createdAt',
  'api_tokens.expires_at as expiresAt',
  'api_tokens.revoked_at as revokedAt',
  'api_tokens.last_used_at as lastUsedAt',
];

/** Users and their API tokens. */
export class UserRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** The user and the password hash, by username (case-insensitive). */
  async withPasswordHash(username: string): Promise<(User & { passwordHash: string | null }) | undefined> {
    return this.db('users')
      .select([...USER_COLUMNS, 'users.password_hash as passwordHash'])
      .whereRaw('lower(users.username) = lower(?)', [username])
      .first();
  }

  /** Users by id; with a scope, only those it admits. */
  byIds(ids: readonly number[], scope: Knex.Raw | null = null): Promise<User[]> {
    const qb = this.db('users').select(USER_COLUMNS).whereIn('users.id', [...ids]);
    if (scope) qb.where(scope);
    return qb;
  }

  async byUsername(username: string): Promise<User | undefined> {
    return this.db('users').select(USER_COLUMNS).whereRaw('lower(users.username) = lower(?)', [username]).first();
  }

  /** The token with this hash, with its user, in one statement. */
  async apiTokenByHash(hash: string): Promise<{ token: ApiTokenRow; user: User } | undefined> {
    const row = await this.db('api_tokens')
      .join('users', 'users.id', 'api_tokens.user_id')
      .select(TOKEN_COLUMNS)
      .select('users.username', 'users.full_name as fullName', 'users.kind', 'users.active', 'users.org_unit_id as orgUnitId')
      .where('api_tokens.token_hash', hash)
      .first();
    if (!row) return undefined;
    const { username, fullName, kind, active, orgUnitId, ...token } = row;
    return { token: token as ApiTokenRow, user: { id: token.userId, username, fullName, kind, active, orgUnitId } };
  }

  async touchApiToken(id: number): Promise<void> {
    await this.db('api_tokens').where({ id }).update({ last_used_at: this.db.fn.now() });
  }

  async insertApiToken(row: { userId: number; name: string; tokenPrefix: string; tokenHash: string; expiresAt: Date | null }): Promise<ApiTokenRow> {
    const [inserted] = await this.db('api_tokens')
      .insert({ user_id: row.userId, name: row.name, token_prefix: row.tokenPrefix, token_hash: row.tokenHash, expires_at: row.expiresAt })
      .returning(TOKEN_COLUMNS.map((c) => c.replace('api_tokens.', '')));
    return inserted as ApiTokenRow;
  }

  /** Marks a token revoked; returns false when there is no such token. */
  async revokeApiToken(id: number): Promise<boolean> {
    const n = await this.db('api_tokens').where({ id }).update({ revoked_at: this.db.raw('coalesce(revoked_at, now())') });
    return n > 0;
  }

  apiTokens(userId?: number): Promise<ApiTokenRow[]> {
    const qb = this.db('api_tokens').select(TOKEN_COLUMNS).orderBy('api_tokens.id');
    if (userId !== undefined) qb.where('api_tokens.user_id', userId);
    return qb;
  }
}
