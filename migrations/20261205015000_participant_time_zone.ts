import type { Knex } from 'knex';

/**
 * The participant's own time zone (IANA name), as their browser reported it when they
 * booked: emails about their interview are written in it. Null until they book; emails then
 * use the study's zone, and name it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('participants', (t) => {
    t.text('time_zone');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('participants', (t) => {
    t.dropColumn('time_zone');
  });
}
