import type { Knex } from 'knex';

/**
 * A booking Google refused for good (a 400, 403 `quotaExceeded`…) was released at once; the
 * participant's history keeps a `booking_failed` row so the researcher sees what happened.
 * Runs after `20261205012000_booking_event_organizer`, whose `organizer_changed` it keeps.
 */
const BEFORE = ['status', 'rescheduled', 'invited', 'organizer_changed'];
const AFTER = [...BEFORE, 'booking_failed'];

async function allowKinds(knex: Knex, kinds: readonly string[]): Promise<void> {
  await knex.raw(`ALTER TABLE status_history DROP CONSTRAINT status_history_kind_check`);
  await knex.raw(
    `ALTER TABLE status_history ADD CONSTRAINT status_history_kind_check
       CHECK (kind IN (${kinds.map((kind) => `'${kind}'`).join(', ')}))`,
  );
}

export async function up(knex: Knex): Promise<void> {
  await allowKinds(knex, AFTER);
}

export async function down(knex: Knex): Promise<void> {
  await knex('status_history').where({ kind: 'booking_failed' }).delete();
  await allowKinds(knex, BEFORE);
}
