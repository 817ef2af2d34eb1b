import type { Knex } from 'knex';

/**
 * The participant's current booking link, encrypted like refresh tokens (AES-256-GCM, key id
 * beside it), so the researcher console can show it again ("Copy booking link"). The link is
 * still found by the hash of its token; this copy is only ever decrypted for the researcher.
 * Participants added before have none: re-inviting makes (and stores) a new link.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('participants', (t) => {
    t.text('booking_link_ciphertext');
    t.text('booking_link_key_id');
  });
  await knex.raw(`ALTER TABLE participants ADD CONSTRAINT participants_booking_link_sealed
    CHECK ((booking_link_ciphertext IS NULL) = (booking_link_key_id IS NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('participants', (t) => {
    t.dropChecks('participants_booking_link_sealed');
    t.dropColumn('booking_link_ciphertext');
    t.dropColumn('booking_link_key_id');
  });
}
