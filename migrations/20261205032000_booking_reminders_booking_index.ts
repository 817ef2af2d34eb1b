import type { Knex } from 'knex';

/**
 * Every calendar change the sync applies and every status change re-plan a booking's
 * reminders, reading them by booking in any state; the partial index on planned rows does
 * not serve that, and sent and dropped rows stay (they are the record). Also what
 * ON DELETE CASCADE from bookings looks up.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX booking_reminders_booking_index ON booking_reminders (booking_id, state)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX booking_reminders_booking_index');
}
