import type { Knex } from 'knex';

/**
 * Interviews that happened elsewhere (a phone call, a lab session) and that a researcher
 * logs afterwards to record Completed or No Show on them (issue 15). They are kept apart
 * from `bookings` on purpose: they have no calendar event, nothing syncs or reminds about
 * them, and they are in the past, so they take no part in the exclusion constraint — the
 * constraint guards time still to be booked, and a logged call that overlapped a real
 * booking must not be refused (it happened).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('logged_interviews', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('participant_id').notNullable().references('participants.id').onDelete('CASCADE');
    t.uuid('study_id').notNullable().references('studies.id').onDelete('CASCADE');
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.specificType('during', 'tstzrange').notNullable();
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['participant_id']);
  });
  await knex.raw(`ALTER TABLE logged_interviews
    ADD CONSTRAINT logged_interviews_range_check
      CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during))`);
  // The past-interviews list pages by (start, id) per researcher.
  await knex.raw(
    'CREATE INDEX logged_interviews_researcher_start_index ON logged_interviews (researcher_id, lower(during), id)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('logged_interviews');
}
