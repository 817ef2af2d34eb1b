import type { Knex } from 'knex';

/**
 * Request counts of the public booking API's rate limits, per rule, key and fixed window,
 * shared by every instance on the database. Keys are SHA-256 hashes: one rule counts per
 * booking link, and a link must never be stored in plain text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_counts', (t) => {
    t.text('rule').notNullable();
    t.text('key_hash').notNullable();
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.integer('count').notNullable();
    t.primary(['rule', 'key_hash', 'window_start']);
    t.index(['window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_counts');
}
