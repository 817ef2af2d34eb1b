import type { Knex } from 'knex';

/**
 * Reminder emails before an interview:
 * - `studies.reminder_minutes_before`: how long before the start each reminder goes out
 *   (default one, 24 hours before; empty = none);
 * - `participants.reminders_unsubscribed_at`: the participant asked for no more reminders;
 * - `booking_reminders`: the plan, one row per reminder of a booking. It is rewritten in the
 *   transaction of every booking change, and a periodic sweep turns a due `planned` row into
 *   an outbox email (`sent`, with its outbox id) in one transaction — so exactly once.
 *   `interview_start` is the start the reminder was planned for: a reminder is only ever
 *   sent for the time the booking still has.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('studies', (t) => {
    t.specificType('reminder_minutes_before', 'integer[]').notNullable().defaultTo(knex.raw(`'{1440}'`));
  });
  await knex.schema.alterTable('participants', (t) => {
    t.timestamp('reminders_unsubscribed_at', { useTz: true });
  });
  await knex.schema.createTable('booking_reminders', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('booking_id').notNullable().references('bookings.id').onDelete('CASCADE');
    t.integer('minutes_before').notNullable();
    t.timestamp('interview_start', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.text('state').notNullable().defaultTo('planned');
    t.uuid('outbox_id').references('email_outbox.id').onDelete('SET NULL');
    t.text('dropped_because');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE booking_reminders
    ADD CONSTRAINT booking_reminders_state_check CHECK (state IN ('planned', 'sent', 'dropped'))`);
  // One planned reminder per offset of a booking: a re-plan can never leave two behind.
  await knex.raw(`CREATE UNIQUE INDEX booking_reminders_one_planned
    ON booking_reminders (booking_id, minutes_before) WHERE state = 'planned'`);
  // What the sweep reads: due planned rows, oldest first.
  await knex.raw(`CREATE INDEX booking_reminders_due ON booking_reminders (due_at) WHERE state = 'planned'`);
  await knex.raw(`CREATE INDEX booking_reminders_outbox ON booking_reminders (outbox_id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('booking_reminders');
  await knex.schema.alterTable('participants', (t) => {
    t.dropColumn('reminders_unsubscribed_at');
  });
  await knex.schema.alterTable('studies', (t) => {
    t.dropColumn('reminder_minutes_before');
  });
}
