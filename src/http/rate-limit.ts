import type { Request, RequestHandler } from 'express';
import { TooManyRequests } from './problem';
import type { RateCounter } from './shared-rate-counter';

export interface RateLimit {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  /** What is counted: the client address, the booking token… */
  key: (req: Request) => string;
  name: string;
}

/**
 * A fixed-window limit per key, counted across instances by `counter` (windows aligned to
 * the clock, so every instance agrees on them). It protects the public booking routes
 * against a script hammering them, whichever instance the load balancer picks.
 */
export function rateLimit(rule: RateLimit, counter: RateCounter): RequestHandler {
  return async (req, _res, next) => {
    const now = Date.now();
    const windowStart = now - (now % rule.windowMs);
    const count = await counter.hit(rule.name, rule.key(req), windowStart, rule.windowMs);
    if (count > rule.limit) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
      throw new TooManyRequests(
        `Too many requests (${rule.name}). Wait ${retryAfter} s and try again.`,
        retryAfter,
      );
    }
    next();
  };
}
