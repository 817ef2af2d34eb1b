import type { RequestHandler, Response } from 'express';

export interface Admission {
  /** Requests admitted and not yet answered (a request waiting between retries is not counted). */
  readonly inProgress: number;
  /** Requests waiting for their turn. */
  readonly waiting: number;
  middleware: RequestHandler;
}

/** What an admitted request can do with its place. */
export interface AdmittedRequest {
  /**
   * Gives the place up while `wait` runs — a backoff before retrying Google, which spends no
   * CPU and holds no connection — and takes it back before going on, ahead of the requests
   * that have not started yet. Without this, a Google outage would let through only
   * `limit` bookings per retry budget while every other participant waited in line.
   */
  whileWaiting<T>(wait: () => Promise<T>): Promise<T>;
}

const admitted = new WeakMap<Response, AdmittedRequest>();

/** The admission of the request answered by `res`, when it went through one. */
export function admittedRequest(res: Response): AdmittedRequest | undefined {
  return admitted.get(res);
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
    let state: 'waiting' | 'admitted' | 'paused' | 'done' = 'waiting';
    /** A paused request waiting to take its place back, and how to let it go on. */
    let resume: { take: () => void; goOn: () => void } | undefined;
    const admit = () => {
      if (state !== 'waiting') return;
      state = 'admitted';
      inProgress += 1;
      next();
    };
    const unqueue = (entry: () => void) => {
      const index = queue.indexOf(entry);
      if (index >= 0) queue.splice(index, 1);
    };
    const leave = () => {
      if (state === 'admitted') {
        inProgress -= 1;
        state = 'done';
        admitNext();
      } else if (state === 'waiting') {
        state = 'done';
        unqueue(admit);
      } else if (state === 'paused') {
        // The client went away between retries: the work goes on outside the count.
        state = 'done';
        if (resume) {
          unqueue(resume.take);
          resume.goOn();
        }
      }
    };
    const takeBack = (): Promise<void> => {
      if (state !== 'paused') return Promise.resolve();
      if (inProgress < limit) {
        state = 'admitted';
        inProgress += 1;
        return Promise.resolve();
      }
      return new Promise<void>((goOn) => {
        const take = () => {
          resume = undefined;
          if (state !== 'paused') return;
          state = 'admitted';
          inProgress += 1;
          goOn();
        };
        resume = { take, goOn };
        queue.unshift(take);
      });
    };
    admitted.set(res, {
      async whileWaiting(wait) {
        if (state !== 'admitted') return wait();
        state = 'paused';
        inProgress -= 1;
        admitNext();
        try {
          return await wait();
        } finally {
          await takeBack();
        }
      },
    });
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
