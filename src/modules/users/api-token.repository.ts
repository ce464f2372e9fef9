import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { USER_TARGET } from './user.repository';
import type { User } from './user.type';

/** An API token as listed: never its hash. */
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

/** A token as the audit trail keeps it: every column but the hash. */
export type TokenSnapshot = Record<string, unknown>;

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

/** Never the hash: whoever reads the audit log must not be able to test guesses against it. */
const SNAPSHOT = `to_jsonb(api_tokens) - 'token_hash' AS snapshot`;

/**
 * API tokens of service accounts. A token belongs to the directorate of its account: grants on
 * API_TOKENS limited to the own directorate go by the account's org unit.
 */
export class ApiTokenRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  private scope(access: Access, action: Action): Knex.Raw | null {
    return access.condition(this.db as Knex, Resource.API_TOKENS, action, USER_TARGET);
  }

  /** The token with this hash, with its user, in one statement. */
  async byHash(hash: string): Promise<{ token: ApiTokenRow; user: Pick<User, 'id' | 'username' | 'kind' | 'active' | 'orgUnitId'> } | undefined> {
    const row = await this.db('api_tokens')
      .join('users', 'users.id', 'api_tokens.user_id')
      .select(TOKEN_COLUMNS)
      .select('users.username', 'users.kind', 'users.active', 'users.org_unit_id as orgUnitId')
      .where('api_tokens.token_hash', hash)
      .first();
    if (!row) return undefined;
    const { username, kind, active, orgUnitId, ...token } = row;
    return { token: token as ApiTokenRow, user: { id: token.userId, username, kind, active, orgUnitId } };
  }

  async touch(id: number): Promise<void> {
    await this.db('api_tokens').where({ id }).update({ last_used_at: this.db.fn.now() });
  }

  async insert(row: { userId: number; name: string; tokenPrefix: string; tokenHash: string; expiresAt: Date | null }): Promise<{ token: ApiTokenRow; snapshot: TokenSnapshot }> {
    const { rows } = await this.db.raw(
      `INSERT INTO api_tokens (user_id, name, token_prefix, token_hash, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING ?, ${SNAPSHOT}`,
      [row.userId, row.name, row.tokenPrefix, row.tokenHash, row.expiresAt, this.db.raw(TOKEN_COLUMNS.map(() => '??').join(', '), TOKEN_COLUMNS)],
    );
    const { snapshot, ...token } = rows[0];
    return { token: token as ApiTokenRow, snapshot };
  }

  /** Marks a token revoked (keeping the first revocation time); false when there is no such token. */
  async revoke(id: number): Promise<boolean> {
    const n = await this.db('api_tokens').where({ id }).update({ revoked_at: this.db.raw('coalesce(revoked_at, now())') });
    return n > 0;
  }

  /** Tokens by id (all of them, or of one user); with an Access, only those it may read. */
  list(filter: { userIds?: readonly number[]; ids?: readonly number[] } = {}, access?: Access): Promise<ApiTokenRow[]> {
    const qb = this.db('api_tokens').select(TOKEN_COLUMNS).orderBy('api_tokens.id');
    if (filter.userIds) qb.whereIn('api_tokens.user_id', [...filter.userIds]);
    if (filter.ids) qb.whereIn('api_tokens.id', [...filter.ids]);
    const scope = access ? this.scope(access, Action.READ) : null;
    if (scope) qb.whereExists(this.db('users').whereRaw('users.id = api_tokens.user_id').where(scope));
    return qb;
  }

  /**
   * The readable token, locked, with whether `action` is allowed on it; undefined when there is
   * none (or it may not be read).
   */
  async lock(id: number, access: Access, action: Action): Promise<{ token: ApiTokenRow; allowed: boolean; before: TokenSnapshot } | undefined> {
    const read = this.scope(access, Action.READ);
    const write = this.scope(access, action);
    const qb = this.db('api_tokens')
      .join('users', 'users.id', 'api_tokens.user_id')
      .select([...TOKEN_COLUMNS, this.db.raw(SNAPSHOT), write ? this.db.raw('coalesce(?, false) AS allowed', [write]) : this.db.raw('true AS allowed')])
      .where('api_tokens.id', id)
      .forUpdate('api_tokens');
    if (read) qb.where(read);
    const row = await qb.first();
    if (!row) return undefined;
    const { snapshot, allowed, ...token } = row;
    return { token, allowed, before: snapshot };
  }
}
