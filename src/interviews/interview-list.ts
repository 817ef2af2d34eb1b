import type { Knex } from 'knex';
import { teamOf } from '../teams/team-scope';
import type { ParticipantStatus } from '../participants/status-rules';

/**
 * The researcher's interviews across all their studies, one page at a time: upcoming ones
 * soonest first, past ones newest first. An interview still running is upcoming (it can
 * still be joined); it becomes past when it ends. Cancelled bookings are in neither list:
 * the participant's page keeps their story.
 *
 * Paging is by keyset — the start time and the booking id of the last row shown — so a page
 * never repeats or skips a row when interviews are booked or cancelled between two pages,
 * and a deep page costs the same as the first.
 */
export const INTERVIEW_LISTS = ['upcoming', 'past'] as const;
export type InterviewList = (typeof INTERVIEW_LISTS)[number];

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface ListedInterview {
  bookingId: string;
  start: Date;
  end: Date;
  /** `logged`: held elsewhere and logged by the researcher (no calendar event); `bookingId` is its id. */
  state: 'pending' | 'confirmed' | 'logged';
  meetUrl: string | null;
  participant: { id: string; name: string; status: ParticipantStatus };
  /** Whether the participant's booking link is kept (sealed) for "Copy link". */
  hasStoredLink: boolean;
  study: { id: string; title: string; timeZone: string };
  /** Who held a logged interview (their name, else email); null for booked ones. */
  heldBy: string | null;
}

export interface InterviewPage {
  interviews: ListedInterview[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Where a page ends: the start and booking id of its last row. */
export interface InterviewCursor {
  start: Date;
  bookingId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients (base64url of "start|id"), so its shape may change without a new API. */
export function encodeCursor(cursor: InterviewCursor): string {
  return Buffer.from(`${cursor.start.toISOString()}|${cursor.bookingId}`).toString('base64url');
}

/** undefined when the text is not a cursor this service made. */
export function decodeCursor(text: string): InterviewCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  const [iso, bookingId, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !iso || !bookingId || !UUID.test(bookingId)) return undefined;
  const start = new Date(iso);
  if (Number.isNaN(start.getTime()) || start.toISOString() !== iso) return undefined;
  return { start, bookingId };
}

interface Row {
  booking_id: string;
  start: Date;
  end: Date;
  state: 'pending' | 'confirmed' | 'logged';
  meet_url: string | null;
  participant_id: string;
  participant_name: string;
  participant_status: ParticipantStatus;
  has_stored_link: boolean;
  study_id: string;
  study_title: string;
  study_time_zone: string;
  held_by: string | null;
}

export async function listInterviews(
  db: Knex,
  callerId: string,
  query: { when: InterviewList; now: Date; cursor?: InterviewCursor | undefined; limit: number },
): Promise<InterviewPage> {
  const upcoming = query.when === 'upcoming';
  const columns = [
    'p.id as participant_id',
    'p.name as participant_name',
    'p.status as participant_status',
    db.raw('p.booking_link_ciphertext is not null as has_stored_link'),
    's.id as study_id',
    's.title as study_title',
    's.time_zone as study_time_zone',
  ];
  const bookings = db({ b: 'bookings' })
    .join({ p: 'participants' }, 'p.id', 'b.participant_id')
    .join({ s: 'studies' }, 's.id', 'p.study_id')
    // Every caller-scoped query filters by the caller's team (DESIGN 4, issue 15).
    .where('s.team_id', teamOf(db, callerId))
    .whereNot('b.state', 'cancelled')
    .whereRaw(upcoming ? 'upper(b.during) > ?' : 'upper(b.during) <= ?', [query.now])
    .select(
      'b.id as booking_id',
      db.raw('lower(b.during) as start'),
      db.raw('upper(b.during) as "end"'),
      'b.state',
      'b.meet_url',
      ...columns,
      db.raw('null::text as held_by'),
    );
  if (!upcoming) {
    // Interviews held elsewhere and logged afterwards are past interviews too (issue 15).
    bookings.unionAll((logged) =>
      logged
        .from({ l: 'logged_interviews' })
        .join({ p: 'participants' }, 'p.id', 'l.participant_id')
        .join({ s: 'studies' }, 's.id', 'p.study_id')
        .join({ h: 'researchers' }, 'h.id', 'l.host_id')
        .where('s.team_id', teamOf(db, callerId))
        .whereRaw('upper(l.during) <= ?', [query.now])
        .select(
          'l.id as booking_id',
          db.raw('lower(l.during) as start'),
          db.raw('upper(l.during) as "end"'),
          db.raw(`'logged' as state`),
          db.raw('null as meet_url'),
          ...columns,
          db.raw(`coalesce(nullif(h.name, ''), h.email) as held_by`),
        ),
    );
  }
  const builder = db.from(bookings.as('i')).select('*');
  if (query.cursor) {
    // Row comparison: strictly after the last row shown, in the list's own order.
    builder.whereRaw(`(i.start, i.booking_id) ${upcoming ? '>' : '<'} (?::timestamptz, ?::uuid)`, [
      query.cursor.start,
      query.cursor.bookingId,
    ]);
  }
  const direction = upcoming ? 'asc' : 'desc';
  const rows = (await builder
    .orderByRaw(`i.start ${direction}, i.booking_id ${direction}`)
    .limit(query.limit + 1)) as Row[];
  const shown = rows.slice(0, query.limit);
  const last = shown[shown.length - 1];
  return {
    interviews: shown.map(toInterview),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ start: last.start, bookingId: last.booking_id })
        : null,
  };
}

function toInterview(row: Row): ListedInterview {
  return {
    bookingId: row.booking_id,
    start: row.start,
    end: row.end,
    state: row.state,
    meetUrl: row.meet_url,
    participant: { id: row.participant_id, name: row.participant_name, status: row.participant_status },
    hasStoredLink: row.has_stored_link,
    study: { id: row.study_id, title: row.study_title, timeZone: row.study_time_zone },
    heldBy: row.held_by,
  };
}
