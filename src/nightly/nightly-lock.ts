import type { Knex } from 'knex';
import type { ClientBase } from 'pg';

/** Arbitrary, fixed: the advisory lock key of the nightly reconciliation ("nightly" in ASCII). */
const NIGHTLY_LOCK_KEY = '31084745148819833';

/**
 * Runs `work` while holding a PostgreSQL session advisory lock, or answers 'busy' at once when
 * another process holds it (the scheduled job on one instance, `npm run reconcile` on another
 * machine). The lock lives on one pooled connection kept for the duration — no transaction
 * stays open — and dies with that connection if the process does.
 */
export async function withNightlyLock<T>(knex: Knex, work: () => Promise<T>): Promise<T | 'busy'> {
  const client = knex.client as Pick<Knex.Client, 'acquireConnection' | 'releaseConnection'>;
  const connection = (await client.acquireConnection()) as ClientBase;
  try {
    const { rows } = await connection.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      [NIGHTLY_LOCK_KEY],
    );
    if (!rows[0]?.locked) return 'busy';
    try {
      return await work();
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1::bigint)', [NIGHTLY_LOCK_KEY]);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}
