import type { Request, RequestHandler } from 'express';
import { TooManyRequests } from './problem';

export interface RateLimit {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  /** What is counted: the client address, the booking token… */
  key: (req: Request) => string;
  name: string;
}

/**
 * A fixed-window counter per key, in this process. It protects the public booking routes
 * against a script hammering them; it is not an accounting of quota, so per-instance
 * counting (several instances allow a little more in all) is good enough.
 */
export function rateLimit(rule: RateLimit): RequestHandler {
  const windows = new Map<string, { startedAt: number; count: number }>();
  let lastSweep = Date.now();
  return (req, _res, next) => {
    const now = Date.now();
    if (now - lastSweep > rule.windowMs) {
      for (const [key, window] of windows) if (now - window.startedAt >= rule.windowMs) windows.delete(key);
      lastSweep = now;
    }
    const key = rule.key(req);
    let window = windows.get(key);
    if (!window || now - window.startedAt >= rule.windowMs) {
      window = { startedAt: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > rule.limit) {
      const retryAfter = Math.ceil((window.startedAt + rule.windowMs - now) / 1000);
      throw new TooManyRequests(
        `Too many requests (${rule.name}). Wait ${retryAfter} s and try again.`,
        retryAfter,
      );
    }
    next();
  };
}
