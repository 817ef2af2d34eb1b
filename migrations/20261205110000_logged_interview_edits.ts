import type { Knex } from 'knex';

/**
 * A logged interview can be edited and deleted (issue 15). Its verdict was only kept in the
 * history row written when it was logged; the edit form and the API need it on the row
 * itself, so it is copied from that row. `version` counts edits: an edit or deletion made
 * from a form (or an API call) that read an older version is refused instead of silently
 * overwriting what someone else changed meanwhile.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('logged_interviews', (t) => {
    t.text('verdict');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // The first history row that names the logged interview holds its verdict.
  await knex.raw(`UPDATE logged_interviews l SET verdict = coalesce((
      SELECT h.to_status FROM status_history h
       WHERE h.participant_id = l.participant_id AND h.details->>'loggedInterviewId' = l.id::text
         AND h.to_status IN ('completed', 'no_show')
       ORDER BY h.id LIMIT 1), 'completed')`);
  await knex.raw(`ALTER TABLE logged_interviews
    ALTER COLUMN verdict SET NOT NULL,
    ADD CONSTRAINT logged_interviews_verdict_check CHECK (verdict IN ('completed', 'no_show'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('logged_interviews', (t) => {
    t.dropChecks(['logged_interviews_verdict_check']);
    t.dropColumn('verdict');
    t.dropColumn('version');
    t.dropColumn('updated_at');
  });
}
