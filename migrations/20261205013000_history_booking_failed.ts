import type { Knex } from 'knex';

/**
 * A booking Google refused for good (a 400, 403 `quotaExceeded`…) was released at once; the
 * participant's history keeps a `booking-failed` row so the researcher sees what happened.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE status_history DROP CONSTRAINT status_history_kind_check`);
  await knex.raw(`ALTER TABLE status_history
    ADD CONSTRAINT status_history_kind_check CHECK (kind IN ('status', 'rescheduled', 'invited', 'booking-failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('status_history').where({ kind: 'booking-failed' }).delete();
  await knex.raw(`ALTER TABLE status_history DROP CONSTRAINT status_history_kind_check`);
  await knex.raw(`ALTER TABLE status_history
    ADD CONSTRAINT status_history_kind_check CHECK (kind IN ('status', 'rescheduled', 'invited'))`);
}
