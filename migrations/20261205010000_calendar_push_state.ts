import type { Knex } from 'knex';

/**
 * Per calendar, what push cannot tell by its channels alone: why Google has no channel for it
 * (the watch was refused, or the channel went silent), when the next watch may be tried, and
 * when the calendar was last polled. A calendar without a live channel is polled; this row
 * makes "once per interval" hold across instances (a conditional update claims the poll).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_push_state', (t) => {
    t.uuid('researcher_id').primary().references('researchers.id').onDelete('CASCADE');
    t.text('unavailable_reason');
    t.timestamp('unavailable_since', { useTz: true });
    t.timestamp('next_watch_at', { useTz: true });
    t.timestamp('last_polled_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('calendar_push_state');
}
