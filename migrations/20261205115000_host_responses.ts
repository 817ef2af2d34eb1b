import type { Knex } from 'knex';

/**
 * Issue 15, collective interviews: each host other than the organizer is a guest of the
 * organizer's event, and may decline it or be taken off it in Google Calendar. That does not
 * cancel the interview (only the participant's decline does); it is shown:
 * - `booking_hosts.event_response`: the host's answer on the organizer's event as the sync
 *   last saw it (`removed`: no longer on the guest list), null before the first sighting.
 *   The console warns while it is `declined` or `removed`; it is also the baseline the next
 *   change is told from, so a repeated delivery records nothing twice;
 * - a `participant_activity` row of the new kind `host_response` for each change, in the
 *   participant's timeline.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('booking_hosts', (t) => {
    t.text('event_response');
    t.timestamp('event_response_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE booking_hosts ADD CONSTRAINT booking_hosts_event_response_check
    CHECK (event_response IN ('needsAction', 'accepted', 'tentative', 'declined', 'removed'))`);
  await knex.raw(`ALTER TABLE participant_activity DROP CONSTRAINT participant_activity_kind_check`);
  await knex.raw(`ALTER TABLE participant_activity ADD CONSTRAINT participant_activity_kind_check
    CHECK (kind IN ('rsvp', 'event_changed', 'host_response'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('participant_activity').where({ kind: 'host_response' }).delete();
  await knex.raw(`ALTER TABLE participant_activity DROP CONSTRAINT participant_activity_kind_check`);
  await knex.raw(`ALTER TABLE participant_activity ADD CONSTRAINT participant_activity_kind_check
    CHECK (kind IN ('rsvp', 'event_changed'))`);
  await knex.raw('ALTER TABLE booking_hosts DROP CONSTRAINT booking_hosts_event_response_check');
  await knex.schema.alterTable('booking_hosts', (t) => {
    t.dropColumn('event_response');
    t.dropColumn('event_response_at');
  });
}
