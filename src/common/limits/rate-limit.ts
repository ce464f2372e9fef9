import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';
import { sendHttpError, type ErrorBodyShape } from '../errors/client-error';

export interface AnonymousRateLimitSettings {
  /** Requests without a token one client address may make per window; 0: no limit. */
  requests: number;
  windowSeconds: number;
}

/**
 * A request-rate limit for requests without an Authorization header, per client address
 * (rate-limiter-flexible, in memory: one server process). One budget for every route it is mounted
 * on; `middleware(shape)` answers over-limit requests with 429, `Retry-After` and the route's error
 * body. Requests with a token are not counted here: a bad token is refused (401) on its own.
 */
export function anonymousRateLimit(settings: AnonymousRateLimitSettings, log: (message: string, err: unknown) => void) {
  const limiter = settings.requests > 0 ? new RateLimiterMemory({ keyPrefix: 'anonymous', points: settings.requests, duration: settings.windowSeconds }) : undefined;
  return {
    middleware(shape: ErrorBodyShape): RequestHandler {
      return (req, res, next) => {
        if (!limiter || req.header('authorization')?.trim()) return next();
        limiter.consume(req.ip ?? 'unknown').then(
          () => next(),
          (refused: unknown) => {
            if (!(refused instanceof RateLimiterRes)) return next(refused);
            const seconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
            res.setHeader('retry-after', String(seconds));
            const err = new AppError(
              'TOO_MANY_REQUESTS',
              `too many requests without a token from this address (at most ${settings.requests} in ${settings.windowSeconds} s): try again in ${seconds} s, or log in`,
              { retryAfterSeconds: seconds },
            );
            sendHttpError(res, err, log, 'rate limit', shape);
          },
        );
      };
    },
  };
}
