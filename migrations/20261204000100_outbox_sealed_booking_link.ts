import type { Knex } from 'knex';

/**
 * The outbox stops keeping rendered invitations: their bodies carried the working booking
 * link in plain text, also after sending, for anyone with a dump or a backup. From here on a
 * row keeps the link encrypted (AES-256-GCM under the refresh tokens' key ring) only until
 * it is sent or given up; the message is rendered at send time from the participant.
 *
 * Rows written before this migration:
 * - sent or failed: the bodies are dropped (they will never be sent again).
 * - pending: SQL cannot encrypt under the application's keys, so these keep their bodies
 *   and the worker sends them as stored, then drops them like any other row. The plain
 *   text therefore lives on only until the first send attempt after the upgrade.
 *
 * The check constraint keeps the rule in the database: a finished row holds no link.
 * A re-invitation makes a still unsent invitation `superseded` (its link no longer works).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.text('booking_url_ciphertext');
    t.text('booking_url_key_id');
    t.text('subject').nullable().alter();
    t.text('text_body').nullable().alter();
    t.text('html_body').nullable().alter();
  });
  await knex('email_outbox').whereNot('state', 'pending').update({ text_body: null, html_body: null });
  await knex.raw(`ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_state_check,
    ADD CONSTRAINT email_outbox_state_check CHECK (state IN ('pending', 'sent', 'failed', 'superseded'))`);
  await knex.raw(`ALTER TABLE email_outbox
    ADD CONSTRAINT email_outbox_finished_holds_no_link CHECK (
      state = 'pending'
      OR (booking_url_ciphertext IS NULL AND booking_url_key_id IS NULL
          AND text_body IS NULL AND html_body IS NULL))`);
}

/** Back to stored bodies; rows without one get an empty body (their link cannot come back). */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_finished_holds_no_link');
  await knex('email_outbox').where('state', 'superseded').update({ state: 'failed' });
  await knex.raw(`ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_state_check,
    ADD CONSTRAINT email_outbox_state_check CHECK (state IN ('pending', 'sent', 'failed'))`);
  await knex('email_outbox').whereNull('subject').update({ subject: '' });
  await knex('email_outbox').whereNull('text_body').update({ text_body: '' });
  await knex('email_outbox').whereNull('html_body').update({ html_body: '' });
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropColumn('booking_url_ciphertext');
    t.dropColumn('booking_url_key_id');
    t.text('subject').notNullable().alter();
    t.text('text_body').notNullable().alter();
    t.text('html_body').notNullable().alter();
  });
}
