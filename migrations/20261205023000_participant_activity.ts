import type { Knex } from 'knex';

/**
 * The participant's activity timeline (issue 14) reads `status_history`, `email_outbox` and
 * this table in one query. Here go the things the calendar tells us that are not status
 * changes: an RSVP (tentative, accepted again, …) and a change of the event's details
 * (title, location, Meet link). They get a table of their own rather than more
 * `status_history` kinds because they change no status: a history row needs a `to_status`,
 * and the status rule book reads that table (the source of the last status change), which an
 * RSVP must never influence (DESIGN 1.5: tentative keeps the status).
 *
 * `booking_event_seen` keeps the event as the sync last saw it (title, location, the
 * participant's response), so a change can be told from the first sighting: the sync records
 * a difference, never the first value it sees.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('participant_activity', (t) => {
    t.bigIncrements('id');
    t.uuid('participant_id').notNullable().references('participants.id').onDelete('CASCADE');
    t.uuid('booking_id').references('bookings.id').onDelete('SET NULL');
    t.text('kind').notNullable();
    t.text('source').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['participant_id', 'occurred_at']);
  });
  await knex.raw(`ALTER TABLE participant_activity
    ADD CONSTRAINT participant_activity_kind_check CHECK (kind IN ('rsvp', 'event_changed')),
    ADD CONSTRAINT participant_activity_source_check
      CHECK (source IN ('researcher', 'participant', 'calendar', 'system'))`);

  await knex.schema.createTable('booking_event_seen', (t) => {
    t.uuid('booking_id').primary().references('bookings.id').onDelete('CASCADE');
    t.text('summary');
    t.text('location');
    t.text('participant_response');
    t.timestamp('seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // The timeline reads a participant's emails; until now only the send queue's index existed.
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS email_outbox_participant_created_index ON email_outbox (participant_id, created_at)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS email_outbox_participant_created_index');
  await knex.schema.dropTableIfExists('booking_event_seen');
  await knex.schema.dropTableIfExists('participant_activity');
}
