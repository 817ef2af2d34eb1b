import type { Knex } from 'knex';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { enqueueEmail } from '../mail/outbox-repository';
import { decideDueReminders } from './reminder-plan';
import {
  dropReminders,
  lockDueReminders,
  markReminderSent,
  type DueReminderRow,
} from './reminder-repository';

export interface ReminderSweepDeps {
  knex: Knex;
  queue: JobQueue;
  logger: Logger;
}

/** How often each instance looks for due reminders: a reminder goes out within a minute of its time. */
export const REMINDER_SWEEP_INTERVAL_MS = 60_000;
const BATCH = 200;

/**
 * Turns due reminders into outbox emails. Why a sweep and not one delayed pg-boss job per
 * reminder: the plan changes often (moves, cancels, verdicts, new study settings), and a
 * sweep reads it as it is *now* — nothing to cancel or re-date in the queue, nothing that
 * can fire for a plan that no longer exists. The plan lives in PostgreSQL, so a restart
 * loses nothing; every instance may sweep, and `FOR UPDATE SKIP LOCKED` hands each due row
 * to exactly one of them. In one transaction the row becomes `sent` and its outbox email
 * and send job are written — so a reminder is queued once, or (rolled back) not at all.
 * Returns what it did; loops until fewer than a batch were due.
 */
export async function sendDueReminders(
  deps: ReminderSweepDeps,
  now: Date,
): Promise<{ queued: number; dropped: number }> {
  const total = { queued: 0, dropped: 0 };
  for (;;) {
    const { seen, queued, dropped } = await deps.knex.transaction(async (trx) => {
      const due = await lockDueReminders(trx, now, BATCH);
      let queuedNow = 0;
      let droppedNow = 0;
      for (const reminders of groupByBooking(due)) {
        const [first] = reminders;
        if (!first) continue;
        const decision = decideDueReminders(reminders, first.interviewStart, now);
        for (const { id, because } of decision.drop) await dropReminders(trx, [id], because);
        droppedNow += decision.drop.length;
        if (!decision.send) continue;
        const outboxId = await enqueueEmail(trx, deps.queue, {
          participantId: first.participantId,
          kind: 'reminder',
          toEmail: first.toEmail,
          toName: first.toName,
        });
        await markReminderSent(trx, decision.send.id, outboxId);
        queuedNow += 1;
      }
      return { seen: due.length, queued: queuedNow, dropped: droppedNow };
    });
    total.queued += queued;
    total.dropped += dropped;
    if (seen < BATCH) break;
  }
  if (total.queued + total.dropped > 0)
    deps.logger.info({ ...total, component: 'reminders' }, 'due reminders swept');
  return total;
}

function groupByBooking(rows: readonly DueReminderRow[]): DueReminderRow[][] {
  const groups = new Map<string, DueReminderRow[]>();
  for (const row of rows) groups.set(row.bookingId, [...(groups.get(row.bookingId) ?? []), row]);
  return [...groups.values()];
}

/**
 * Every instance sweeps on a timer that does not keep the process alive; a sweep still
 * running skips the next tick. The returned function stops it.
 */
export function scheduleReminderSweep(
  deps: ReminderSweepDeps,
  intervalMs = REMINDER_SWEEP_INTERVAL_MS,
  clock: () => Date = () => new Date(),
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sendDueReminders(deps, clock())
      .catch((error: unknown) => deps.logger.error({ err: error }, 'sending due reminders failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
