import type { RequestHandler } from 'express';

export interface Admission {
  /** Requests admitted and not yet answered. */
  readonly inProgress: number;
  /** Requests waiting for their turn. */
  readonly waiting: number;
  middleware: RequestHandler;
}

/**
 * Bounded admission for an expensive route: at most `limit` of its requests run at once; the
 * others wait their turn in arrival order, holding no database connection and spending no
 * CPU. Without it, 64 bookings at once hold every pooled connection in turn, and a cheap read
 * (a slot list) queues behind all of them for the pool. A request leaves its place when its
 * answer is sent or its client goes away, whichever comes first; a client that goes away
 * while waiting is never admitted.
 */
export function createAdmission(limit: number): Admission {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('admission limit must be a whole number ≥ 1');
  let inProgress = 0;
  const queue: (() => void)[] = [];

  const admitNext = () => {
    while (inProgress < limit && queue.length > 0) {
      const next = queue.shift() as () => void;
      next();
    }
  };

  const middleware: RequestHandler = (req, res, next) => {
    let state: 'waiting' | 'admitted' | 'done' = 'waiting';
    const admit = () => {
      if (state !== 'waiting') return;
      state = 'admitted';
      inProgress += 1;
      next();
    };
    const leave = () => {
      if (state === 'admitted') {
        inProgress -= 1;
        state = 'done';
        admitNext();
      } else if (state === 'waiting') {
        state = 'done';
        const index = queue.indexOf(admit);
        if (index >= 0) queue.splice(index, 1);
      }
    };
    res.once('finish', leave);
    res.once('close', leave);
    if (inProgress < limit && queue.length === 0) admit();
    else queue.push(admit);
  };

  return {
    get inProgress() {
      return inProgress;
    },
    get waiting() {
      return queue.length;
    },
    middleware,
  };
}
