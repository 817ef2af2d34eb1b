import type { Knex } from 'knex';

/** One rule's key in one fixed window; the key is already hashed. */
export interface RateWindow {
  rule: string;
  keyHash: string;
  windowStart: Date;
}

/** Requests counted so far by every instance in this window. */
export async function readRateCount(db: Knex, window: RateWindow): Promise<number> {
  const row = await db('rate_limit_counts')
    .where({ rule: window.rule, key_hash: window.keyHash, window_start: window.windowStart })
    .first('count');
  return row ? Number(row.count) : 0;
}

/** Adds this instance's requests in one statement; returns each window's new total. */
export async function addRateCounts(
  db: Knex,
  increments: (RateWindow & { add: number })[],
): Promise<(RateWindow & { count: number })[]> {
  if (increments.length === 0) return [];
  const rows = await db('rate_limit_counts')
    .insert(
      increments.map((increment) => ({
        rule: increment.rule,
        key_hash: increment.keyHash,
        window_start: increment.windowStart,
        count: increment.add,
      })),
    )
    .onConflict(['rule', 'key_hash', 'window_start'])
    .merge({ count: db.raw('rate_limit_counts.count + excluded.count') })
    .returning(['rule', 'key_hash', 'window_start', 'count']);
  return (rows as { rule: string; key_hash: string; window_start: Date; count: number }[]).map((row) => ({
    rule: row.rule,
    keyHash: row.key_hash,
    windowStart: row.window_start,
    count: Number(row.count),
  }));
}

export async function deleteRateCountsBefore(db: Knex, before: Date): Promise<number> {
  return db('rate_limit_counts').where('window_start', '<', before).delete();
}
