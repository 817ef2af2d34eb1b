import type { Knex } from 'knex';
import { replanReminders } from './plan-reminders';
import { markRemindersUnsubscribed } from './reminder-repository';

/**
 * The participant stops reminders for their study: the opt-out is stored on the participant
 * and, in the same transaction, every planned reminder is dropped and any reminder waiting
 * in the outbox is given up. Doing it twice changes nothing. False when the participant is gone.
 */
export async function unsubscribeFromReminders(
  knex: Knex,
  participantId: string,
  now: Date,
): Promise<boolean> {
  return knex.transaction(async (trx) => {
    // The participant row first, the lock order of every booking writer.
    const locked = await trx('participants').where({ id: participantId }).forNoKeyUpdate().first('id');
    if (!locked) return false;
    await markRemindersUnsubscribed(trx, participantId);
    await replanReminders(trx, participantId, now);
    return true;
  });
}
