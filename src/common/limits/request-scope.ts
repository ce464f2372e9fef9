import { AppError } from '../errors/app-error';

/** Checks a login attempt against the failed logins of its account and its client address. */
export interface LoginGuard {
  attempt<T>(username: string, address: string, login: () => Promise<T>): Promise<T>;
  /** Whether the next attempt would be refused (no failure left, or locked), without counting one. */
  exhausted(username: string, address: string): Promise<boolean>;
}

/** What the limits below the resolvers (database statements, logins) need to know of a request. */
export interface RequestScope {
  /** The client's address (Express's `req.ip`: behind trusted proxies, the forwarded one). */
  address: string;
  /** When the request's database work must have ended (ms since the epoch); Infinity for none. */
  deadline: number;
  /** The deadline's length in ms, for messages; 0 for none. */
  timeoutMs: number;
  /** The request's share of the pool: connections it may hold at once. */
  connections: Permits;
  /** Login throttling, when the server has it. */
  logins?: LoginGuard;
}

export interface RequestScopeOptions {
  /** The request's deadline in ms from now; 0 for none. */
  timeoutMs: number;
  connectionsPerRequest: number;
  logins?: LoginGuard;
}

/** The scope of a request from `address` that starts now. */
export function newRequestScope(address: string, options: RequestScopeOptions): RequestScope {
  return {
    address,
    deadline: options.timeoutMs > 0 ? Date.now() + options.timeoutMs : Infinity,
    timeoutMs: options.timeoutMs,
    connections: new Permits(options.connectionsPerRequest),
    logins: options.logins,
  };
}

/** TIMEOUT for work of a request whose deadline has passed. */
export function deadlinePassed(scope: RequestScope): AppError {
  return new AppError(
    'TIMEOUT',
    `the request took longer than the ${scope.timeoutMs} ms the server allows and was cancelled; narrow it (a smaller page, area or period)`,
  );
}

/** A counting semaphore whose waits end at a deadline. */
export class Permits {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Resolves with a release function once a permit is free; rejects with `onExpiry()` at the deadline. */
  acquire(deadline: number, onExpiry: () => Error): Promise<() => void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const grant = () => {
        if (timer) clearTimeout(timer);
        resolve(this.releaser());
      };
      this.waiting.push(grant);
      if (Number.isFinite(deadline)) {
        timer = setTimeout(() => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(onExpiry());
        }, Math.max(0, deadline - Date.now()));
      }
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
