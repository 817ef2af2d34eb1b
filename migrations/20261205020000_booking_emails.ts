import type { Knex } from 'knex';

/**
 * The service's own emails about a booked interview (confirmation, update, cancellation) go
 * through the outbox like invitations, written in the transaction of the change they report.
 *
 * - `bookings.revision` counts the interview's moves (ours and the calendar's): the update
 *   email of each move is keyed on it, and the `.ics` SEQUENCE grows with it.
 * - `email_outbox.booking_id`: the booking an email is about; rendered from it at send time
 *   (so a Meet link that arrived late is in the email).
 * - `email_outbox.dedupe_key`: unique, so a retried job or a repeated sync cannot write the
 *   same email twice (`confirmation:<booking>`, `update:<booking>:<revision>`, …).
 * - `email_outbox.details`: what must be kept from the moment of the change (the old time).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.integer('revision').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('email_outbox', (t) => {
    t.uuid('booking_id').references('bookings.id').onDelete('SET NULL');
    t.text('dedupe_key').unique();
    t.jsonb('details');
    t.index(['booking_id', 'state']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropIndex(['booking_id', 'state']);
    t.dropColumn('details');
    t.dropColumn('dedupe_key');
    t.dropColumn('booking_id');
  });
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('revision');
  });
}
