import type { Knex } from 'knex';

/**
 * The hashes of booking links a re-invite replaced, so that an old link can say "a new link
 * was sent to you on <date>" instead of "not valid". Only the hash is kept (as for the live
 * link), with the time the newest link replaced it; nothing else about the participant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('replaced_booking_links', (t) => {
    t.text('token_hash').primary();
    t.uuid('participant_id').notNullable().references('participants.id').onDelete('CASCADE');
    t.timestamp('replaced_at', { useTz: true }).notNullable();
    t.index(['participant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('replaced_booking_links');
}
