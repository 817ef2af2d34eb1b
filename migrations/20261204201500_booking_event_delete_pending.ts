import type { Knex } from 'knex';

/**
 * A cancelled booking whose Google event could not be deleted because the researcher's grant
 * no longer worked carries the moment that happened. Reconnecting deletes exactly those
 * events (and clears the mark); interviews cancelled by a decline, or whose event was
 * already deleted, never carry it, so signing in again cannot cancel them a second time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.timestamp('event_delete_pending_since', { useTz: true });
  });
  await knex.raw(`CREATE INDEX bookings_event_delete_pending
    ON bookings (researcher_id) WHERE event_delete_pending_since IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS bookings_event_delete_pending');
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('event_delete_pending_since');
  });
}
