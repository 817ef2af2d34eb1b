import type { Knex } from 'knex';
import type { HostHours } from '../availability/hosts';
import type { RoundRobinStats } from '../availability/round-robin';
import { nameOf } from '../studies/study-hosting';
import { hostConnectionOf, type StudyHost } from '../studies/study-host-repository';

type Db = Knex | Knex.Transaction;

/**
 * The hosts a collective booking occupies besides its organizer (bookings.researcher_id,
 * whose row the insert trigger writes). Inserted in the hold's transaction: the per-host
 * exclusion constraint `booking_hosts_no_overlap` refuses the whole hold when any of them is
 * taken meanwhile, whatever study or instance took them. Later moves and cancellations carry
 * these rows along (trigger `bookings_hosts_follow`).
 */
export async function insertOtherBookingHosts(
  trx: Knex.Transaction,
  bookingId: string,
  hostIds: readonly string[],
): Promise<void> {
  if (hostIds.length === 0) return;
  await trx.raw(
    `INSERT INTO booking_hosts (booking_id, researcher_id, during, live)
     SELECT b.id, h.researcher_id, b.during, b.state <> 'cancelled'
       FROM bookings b, unnest(?::uuid[]) AS h(researcher_id)
      WHERE b.id = ?`,
    [hostIds as string[], bookingId],
  );
}

/**
 * The names of a booking's hosts who still attend, organizer first (as `bookingHostIds`
 * orders them): a host who declined or was taken off the event's guest list is not named.
 */
export async function attendingHostNames(db: Db, bookingId: string): Promise<string[]> {
  const result = await db.raw<{ rows: { name: string; email: string }[] }>(
    `SELECT r.name, r.email
       FROM booking_hosts bh
       JOIN bookings b ON b.id = bh.booking_id
       JOIN researchers r ON r.id = bh.researcher_id
      WHERE bh.booking_id = ?
        AND (bh.event_response IS NULL OR bh.event_response NOT IN ('declined', 'removed'))
      ORDER BY (bh.researcher_id = b.researcher_id) DESC, bh.researcher_id`,
    [bookingId],
  );
  return result.rows.map(nameOf);
}

/** Every host of a booking, the organizer (bookings.researcher_id) first, the others by id. */
export async function bookingHostIds(db: Db, bookingId: string): Promise<string[]> {
  const result = await db.raw<{ rows: { researcher_id: string }[] }>(
    `SELECT bh.researcher_id
       FROM booking_hosts bh JOIN bookings b ON b.id = bh.booking_id
      WHERE bh.booking_id = ?
      ORDER BY (bh.researcher_id = b.researcher_id) DESC, bh.researcher_id`,
    [bookingId],
  );
  return result.rows.map((row) => row.researcher_id);
}

/**
 * The people a booking's event invites besides its organizer: the other hosts (collective),
 * each at the address of their connected calendar when we know it (the calendar id, else
 * the Google account's address), so the event lands in the calendar the host's busy time
 * is read from and their answer is found under one of the addresses the sync matches
 * (listGuestHosts). Without a connection: their sign-in address.
 */
export async function otherHostsOfBooking(
  db: Db,
  bookingId: string,
): Promise<{ researcherId: string; name: string; email: string }[]> {
  const result = await db.raw<{ rows: { id: string; name: string; email: string }[] }>(
    `SELECT r.id, r.name,
            COALESCE(CASE WHEN strpos(gc.calendar_id, '@') > 0 THEN gc.calendar_id END,
                     gc.google_email, r.email) AS email
       FROM booking_hosts bh
       JOIN bookings b ON b.id = bh.booking_id
       JOIN researchers r ON r.id = bh.researcher_id
       LEFT JOIN google_connections gc ON gc.researcher_id = bh.researcher_id
      WHERE bh.booking_id = ? AND bh.researcher_id <> b.researcher_id
      ORDER BY r.id`,
    [bookingId],
  );
  return result.rows.map((row) => ({ researcherId: row.id, name: row.name, email: row.email }));
}

/**
 * Who holds a booking, organizer first (position 0), as the console names them: the hosts it
 * occupies, which stay as booked when the study's hosts change later.
 */
export async function hostsOfBooking(db: Db, bookingId: string): Promise<StudyHost[]> {
  return hostsByIds(db, await bookingHostIds(db, bookingId));
}

/**
 * Each host's record in one round-robin study: interviews that still count (not cancelled)
 * and when the host was last given one, as `pickRoundRobinHost` weighs them.
 */
export async function roundRobinStats(db: Db, studyId: string): Promise<Map<string, RoundRobinStats>> {
  const result = await db.raw<{
    rows: { researcher_id: string; interviews: string; last_booked_at: Date }[];
  }>(
    `SELECT researcher_id, count(*) AS interviews, max(created_at) AS last_booked_at
       FROM bookings
      WHERE study_id = ? AND state <> 'cancelled'
      GROUP BY researcher_id`,
    [studyId],
  );
  return new Map(
    result.rows.map((row) => [
      row.researcher_id,
      { interviews: Number(row.interviews), lastBookedAt: row.last_booked_at },
    ]),
  );
}

/**
 * The facts of given researchers as hosts (hours, connection), in the order given: the hosts
 * of a booking being moved, who may no longer all be among the study's hosts.
 */
export async function hostsByIds(db: Db, researcherIds: readonly string[]): Promise<StudyHost[]> {
  if (researcherIds.length === 0) return [];
  const rows = await db({ r: 'researchers' })
    .leftJoin({ c: 'google_connections' }, 'c.researcher_id', 'r.id')
    .whereIn('r.id', researcherIds as string[])
    .select<
      {
        id: string;
        name: string;
        email: string;
        host_hours: HostHours | null;
        state: 'connected' | 'revoked' | 'needs_consent' | null;
      }[]
    >('r.id', 'r.name', 'r.email', 'r.host_hours', 'c.state');
  const byId = new Map(rows.map((row) => [row.id, row]));
  return researcherIds.flatMap((id, position) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        researcherId: id,
        name: row.name,
        email: row.email,
        position,
        hours: row.host_hours,
        connection: hostConnectionOf(row.state),
      },
    ];
  });
}
