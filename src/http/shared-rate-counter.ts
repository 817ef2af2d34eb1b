import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { sha256Hex } from '../security/secrets';
import { addRateCounts, deleteRateCountsBefore, readRateCount } from './rate-count-repository';

/** Counts requests per rule, key and fixed window; `hit` answers this request's number in it. */
export interface RateCounter {
  hit(rule: string, key: string, windowStart: number, windowMs: number): Promise<number>;
  /** Sends what this instance counted to the database now (tests; shutdown). */
  flush(): Promise<void>;
}

export interface SharedRateCounterOptions {
  knex: Knex;
  logger: Logger;
  /** How long this instance's counts may wait before the other instances see them. */
  flushIntervalMs?: number;
}

interface Entry {
  rule: string;
  keyHash: string;
  windowStart: number;
  windowMs: number;
  /** Requests this instance counted in the window, and how many of them are in the database. */
  seen: number;
  flushed: number;
  /** The database's total at the last read or flush (includes `flushed`). */
  total: number;
  loaded: Promise<void>;
}

/**
 * Rate limits shared by every instance through PostgreSQL, without a database write per
 * request: the first request of a key in a window reads the shared count; later ones are
 * counted here and added in one batched upsert every `flushIntervalMs`, which also brings
 * back what the other instances added. All instances together can exceed a limit only by
 * what arrives elsewhere within one flush interval.
 */
export function createSharedRateCounter(options: SharedRateCounterOptions): RateCounter {
  const { knex, logger } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 250;
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let lastCleanup = 0;

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushIntervalMs);
    timer.unref();
  }

  async function flushOnce(): Promise<void> {
    const now = Date.now();
    const due = [...entries.values()].filter((entry) => entry.seen > entry.flushed);
    const adding = due.map((entry) => ({ entry, add: entry.seen - entry.flushed }));
    try {
      const totals = await addRateCounts(
        knex,
        adding.map(({ entry, add }) => ({
          rule: entry.rule,
          keyHash: entry.keyHash,
          windowStart: new Date(entry.windowStart),
          add,
        })),
      );
      const byId = new Map(
        totals.map((row) => [idOf(row.rule, row.keyHash, row.windowStart.getTime()), row]),
      );
      for (const { entry, add } of adding) {
        entry.flushed += add;
        entry.total =
          byId.get(idOf(entry.rule, entry.keyHash, entry.windowStart))?.count ?? entry.total + add;
      }
      let longest = 0;
      for (const [id, entry] of entries) {
        longest = Math.max(longest, entry.windowMs);
        if (entry.windowStart + entry.windowMs < now && entry.seen === entry.flushed) entries.delete(id);
      }
      if (now - lastCleanup > 60_000 && longest > 0) {
        lastCleanup = now;
        await deleteRateCountsBefore(knex, new Date(now - 2 * longest));
      }
    } catch (error) {
      // The counts stay here and go with the next flush; the limits hold per instance meanwhile.
      logger.warn({ err: error }, 'rate limit counts not shared this time');
    }
    if ([...entries.values()].some((entry) => entry.seen > entry.flushed)) schedule();
  }

  async function flush(): Promise<void> {
    while (flushing) await flushing;
    flushing = flushOnce().finally(() => {
      flushing = undefined;
    });
    await flushing;
  }

  return {
    async hit(rule, key, windowStart, windowMs) {
      const keyHash = sha256Hex(key);
      const id = idOf(rule, keyHash, windowStart);
      let entry = entries.get(id);
      if (!entry) {
        const created: Entry = {
          rule,
          keyHash,
          windowStart,
          windowMs,
          seen: 0,
          flushed: 0,
          total: 0,
          loaded: Promise.resolve(),
        };
        created.loaded = readRateCount(knex, { rule, keyHash, windowStart: new Date(windowStart) }).then(
          (count) => {
            created.total = Math.max(created.total, count + created.flushed);
          },
          (error: unknown) => logger.warn({ err: error }, 'rate limit count not read; counting here only'),
        );
        entries.set(id, created);
        entry = created;
      }
      entry.seen += 1;
      const mine = entry.seen;
      await entry.loaded;
      schedule();
      // The other instances' requests (the shared total less what this one sent), then this
      // instance's requests up to and including this one.
      return entry.total - entry.flushed + mine;
    },
    flush,
  };
}

function idOf(rule: string, keyHash: string, windowStart: number): string {
  return `${rule}|${keyHash}|${windowStart}`;
}
