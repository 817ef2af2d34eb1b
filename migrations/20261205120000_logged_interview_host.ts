import type { Knex } from 'knex';

/**
 * Issue 15: a logged interview names its host — the team member who held it — who need not
 * be the one logging it. Interviews logged before were held by whoever logged them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('logged_interviews', (t) => {
    t.uuid('host_id').references('researchers.id').onDelete('CASCADE');
  });
  await knex.raw('UPDATE logged_interviews SET host_id = researcher_id');
  await knex.raw('ALTER TABLE logged_interviews ALTER COLUMN host_id SET NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('logged_interviews', (t) => {
    t.dropColumn('host_id');
  });
}
