import type { Knex } from 'knex';
import type PgBoss from 'pg-boss';
import type { ClientBase } from 'pg';

/**
 * Lets pg-boss write a job through the connection of one of our knex transactions, so the job
 * exists exactly when the rows written beside it do: committed together or rolled back
 * together. That is what makes "a participant created ⇒ its invitation job exists" hold.
 *
 * pg-boss speaks `$1` placeholders and reuses some of them (`$5` twice in its INSERT, read as
 * text once and as a timestamp once). Rewriting that SQL into knex's `?` bindings would turn one
 * parameter into two with different inferred types, so the SQL goes unchanged to the very pg
 * client knex holds for the transaction: a transaction's knex client hands out that one
 * connection from `acquireConnection()` (declared in knex's public types).
 */
export function transactionExecutor(trx: Knex.Transaction): PgBoss.Db {
  const client = trx.client as Pick<Knex.Client, 'acquireConnection'>;
  return {
    async executeSql(text, values) {
      if (trx.isCompleted()) {
        throw new Error('cannot enqueue a job in a transaction that has already committed or rolled back');
      }
      const connection = (await client.acquireConnection()) as ClientBase;
      return connection.query(text, values);
    },
  };
}
