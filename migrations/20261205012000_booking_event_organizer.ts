import type { Knex } from 'knex';

/**
 * An interview's event may change organizer in Google (moved to a colleague's calendar, handed
 * over): that is not a cancellation. The booking remembers the organizer last seen (null = the
 * researcher's own calendar, where the booking put it), and the history records the change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.text('event_organizer');
  });
  await knex.raw(`ALTER TABLE status_history DROP CONSTRAINT status_history_kind_check`);
  await knex.raw(`ALTER TABLE status_history
    ADD CONSTRAINT status_history_kind_check
    CHECK (kind IN ('status', 'rescheduled', 'invited', 'organizer_changed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('status_history').where({ kind: 'organizer_changed' }).delete();
  await knex.raw(`ALTER TABLE status_history DROP CONSTRAINT status_history_kind_check`);
  await knex.raw(`ALTER TABLE status_history
    ADD CONSTRAINT status_history_kind_check CHECK (kind IN ('status', 'rescheduled', 'invited'))`);
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('event_organizer');
  });
}
