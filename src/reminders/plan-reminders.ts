import type { Knex } from 'knex';
import { planReminders, reminderPlanChanges } from './reminder-plan';
import {
  dropReminders,
  insertPlannedReminders,
  listRemindersOfParticipant,
  readReminderFacts,
  supersedeStaleReminderEmails,
} from './reminder-repository';

/**
 * Brings a participant's reminder plan in line with their booking, in the caller's
 * transaction — the one that changed the booking or the status, so the plan can never
 * disagree with a committed booking. Called after every status change (booked, cancelled
 * from anywhere, a verdict, re-invited), every move (booking page, calendar sync), an
 * unsubscribe and a change of the study's reminder times. Idempotent: it reads the current
 * state and writes only the difference, so calling it once too often costs a few reads.
 *
 * The caller holds the participant's row lock (every booking writer takes it first), which
 * keeps two re-plans of one participant from interleaving.
 */
export async function replanReminders(
  trx: Knex.Transaction,
  participantId: string,
  now: Date,
): Promise<void> {
  const facts = await readReminderFacts(trx, participantId);
  if (!facts) return;
  const wanted = planReminders({
    interviewStart: facts.booking?.start ?? null,
    minutesBefore: facts.minutesBefore,
    awaitsInterview: facts.status === 'scheduled',
    unsubscribed: facts.unsubscribed,
    now,
  });
  const existing = await listRemindersOfParticipant(trx, participantId);
  const changes = reminderPlanChanges(existing, facts.booking?.id ?? null, wanted);
  await dropReminders(trx, changes.drop, dropReason(facts));
  if (facts.booking) await insertPlannedReminders(trx, facts.booking.id, facts.booking.start, changes.add);
  // A reminder the sweep already handed to the outbox, for a time that is no longer the
  // interview's, must not go out either (the worker checks again when it sends).
  const keep = facts.booking && facts.status === 'scheduled' && !facts.unsubscribed ? facts.booking : null;
  await supersedeStaleReminderEmails(
    trx,
    participantId,
    keep ? { bookingId: keep.id, start: keep.start } : null,
    // With the interview still on, a queued reminder is stale only because the time changed.
    keep ? 'the interview moved' : dropReason(facts),
  );
}

function dropReason(facts: { status: string; unsubscribed: boolean; booking: unknown }): string {
  if (facts.unsubscribed) return 'the participant unsubscribed from reminders';
  if (!facts.booking) return 'the interview was cancelled';
  if (facts.status !== 'scheduled') return `the participant is ${facts.status}`;
  return 'the interview moved or the reminder times changed';
}
