import type { Knex } from 'knex';
import type { BusyEvent } from './busy-events';

/**
 * Drops the copies of bookings this researcher hosts (a collective interview on a colleague's
 * calendar, copied to theirs): the booking already occupies them through `booking_hosts`,
 * with its buffers, and counting the copy again would block the interview's own participant
 * from moving it to an overlapping time. A copy of a booking they do not host (a guest of
 * someone else's interview) stays busy time. Read at use, never cached: who hosts what
 * changes without the calendar changing.
 */
export async function withoutHostedCopies<E extends BusyEvent>(
  db: Knex,
  researcherId: string,
  events: readonly E[],
): Promise<E[]> {
  const copies = [
    ...new Set(events.flatMap((event) => (event.copyOfBookingId ? [event.copyOfBookingId] : []))),
  ];
  if (copies.length === 0) return [...events];
  const hosted = new Set(
    (
      (await db('booking_hosts')
        .where({ researcher_id: researcherId, live: true })
        .whereIn('booking_id', copies)
        .select('booking_id')) as { booking_id: string }[]
    ).map((row) => row.booking_id),
  );
  return events.filter((event) => !event.copyOfBookingId || !hosted.has(event.copyOfBookingId));
}
