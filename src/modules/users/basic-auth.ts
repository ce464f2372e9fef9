import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { unauthenticated } from '../../common/auth/access-token';
import type { BasicCredentials } from '../../common/auth/basic-credentials';
import type { LoginGuard } from '../../common/limits';
import { accessStamp, loadAccess } from '../permissions';
import { authService, type BasicLogin } from './auth.service';

/** A password check that succeeded, kept for a short while. */
interface Verified {
  userId: number;
  /** The account's session generation when its password was checked: a password change ends it. */
  sessionGeneration: number;
  /** accessStamp() read before the check: any change to accounts, roles or grants ends it. */
  stamp: string;
  expiresAt: number;
}

export interface BasicAuthSettings {
  /** How long a successful password check is reused, in ms (0: never). */
  verifiedTtlMs: number;
  /** At most this many kept checks (the oldest go first). */
  maxVerified: number;
}

const DEFAULTS: BasicAuthSettings = { verifiedTtlMs: 60_000, maxVerified: 1000 };

/**
 * HTTP Basic for the routes desktop GIS clients read (/ogc, /tiles): a member of staff's username
 * and password, or a service account's username and one of its API tokens as the password.
 *
 * Every check goes through the login mutation's guard (LoginThrottle): failures count against the
 * account and the address exactly as failed logins do, and a locked account or address gets
 * TOO_MANY_REQUESTS (429, Retry-After) even with the right password.
 *
 * A map view asks for 20–50 tiles at once, each with the same header: a password is checked with
 * argon2 once, not per tile. Requests with the same credentials that arrive while they are being
 * checked wait for that one check (so they take one point of the throttle, not 50), and a check that
 * succeeded is reused for `verifiedTtlMs`, keyed by an HMAC of the credentials under a key made at
 * start (never the password itself), while nothing access depends on has changed (accessStamp: a
 * deactivation, a password change, a role or grant edit, in any process, ends it at once). API
 * tokens are looked up on every request, as Bearer tokens are (a SHA-256 and an indexed read), so a
 * revoked one stops at once.
 */
export class BasicAuthenticator {
  private readonly settings: BasicAuthSettings;
  private readonly key = randomBytes(32);
  private readonly verified = new Map<string, Verified>();
  private readonly checking = new Map<string, Promise<Access>>();

  constructor(
    private readonly guard: LoginGuard | undefined,
    settings: Partial<BasicAuthSettings> = {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
  }

  /** The BasicLogin of one request from `address` (the throttle counts by it). */
  from(address: string): BasicLogin {
    return { authenticate: (db, credentials) => this.authenticate(db, credentials, address) };
  }

  async authenticate(db: Knex, { username, password }: BasicCredentials, address: string): Promise<Access> {
    // The user-pass of RFC 7617: the username has no colon, so it says both unambiguously.
    const id = createHmac('sha256', this.key).update(`${username}:${password}`, 'utf8').digest('base64url');
    // An account or address with no failure left takes the throttle's way, as a login would: a
    // locked account refuses even the right password.
    const kept = (await this.guard?.exhausted(username, address)) ? undefined : await this.reuse(db, id);
    if (kept) return kept;
    // One check for the credentials, however many requests bring them at once; it counts one attempt.
    let check = this.checking.get(id);
    if (!check) {
      check = this.attempt(username, address, () => this.check(db, id, username, password)).finally(() => this.checking.delete(id));
      this.checking.set(id, check);
    }
    return check;
  }

  private attempt(username: string, address: string, check: () => Promise<Access>): Promise<Access> {
    return this.guard ? this.guard.attempt(username, address, check) : check();
  }

  /** The access of a kept check that is still good, else nothing (and the check is forgotten). */
  private async reuse(db: Knex, id: string): Promise<Access | undefined> {
    const kept = this.verified.get(id);
    if (!kept) return undefined;
    const stamp = await accessStamp(db);
    if (kept.expiresAt > Date.now() && kept.stamp === stamp) {
      const { access, user } = await loadAccess(db, kept.userId, passwordIdentity, stamp);
      if (user?.active && user.sessionGeneration === kept.sessionGeneration) return access;
    }
    this.verified.delete(id);
    return undefined;
  }

  private async check(db: Knex, id: string, username: string, password: string): Promise<Access> {
    if (authService.isApiToken(password)) {
      const byToken = await authService.apiTokenAccess(db, password, username);
      // Not a token this server issued: it may still be someone's password.
      if (byToken) return byToken;
    }
    const stamp = await accessStamp(db);
    const user = await authService.checkPassword(db, username, password);
    const { access, user: current } = await loadAccess(db, user.id, passwordIdentity, stamp);
    // Deactivated or given a new password between the two reads: as if the check had failed.
    if (!current?.active || current.sessionGeneration !== user.sessionGeneration) throw unauthenticated('wrong username or password');
    if (this.settings.verifiedTtlMs > 0) {
      this.verified.delete(id);
      this.verified.set(id, { userId: user.id, sessionGeneration: user.sessionGeneration, stamp, expiresAt: Date.now() + this.settings.verifiedTtlMs });
      if (this.verified.size > this.settings.maxVerified) this.verified.delete(this.verified.keys().next().value as string);
    }
    return access;
  }
}

const passwordIdentity = (u: { id: number; username: string; orgUnitId: number }) => ({
  userId: u.id,
  username: u.username,
  orgUnitId: u.orgUnitId,
  via: 'PASSWORD' as const,
});
