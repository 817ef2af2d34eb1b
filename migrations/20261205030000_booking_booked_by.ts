import type { Knex } from 'knex';

/**
 * A researcher may book a participant from the console (issue 15). The booking row keeps
 * who booked it and the reason given for booking a time the study does not offer, so the
 * confirmation — made by the request, or later by the durable finish job — writes a history
 * row that names the researcher and the reason.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.uuid('booked_by_researcher_id').references('researchers.id').onDelete('SET NULL');
    t.text('override_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('override_reason');
    t.dropColumn('booked_by_researcher_id');
  });
}
