import type { Knex } from 'knex';

/**
 * A study may ask participants for consent before they book (issue 14). The text is
 * versioned: changing it adds a version, so what each participant agreed to stays readable
 * word for word. The current version is the study's latest one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('studies', (t) => {
    t.boolean('consent_required').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('study_consent_versions', (t) => {
    t.uuid('study_id').notNullable().references('studies.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('text').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['study_id', 'version']);
  });
  await knex.raw(`ALTER TABLE study_consent_versions
    ADD CONSTRAINT study_consent_versions_version_check CHECK (version >= 1)`);
  // One row per consent given; a participant who books again under a newer text adds one.
  await knex.schema.createTable('participant_consents', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('participant_id').notNullable().references('participants.id').onDelete('CASCADE');
    t.uuid('study_id').notNullable();
    t.integer('version').notNullable();
    t.uuid('booking_id').references('bookings.id').onDelete('SET NULL');
    t.timestamp('consented_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // The version must exist: a consent always points at the exact words agreed to.
    t.foreign(['study_id', 'version'])
      .references(['study_id', 'version'])
      .inTable('study_consent_versions')
      .onDelete('CASCADE');
    t.index(['participant_id', 'consented_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('participant_consents');
  await knex.schema.dropTable('study_consent_versions');
  await knex.schema.alterTable('studies', (t) => {
    t.dropColumn('consent_required');
  });
}
