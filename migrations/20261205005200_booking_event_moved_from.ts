import type { Knex } from 'knex';

/**
 * A participant's move is committed here before Google's event follows (a patch, retried by a
 * job). Until it does, the event still shows the time it had: this range. A sync that sees the
 * event at exactly this time keeps the booking where it moved, instead of setting it back.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.specificType('event_moved_from', 'tstzrange');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('event_moved_from');
  });
}
