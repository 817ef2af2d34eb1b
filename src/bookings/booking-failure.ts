import type { Knex } from 'knex';

/** A booking Google refused (or that could not be finished), as its booking page tells it. */
export interface BookingFailure {
  start: Date;
  end: Date;
  at: Date;
  detail: string;
}

const FALLBACK_DETAIL =
  "The researcher's calendar did not accept your interview, so it is not booked. Please pick a time again.";

/**
 * Why the participant's last booking attempt ended without an interview, when it did: the
 * `booking_failed` history row of their most recent booking. A participant who left the
 * page while the booking was being finished learns it here when they come back; any later
 * booking (live or cancelled) makes it old news.
 */
export async function findLastBookingFailure(
  db: Knex,
  participantId: string,
): Promise<BookingFailure | undefined> {
  const latest = db('bookings')
    .where({ participant_id: participantId })
    .orderBy('created_at', 'desc')
    .limit(1)
    .select(db.raw('id::text'));
  const row = (await db('status_history')
    .where({ participant_id: participantId, kind: 'booking_failed' })
    .whereRaw(`details->>'bookingId' = (?)`, [latest])
    .orderBy('id', 'desc')
    .first('details', 'at')) as { details: Record<string, unknown> | null; at: Date } | undefined;
  const details = row?.details;
  if (!row || !details || typeof details.start !== 'string' || typeof details.end !== 'string') {
    return undefined;
  }
  return {
    start: new Date(details.start),
    end: new Date(details.end),
    at: row.at,
    detail: typeof details.participantMessage === 'string' ? details.participantMessage : FALLBACK_DETAIL,
  };
}
