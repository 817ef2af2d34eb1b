import type { Knex } from 'knex';
import { REASONS } from '../sync/reconcile';

/**
 * Who ended the participant's last interview, as their booking page says it:
 * `you` from this link, `declined` by declining the calendar invitation, `calendar` when
 * the event was cancelled or removed in the calendar, `researcher` by the research team.
 */
export type CancelledBy = 'you' | 'declined' | 'calendar' | 'researcher';

export interface LastCancellation {
  by: CancelledBy;
  at: Date;
  /** The time the interview was for, when a booking was cancelled. */
  start: Date | null;
  end: Date | null;
}

/** The history row's source and reason, in the participant's terms (pure). */
export function cancelledBy(source: string, reason: string | null): CancelledBy {
  if (source === 'calendar') return 'calendar';
  if (source === 'participant') return reason === REASONS.participantDeclined ? 'declined' : 'you';
  return 'researcher';
}

/**
 * Why a `canceled` participant has no interview: the latest history row that set
 * `canceled`, and the latest cancelled booking (its time). Only asked while the participant
 * is `canceled`, so an older cancellation followed by a new booking is never shown.
 */
export async function findLastCancellation(
  db: Knex,
  participantId: string,
): Promise<LastCancellation | undefined> {
  const row = (await db('status_history')
    .where({ participant_id: participantId, to_status: 'canceled' })
    .orderBy('id', 'desc')
    .first('source', 'reason', 'at')) as { source: string; reason: string | null; at: Date } | undefined;
  if (!row) return undefined;
  // The booking cancelled with it (the same transaction, give or take a retry); a status
  // set to `canceled` by hand without an interview has none, and shows no time.
  const booking = (await db('bookings')
    .where({ participant_id: participantId, state: 'cancelled' })
    .whereRaw(
      `cancelled_at BETWEEN ?::timestamptz - interval '5 minutes' AND ?::timestamptz + interval '5 minutes'`,
      [row.at, row.at],
    )
    .orderBy('cancelled_at', 'desc')
    .first(db.raw('lower(during) as start, upper(during) as end'))) as { start: Date; end: Date } | undefined;
  return {
    by: cancelledBy(row.source, row.reason),
    at: row.at,
    start: booking?.start ?? null,
    end: booking?.end ?? null,
  };
}
