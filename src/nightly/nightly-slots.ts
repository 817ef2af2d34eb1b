import type { Knex } from 'knex';
import { NIGHTLY_RECONCILE } from '../jobs/names';

/**
 * The scheduled time a nightly job stands for, to the minute (UTC): every instance's cron
 * fires for the same slot, so they all name the same one.
 */
export function nightlySlot(scheduledAt: Date): string {
  return `${scheduledAt.toISOString().slice(0, 16)}Z`;
}

export const slotKey = (slot: string) => `nightly:${slot}`;

/**
 * Whether another job of this slot has already completed. With the nightly queue's `stately`
 * policy at most one job per slot runs at a time, so the check cannot race: a second job of
 * the slot only starts once the first has finished, and then finds it here.
 *
 * This reads pg-boss's own job table (as JobQueue.liveJobKeys does); completed jobs stay in
 * it for hours before pg-boss archives them, far longer than instances' cron ticks drift.
 */
export async function slotAlreadyRan(
  db: Knex,
  schema: string,
  slot: string,
  exceptJobId: string,
): Promise<boolean> {
  const row = await db
    .withSchema(schema)
    .from('job')
    .where({ name: NIGHTLY_RECONCILE, singleton_key: slotKey(slot), state: 'completed' })
    .whereNot('id', exceptJobId)
    .first('id');
  return row !== undefined;
}
