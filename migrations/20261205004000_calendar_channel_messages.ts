import type { Knex } from 'knex';

/**
 * The message numbers a channel has delivered, one row each, instead of the highest one on
 * the channel row. Recording a notification is then an insert that conflicts only with a
 * redelivery of the same message — not an UPDATE of one hot row that every concurrent
 * notification of the channel waits on — and a message that arrives after a higher-numbered
 * one is no longer mistaken for a redelivery. Rows older than a day are pruned by the nightly
 * run (a redelivery later than that costs one extra sync, nothing else).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_channel_messages', (t) => {
    t.uuid('channel_id').notNullable().references('calendar_channels.id').onDelete('CASCADE');
    t.bigInteger('message_number').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['channel_id', 'message_number']);
    t.index(['received_at']);
  });
  await knex.schema.alterTable('calendar_channels', (t) => {
    t.dropColumn('last_message_number');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calendar_channels', (t) => {
    t.bigInteger('last_message_number');
  });
  await knex.raw(`UPDATE calendar_channels c SET last_message_number = m.last
    FROM (SELECT channel_id, max(message_number) AS last FROM calendar_channel_messages GROUP BY channel_id) m
    WHERE m.channel_id = c.id`);
  await knex.schema.dropTable('calendar_channel_messages');
}
