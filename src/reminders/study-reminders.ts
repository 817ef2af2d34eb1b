import type { Knex } from 'knex';
import { replanReminders } from './plan-reminders';
import { participantsWithConfirmedBookings } from './reminder-repository';

/**
 * The study's reminder times changed: every booked interview of the study gets the new plan
 * in the same transaction. Reminders already sent stay sent (a time already reminded of is
 * not reminded of again); planned ones that are no longer wanted are dropped; new times
 * still ahead are planned. Each participant is locked first, as every booking writer does.
 */
export async function replanStudyReminders(
  trx: Knex.Transaction,
  before: { id: string; reminderMinutesBefore: readonly number[] },
  after: { reminderMinutesBefore: readonly number[] },
  now: Date,
): Promise<void> {
  const same =
    before.reminderMinutesBefore.length === after.reminderMinutesBefore.length &&
    before.reminderMinutesBefore.every((minutes) => after.reminderMinutesBefore.includes(minutes));
  if (same) return;
  for (const participantId of await participantsWithConfirmedBookings(trx, before.id)) {
    await trx('participants').where({ id: participantId }).forNoKeyUpdate().first('id');
    await replanReminders(trx, participantId, now);
  }
}
