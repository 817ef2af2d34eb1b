import type { Knex } from 'knex';
import { FINISH_BOOKING } from '../jobs/names';

/**
 * A released booking needs no more finishing: its waiting jobs (the safety net written with
 * the booking, a retry waiting out its backoff) are cancelled in the releasing transaction,
 * so no job is left that would only find the booking gone. A running job is left alone.
 */
export async function cancelWaitingFinishJobs(
  trx: Knex.Transaction,
  schema: string,
  bookingId: string,
): Promise<number> {
  const result = await trx.raw(
    `UPDATE ??.job
        SET state = 'cancelled', completed_on = now()
      WHERE name = ?
        AND state IN ('created', 'retry')
        AND data->>'bookingId' = ?`,
    [schema, FINISH_BOOKING, bookingId],
  );
  return (result as { rowCount: number | null }).rowCount ?? 0;
}
