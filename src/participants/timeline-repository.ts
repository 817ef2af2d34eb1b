import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Where a timeline row comes from; also its rank among rows of the same instant. */
export type TimelineOrigin = 'history' | 'activity' | 'email';

/** One row of the timeline as stored: the columns the three tables share, mapped alike. */
export interface TimelineRow {
  origin: TimelineOrigin;
  at: Date;
  /** `at` in whole microseconds since the epoch: a cursor that loses nothing to `Date`. */
  atMicros: string;
  rank: number;
  /** The row's id within its table, padded so text order is id order. */
  ref: string;
  kind: string;
  source: string | null;
  actor: string | null;
  /** The researcher's name (or email) when a researcher made the change. */
  actorName: string | null;
  reason: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  details: Record<string, unknown>;
}

/** Rows strictly older than this one (newest first): the page after the one that ended here. */
export interface TimelineCursor {
  atMicros: string;
  rank: number;
  ref: string;
}

export interface TimelinePage {
  /** The zone to write times in: the researcher's own, else the participant's study's. */
  timeZone: string;
  rows: TimelineRow[];
}

/**
 * The participant's whole timeline in one query, newest first: status history (invitation,
 * bookings, moves with both times, cancellations and who made them, verdicts), the activity
 * the calendar sync recorded (RSVPs, changed details) and every email of the outbox, whatever
 * its kind. A UNION ALL of the three, ordered by time and then by a fixed rank and id, so the
 * order is total and a page can start after any row. The participant is looked up in the
 * same statement, scoped by the caller's team: undefined means not their team's (or no such
 * participant). Times are read in the caller's own zone (else the study's).
 *
 * An email stands at the moment it was sent; one not sent (queued, failed, superseded) at
 * the moment it was queued — the outbox keeps no time of failure.
 */
export async function readTimeline(
  db: Db,
  callerId: string,
  participantId: string,
  page: { limit: number; before?: TimelineCursor },
): Promise<TimelinePage | undefined> {
  const before = page.before ?? null;
  const result = await db.raw<{ rows: RawRow[] }>(
    `SELECT coalesce(r.time_zone, s.time_zone) AS time_zone, t.*
       FROM participants p
       JOIN studies s ON s.id = p.study_id
       JOIN researchers r ON r.id = ?
       LEFT JOIN LATERAL (
         SELECT items.*, (extract(epoch FROM items.at) * 1000000)::bigint::text AS at_micros
           FROM (
             SELECT 'history' AS origin, h.at, 1 AS rank, lpad(h.id::text, 20, '0') AS ref,
                    h.kind, h.source, h.actor, h.reason, h.from_status, h.to_status,
                    coalesce(h.details, '{}'::jsonb) AS details,
                    (SELECT coalesce(nullif(ra.name, ''), ra.email) FROM researchers ra
                      WHERE h.source = 'researcher' AND ra.id::text = h.actor) AS actor_name
               FROM status_history h
              WHERE h.participant_id = p.id
             UNION ALL
             SELECT 'activity', a.occurred_at, 2, lpad(a.id::text, 20, '0'),
                    a.kind, a.source, NULL, NULL, NULL, NULL,
                    a.details || jsonb_build_object('bookingId', a.booking_id), NULL
               FROM participant_activity a
              WHERE a.participant_id = p.id
             UNION ALL
             SELECT 'email', coalesce(o.sent_at, o.created_at), 3, o.id::text,
                    o.kind, 'system', NULL, o.last_error, NULL, NULL,
                    jsonb_build_object('state', o.state, 'attempts', o.attempts, 'subject', o.subject,
                                       'queuedAt', o.created_at, 'sentAt', o.sent_at),
                    NULL
               FROM email_outbox o
              WHERE o.participant_id = p.id
           ) items
          WHERE ?::bigint IS NULL
             OR ((extract(epoch FROM items.at) * 1000000)::bigint, items.rank, items.ref)
                < (?::bigint, ?::int, ?::text)
          ORDER BY items.at DESC, items.rank DESC, items.ref DESC
          LIMIT ?
       ) t ON true
      WHERE p.id = ? AND s.team_id = r.team_id`,
    [
      callerId,
      before?.atMicros ?? null,
      before?.atMicros ?? null,
      before?.rank ?? null,
      before?.ref ?? null,
      page.limit,
      participantId,
    ],
  );
  const first = result.rows[0];
  if (!first) return undefined;
  return {
    timeZone: first.time_zone,
    rows: result.rows.filter((row): row is FullRow => row.origin !== null).map(toRow),
  };
}

interface FullRow {
  time_zone: string;
  origin: TimelineOrigin;
  at: Date;
  at_micros: string;
  rank: number;
  ref: string;
  kind: string;
  source: string | null;
  actor: string | null;
  actor_name: string | null;
  reason: string | null;
  from_status: string | null;
  to_status: string | null;
  details: Record<string, unknown> | null;
}

/** With no item at all, the LEFT JOIN gives one row of nulls beside the participant. */
type RawRow = FullRow | ({ time_zone: string } & { [K in keyof Omit<FullRow, 'time_zone'>]: null });

function toRow(row: FullRow): TimelineRow {
  return {
    origin: row.origin,
    at: row.at,
    atMicros: row.at_micros,
    rank: row.rank,
    ref: row.ref,
    kind: row.kind,
    source: row.source,
    actor: row.actor,
    actorName: row.actor_name,
    reason: row.reason,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    details: row.details ?? {},
  };
}
