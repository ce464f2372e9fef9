import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../common/errors/app-error';
import type { Knex } from 'knex';
import { requestScopeOf, type LoginGuard } from '../../common/limits';

export interface LoginThrottleSettings {
  /** Failed logins of one account within the window that lock it. */
  failuresPerAccount: number;
  /** Failed logins from one client address within the window that lock it. */
  failuresPerAddress: number;
  /** The window failures are counted in, from the first one. */
  windowSeconds: number;
  /** How long a locked account or address is refused. */
  lockSeconds: number;
}

/**
 * Slows password guessing (rate-limiter-flexible, in memory: one server process). Every attempt
 * takes a point from its account (the username as typed, case-folded, whether or not it exists) and
 * from its client address before the password is checked, so parallel guesses count too; a
 * successful login gives them back and clears the account's failures. The attempt after the limit
 * locks the account (or address) for `lockSeconds`: until then every attempt, even with the right
 * password, is refused with TOO_MANY_REQUESTS (HTTP 429, `Retry-After`) without checking it.
 */
export class LoginThrottle implements LoginGuard {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(settings: LoginThrottleSettings) {
    const options = { duration: settings.windowSeconds, blockDuration: settings.lockSeconds };
    this.byAccount = new RateLimiterMemory({ ...options, keyPrefix: 'login-account', points: settings.failuresPerAccount });
    this.byAddress = new RateLimiterMemory({ ...options, keyPrefix: 'login-address', points: settings.failuresPerAddress });
  }

  async attempt<T>(username: string, address: string, login: () => Promise<T>): Promise<T> {
    const account = username.trim().toLowerCase();
    const [a, b] = await Promise.allSettled([this.byAccount.consume(account), this.byAddress.consume(address)]);
    if (a.status === 'rejected' || b.status === 'rejected') {
      // A refused attempt checks no password: it is not a failure of the side that let it through.
      if (a.status === 'fulfilled') await this.byAccount.reward(account);
      if (b.status === 'fulfilled') await this.byAddress.reward(address);
      throw refusal(a.status === 'rejected' ? a.reason : null, b.status === 'rejected' ? b.reason : null);
    }
    try {
      const result = await login();
      await Promise.all([this.byAccount.delete(account), this.byAddress.reward(address)]);
      return result;
    } catch (err) {
      // Only a wrong password counts; a fault of the server does not.
      if (!(err instanceof AppError && err.code === 'UNAUTHENTICATED')) {
        await Promise.all([this.byAccount.reward(account), this.byAddress.reward(address)]);
      }
      throw err;
    }
  }

  /**
   * Whether the next attempt of the account or from the address would be refused (no failure left,
   * or locked); takes no point. HTTP Basic asks before it reuses a password check: credentials
   * already checked go through `attempt` again then, so that a locked account refuses even the right
   * password there too.
   */
  async exhausted(username: string, address: string): Promise<boolean> {
    const [a, b] = await Promise.all([this.byAccount.get(username.trim().toLowerCase()), this.byAddress.get(address)]);
    return (a !== null && a.consumedPoints >= this.byAccount.points) || (b !== null && b.consumedPoints >= this.byAddress.points);
  }
}

/** The TOO_MANY_REQUESTS of a refused account (first) or address, with the longer wait. */
function refusal(account: unknown, address: unknown): AppError {
  const refused = [account, address].filter((r) => r !== null);
  const waitMs = Math.max(...refused.map((r) => (r instanceof RateLimiterRes ? r.msBeforeNext : 1000)));
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const which = account !== null ? 'for this account' : 'from this address';
  return new AppError('TOO_MANY_REQUESTS', `too many failed logins ${which}: try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** Runs a login under the throttle of the request `db` belongs to (a GraphQL request over HTTP). */
export function throttledLogin<T>(db: Knex, username: string, login: () => Promise<T>): Promise<T> {
  const scope = requestScopeOf(db);
  return scope?.logins ? scope.logins.attempt(username, scope.address, login) : login();
}
