import type { Knex } from 'knex';

/**
 * A study's own subject and body for the emails the service sends its participants, per kind
 * (`{ "invitation": { "subject": "…", "body": "…" } }`); a kind not named uses the built-in
 * wording. One document per study, read with the study: the templates are validated as a
 * whole by the study schema on every save (src/mail/email-templates.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE studies
    ADD COLUMN email_templates jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD CONSTRAINT studies_email_templates_object CHECK (jsonb_typeof(email_templates) = 'object')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE studies
    DROP CONSTRAINT studies_email_templates_object,
    DROP COLUMN email_templates`);
}
