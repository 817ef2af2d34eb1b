import type { Knex } from 'knex';

/**
 * A connection whose grant works but lacks a calendar permission (Google answered 403
 * `insufficientPermissions`): the researcher must consent again, like after a revocation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE google_connections DROP CONSTRAINT google_connections_state_check`);
  await knex.raw(`ALTER TABLE google_connections
    ADD CONSTRAINT google_connections_state_check CHECK (state IN ('connected', 'revoked', 'needs_consent'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('google_connections').where({ state: 'needs_consent' }).update({ state: 'revoked' });
  await knex.raw(`ALTER TABLE google_connections DROP CONSTRAINT google_connections_state_check`);
  await knex.raw(`ALTER TABLE google_connections
    ADD CONSTRAINT google_connections_state_check CHECK (state IN ('connected', 'revoked'))`);
}
