import type { Knex } from 'knex';

/**
 * The zone the console writes times in for this researcher (IANA name). Empty until they
 * choose one in Settings: pages then use each study's own zone, and say so.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('researchers', (t) => {
    t.text('time_zone');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('researchers', (t) => {
    t.dropColumn('time_zone');
  });
}
