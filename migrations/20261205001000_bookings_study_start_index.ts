import type { Knex } from 'knex';

/**
 * A study's live bookings by start: the daily-limit check counts one local date's bookings
 * of a study, which without this read every booking of every study (a sequential scan that
 * grows with the whole table).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX bookings_live_study_start
    ON bookings (study_id, lower(during)) WHERE state <> 'cancelled'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS bookings_live_study_start');
}
