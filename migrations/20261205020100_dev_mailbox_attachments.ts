import type { Knex } from 'knex';

/**
 * The development mailbox keeps the files sent with a message (the interview's `.ics`), so
 * what a participant would receive can be seen whole without a mail server.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dev_mailbox', (t) => {
    t.jsonb('attachments').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dev_mailbox', (t) => {
    t.dropColumn('attachments');
  });
}
