import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { badInput } from '../../common/errors/app-error';
import type { Access } from '../../common/auth/access';
import { signAccessToken, unauthenticated, verifyAccessToken } from '../../common/auth/access-token';
import type { AuthSettings } from '../../common/auth/identity';
import { loadAccess } from '../permissions';
import { hashPassword, verifyPassword } from '../../common/auth/password';
import { ApiTokenRepository, type ApiTokenRow, type TokenSnapshot } from './api-token.repository';
import { UserRepository } from './user.repository';
import { UserKind, type AuthPayload, type User } from './user.type';
import { parseBasicCredentials, type BasicCredentials } from '../../common/auth/basic-credentials';

/** Checks HTTP Basic credentials for a route that takes them (see BasicAuthenticator). */
export interface BasicLogin {
  authenticate(db: Knex, credentials: BasicCredentials): Promise<Access>;
}

const API_TOKEN_PREFIX = 'kbs_';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const authService = {
  /** Checks a username and password; a signed access token for the user when they match. */
  async login(db: Knex, settings: AuthSettings, username: string, password: string): Promise<AuthPayload> {
    const user = await authService.checkPassword(db, username, password);
    const { passwordHash: _hash, sessionGeneration: _generation, ...publicUser } = user;
    // The generation read with the hash: a password changed since this row was read ends the session.
    const { token: accessToken, expiresAt } = signAccessToken(settings, user);
    return { accessToken, tokenType: 'Bearer', expiresAt, user: publicUser };
  },

  /**
   * The active member of staff with this username and password (argon2id), as stored when the hash
   * was read; UNAUTHENTICATED otherwise, with one answer for every failure. The caller throttles it
   * (throttledLogin, or the login guard of HTTP Basic).
   */
  async checkPassword(db: Knex, username: string, password: string): Promise<User & { passwordHash: string | null; sessionGeneration: number }> {
    const user = await new UserRepository(db).withPasswordHash(username);
    // One answer for every failure, so that it does not tell which usernames exist.
    const refused = unauthenticated('wrong username or password');
    if (!user || !user.passwordHash || !user.active || user.kind !== UserKind.PERSON) {
      // Spend the time a real check takes, so that timing does not tell either.
      await verifyPassword(await dummyHash(), password);
      throw refused;
    }
    if (!(await verifyPassword(user.passwordHash, password))) throw refused;
    return user;
  },

  /** Whether a secret has the form of this server's API tokens (not whether it is one). */
  isApiToken: (secret: string) => secret.startsWith(API_TOKEN_PREFIX),

  /**
   * The access of an API token; null when no token has this secret. UNAUTHENTICATED unless it is
   * unrevoked, unexpired and of an active account (and, with `username`, of the account so named:
   * HTTP Basic gives both). Marks it used.
   */
  async apiTokenAccess(db: Knex, secret: string, username?: string): Promise<Access | null> {
    const tokens = new ApiTokenRepository(db);
    const found = await tokens.byHash(sha256(secret));
    if (!found) return null;
    if (username !== undefined && found.user.username.toLowerCase() !== username.trim().toLowerCase()) {
      throw unauthenticated('this API token belongs to another account: give the username of the service account it was issued to');
    }
    if (found.token.revokedAt) throw unauthenticated('this API token was revoked');
    if (found.token.expiresAt && found.token.expiresAt.getTime() <= Date.now()) throw unauthenticated('this API token has expired');
    if (!found.user.active) throw unauthenticated('the account of this API token is deactivated');
    await tokens.touch(found.token.id);
    const { access } = await loadAccess(db, found.user.id, (u) => ({
      userId: u.id,
      orgUnitId: u.orgUnitId,
      username: u.username,
      via: 'API_TOKEN',
      apiTokenId: found.token.id,
    }));
    return access;
  },

  /**
   * What an Authorization header lets the request do: the identity it proves with its grants, the
   * public role's grants without a header (anonymous), UNAUTHENTICATED for anything given that is
   * not a valid, unexpired, unrevoked token of an active user. `Basic` credentials are checked by
   * `basic` where the route takes them (/ogc and /tiles); elsewhere (GraphQL) they are refused.
   */
  async authenticate(db: Knex, settings: AuthSettings, header: string | undefined, basic?: BasicLogin): Promise<Access> {
    if (header === undefined || header.trim() === '') return (await loadAccess(db, null)).access;
    const basicMatch = /^Basic(?:\s+(\S*))?\s*$/i.exec(header.trim());
    if (basicMatch && basic) return basic.authenticate(db, parseBasicCredentials(basicMatch[1] ?? ''));
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw unauthenticated(
        basicMatch
          ? 'the Authorization header must be "Bearer <token>" here: log in for an access token (Basic with a username and password is taken on /ogc and /tiles only)'
          : 'the Authorization header must be "Bearer <token>"' + (basic ? ' or "Basic <base64 of username:password>"' : ''),
      );
    }
    const token = match[1];
    if (authService.isApiToken(token)) {
      const access = await authService.apiTokenAccess(db, token);
      if (!access) throw unauthenticated('unknown API token');
      return access;
    }

    const claims = verifyAccessToken(settings, token);
    // The account and its grants in one statement: a deactivated account, or a password changed
    // since the token was issued, stops it at once.
    const { access, user } = await loadAccess(db, claims.userId);
    if (!user || !user.active) throw unauthenticated('the account of this access token is deactivated');
    if (user.sessionGeneration !== claims.sessionGeneration) {
      throw unauthenticated('this session has ended: the password was changed after you logged in; log in again');
    }
    return access;
  },

  /**
   * Issues an API token to the service account named `username` (the token script). The secret
   * is returned once, here; only its hash is stored.
   */
  async createApiToken(db: Knex, username: string, name: string, expiresAt: Date | null): Promise<{ token: ApiTokenRow; secret: string }> {
    const user = await new UserRepository(db).byUsername(username);
    if (!user) throw badInput(`no user named ${username}`);
    const { token, secret } = await authService.issueApiToken(db, user, name, expiresAt);
    return { token, secret };
  },

  /**
   * Issues an API token to a service account already read, on the caller's connection or
   * transaction (the createApiToken mutation audits it there). Also the token's audit snapshot.
   */
  async issueApiToken(
    db: Knex | Knex.Transaction,
    user: Pick<User, 'id' | 'username' | 'kind'>,
    name: string,
    expiresAt: Date | null,
  ): Promise<{ token: ApiTokenRow; secret: string; snapshot: TokenSnapshot }> {
    if (user.kind !== UserKind.SERVICE) throw badInput(`userId: ${user.username} is not a service account: API tokens are for SERVICE accounts`);
    if (!name.trim()) throw badInput('name: the token needs a name that says what it is for');
    if (name.trim().length > 200) throw badInput('name: at most 200 characters');
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw badInput('expiresAt must be in the future');
    const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const { token, snapshot } = await new ApiTokenRepository(db).insert({
      userId: user.id,
      name: name.trim(),
      tokenPrefix: secret.slice(0, API_TOKEN_PREFIX.length + 8),
      tokenHash: sha256(secret),
      expiresAt,
    });
    return { token, secret, snapshot };
  },
};

// The hash of a random password, checked when the user does not exist (made once, on first use).
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));
