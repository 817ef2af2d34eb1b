import type { Knex } from 'knex';
import { isHostAbsent, type HostAnswer, type HostOnBooking, type HostWarning } from './host-responses';

export type { HostWarning } from './host-responses';

type Db = Knex | Knex.Transaction;

/**
 * The hosts of a booking other than its organizer (`bookings.researcher_id`), with their
 * answer on the organizer's event as last seen (`booking_hosts.event_response`).
 */
export async function listGuestHosts(db: Db, bookingId: string): Promise<HostOnBooking[]> {
  const rows = (await db({ bh: 'booking_hosts' })
    .join({ b: 'bookings' }, 'b.id', 'bh.booking_id')
    .join({ r: 'researchers' }, 'r.id', 'bh.researcher_id')
    .leftJoin({ gc: 'google_connections' }, 'gc.researcher_id', 'bh.researcher_id')
    .where('bh.booking_id', bookingId)
    .whereRaw('bh.researcher_id <> b.researcher_id')
    .orderBy('r.name')
    .select(
      'bh.researcher_id',
      'r.name',
      'r.email',
      'gc.google_email',
      'gc.calendar_id',
      'bh.event_response',
    )) as {
    researcher_id: string;
    name: string;
    email: string;
    google_email: string | null;
    calendar_id: string | null;
    event_response: HostAnswer | null;
  }[];
  return rows.map((row) => ({
    researcherId: row.researcher_id,
    name: row.name || row.email,
    emails: [row.email, row.google_email, row.calendar_id].filter((email): email is string => !!email),
    seen: row.event_response,
  }));
}

export async function saveHostAnswers(
  trx: Knex.Transaction,
  bookingId: string,
  answers: readonly { researcherId: string; answer: HostAnswer }[],
): Promise<void> {
  for (const { researcherId, answer } of answers) {
    await trx('booking_hosts')
      .where({ booking_id: bookingId, researcher_id: researcherId })
      .update({ event_response: answer, event_response_at: trx.fn.now() });
  }
}

/** The warnings of these bookings (live ones only), by booking id. */
export async function listHostWarnings(
  db: Db,
  bookingIds: readonly string[],
): Promise<Map<string, HostWarning[]>> {
  const warnings = new Map<string, HostWarning[]>();
  if (bookingIds.length === 0) return warnings;
  const rows = (await db({ bh: 'booking_hosts' })
    .join({ b: 'bookings' }, 'b.id', 'bh.booking_id')
    .join({ r: 'researchers' }, 'r.id', 'bh.researcher_id')
    .whereIn('bh.booking_id', [...bookingIds])
    .whereRaw('bh.researcher_id <> b.researcher_id')
    .where('bh.live', true)
    .whereIn('bh.event_response', ['declined', 'removed'])
    .orderBy(['bh.booking_id', 'r.name'])
    .select(
      'bh.booking_id',
      'bh.researcher_id',
      'r.name',
      'r.email',
      'bh.event_response',
      'bh.event_response_at',
    )) as {
    booking_id: string;
    researcher_id: string;
    name: string;
    email: string;
    event_response: HostAnswer;
    event_response_at: Date;
  }[];
  for (const row of rows) {
    if (!isHostAbsent(row.event_response)) continue;
    const list = warnings.get(row.booking_id) ?? [];
    list.push({
      bookingId: row.booking_id,
      hostId: row.researcher_id,
      hostName: row.name || row.email,
      answer: row.event_response as HostWarning['answer'],
      since: row.event_response_at,
    });
    warnings.set(row.booking_id, list);
  }
  return warnings;
}
