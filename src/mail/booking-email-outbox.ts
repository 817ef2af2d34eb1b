import type { Knex } from 'knex';
import { SEND_EMAIL } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import type { BookingEmailKind } from './booking-email-wording';
import type { StudyEmailTemplates } from './email-templates';
import type { SendEmailJobData } from './outbox-repository';

/** What a change to a booking asks to tell its participant. */
export interface BookingEmailRequest {
  kind: BookingEmailKind;
  bookingId: string;
  /** Update: the time the participant was last told, before this move. */
  previous?: { start: Date; end: Date };
  /** Confirmation: the calendar brought a cancelled booking back ("your interview is on again"). */
  revived?: boolean;
}

interface Recipient {
  participant_id: string;
  revision: number;
  /** The interview has ended (by the database's clock): nothing about it is worth an email. */
  over: boolean;
  email: string;
  name: string;
  booking_link_ciphertext: string | null;
  booking_link_key_id: string | null;
}

/**
 * Writes the email about a booking change into the outbox, in the transaction of the change
 * itself: if the change commits, the email will go; if it rolls back, it never existed.
 *
 * Exactly once: each email has a key — `confirmation:<booking>`, `cancellation:<booking>`,
 * `update:<booking>:<revision>` (the booking's move counter) — and a second write of the
 * same key (a retried job, a sync applying the same change twice) is ignored by the unique
 * index. A booking the calendar brings back and cancels again goes on and off more than
 * once: each cancellation and each revival is a new *turn* (the count of those emails
 * queued for the booking so far), part of the key from the second turn on, so a second real
 * cancellation is a new email and not a duplicate of the first. The turn also lifts the
 * calendar file's SEQUENCE (kept in `details`), so each file replaces the one before.
 * Unsent emails about the same booking are folded in:
 * - an update while a confirmation or an update is still unsent adds nothing: that email is
 *   rendered at send time from the booking as it then is, so it carries the new time (and
 *   an update keeps the old time the participant was last told);
 * - a cancellation supersedes any unsent confirmation or update;
 * - a revival supersedes an unsent cancellation (which, should it get past, is not sent
 *   either: compose finds the booking live).
 * Those rows are locked first (`FOR UPDATE`): one a worker is sending right now is waited
 * for, and then seen as sent — so a move never hides behind an email that left with the
 * old time.
 *
 * Nothing is written about an interview that has already ended (a researcher tidying up
 * their calendar afterwards).
 *
 * The booking link is the participant's sealed one, copied still encrypted; none kept means
 * an email without the Reschedule, Cancel or "book a new time" links. Returns the outbox id,
 * or undefined when nothing was added.
 */
export async function queueBookingEmail(
  trx: Knex.Transaction,
  queue: JobQueue,
  request: BookingEmailRequest,
): Promise<string | undefined> {
  const recipient = (await trx('bookings as b')
    .join('participants as p', 'p.id', 'b.participant_id')
    .where('b.id', request.bookingId)
    .first(
      'b.participant_id',
      'b.revision',
      trx.raw('upper(b.during) <= now() AS over'),
      'p.email',
      'p.name',
      'p.booking_link_ciphertext',
      'p.booking_link_key_id',
    )) as Recipient | undefined;
  // A researcher who moves a past interview to when it really took place, or deletes it
  // afterwards, is keeping records; the participant is not told about the past.
  if (!recipient || recipient.over) return undefined;

  if (request.revived) {
    await supersede(
      trx,
      await lockUnsentAbout(trx, request.bookingId, ['cancellation']),
      'the interview was on again before this email went out',
    );
  }
  const unsent = await lockUnsentAbout(trx, request.bookingId, ['confirmation', 'update']);
  if (request.kind === 'update' && unsent.length > 0) return undefined;
  if (request.kind === 'cancellation') {
    await supersede(trx, unsent, 'the interview was cancelled before this email went out');
  }
  const turn = await turnOf(trx, request);

  const inserted = (await trx('email_outbox')
    .insert({
      participant_id: recipient.participant_id,
      booking_id: request.bookingId,
      kind: request.kind,
      dedupe_key: dedupeKey(request, recipient.revision, turn),
      to_email: recipient.email,
      to_name: recipient.name,
      booking_url_ciphertext: recipient.booking_link_ciphertext,
      booking_url_key_id: recipient.booking_link_key_id,
      details: detailsOf(request, turn),
    })
    .onConflict('dedupe_key')
    .ignore()
    .returning('id')) as { id: string }[];
  const outboxId = inserted[0]?.id;
  if (!outboxId) return undefined;
  const data: SendEmailJobData = { outboxId };
  await queue.send(SEND_EMAIL, data, { trx, singletonKey: outboxId });
  return outboxId;
}

/** What must be kept from the moment of the change; null when nothing is. */
function detailsOf(request: BookingEmailRequest, turn: number): string | null {
  const details = {
    ...(request.previous
      ? {
          previousStart: request.previous.start.toISOString(),
          previousEnd: request.previous.end.toISOString(),
        }
      : {}),
    ...(request.revived ? { revived: true } : {}),
    ...(turn > 0 ? { turn } : {}),
  };
  return Object.keys(details).length > 0 ? JSON.stringify(details) : null;
}

/** The first confirmation and cancellation keep their plain key; later turns add the turn. */
export function dedupeKey(
  request: Pick<BookingEmailRequest, 'kind' | 'bookingId'>,
  revision: number,
  turn = 0,
): string {
  if (request.kind === 'update') return `update:${request.bookingId}:${revision}`;
  const firstTurn = request.kind === 'cancellation' ? 1 : 0;
  return turn <= firstTurn
    ? `${request.kind}:${request.bookingId}`
    : `${request.kind}:${request.bookingId}:${turn}`;
}

/**
 * How many times the booking has gone off or come back, this email included when it is one
 * of those. The callers hold the booking's row lock, so two changes never count alike
 * (and two racing writes of the same change count alike and meet at the unique key).
 */
async function turnOf(trx: Knex.Transaction, request: BookingEmailRequest): Promise<number> {
  const row = (await trx('email_outbox')
    .where({ booking_id: request.bookingId })
    .where((q) => q.where('kind', 'cancellation').orWhereRaw("(details->>'revived')::boolean IS TRUE"))
    .count<{ count: string }[]>('* as count')
    .first()) as { count: string } | undefined;
  const before = Number(row?.count ?? 0);
  return request.kind === 'cancellation' || request.revived ? before + 1 : before;
}

/** Unsent rows of these kinds about the booking, locked (waits out a send in progress). */
async function lockUnsentAbout(
  trx: Knex.Transaction,
  bookingId: string,
  kinds: BookingEmailKind[],
): Promise<{ id: string }[]> {
  return trx('email_outbox')
    .where({ booking_id: bookingId, state: 'pending' })
    .whereIn('kind', kinds)
    .forUpdate()
    .select('id');
}

async function supersede(trx: Knex.Transaction, rows: { id: string }[], reason: string): Promise<void> {
  if (rows.length === 0) return;
  await trx('email_outbox')
    .whereIn(
      'id',
      rows.map((row) => row.id),
    )
    .update({
      state: 'superseded',
      last_error: reason,
      booking_url_ciphertext: null,
      booking_url_key_id: null,
    });
}

/** What an email about a booking is rendered from at send time. */
export interface BookingEmailContext {
  bookingState: 'pending' | 'confirmed' | 'cancelled';
  start: Date;
  end: Date;
  meetUrl: string | null;
  googleEventId: string;
  /** Google's event sequence as last seen, and our own count of moves. */
  eventSequence: number | null;
  revision: number;
  participantName: string;
  /** The participant's own zone, null until they booked with one. */
  participantTimeZone: string | null;
  studyTitle: string;
  studyTimeZone: string;
  studyOpen: boolean;
  durationMinutes: number;
  eventTitle: string;
  eventDescription: string;
  researcherName: string;
  researcherEmail: string;
  /** The study's own wording per kind of email, where it has some. */
  emailTemplates: StudyEmailTemplates;
}

interface ContextRow {
  state: BookingEmailContext['bookingState'];
  start: Date;
  end: Date;
  meet_url: string | null;
  google_event_id: string;
  sequence: number | null;
  revision: number;
  participant_name: string;
  participant_time_zone: string | null;
  study_title: string;
  study_time_zone: string;
  study_status: 'open' | 'closed';
  duration_minutes: number;
  event_title: string;
  event_description: string;
  researcher_name: string | null;
  researcher_email: string;
  email_templates: StudyEmailTemplates | null;
}

/** The booking, its participant, study and researcher as they are now; undefined when gone. */
export async function loadBookingEmailContext(
  db: Knex | Knex.Transaction,
  bookingId: string,
): Promise<BookingEmailContext | undefined> {
  const result = await db.raw<{ rows: ContextRow[] }>(
    `SELECT b.state, lower(b.during) AS start, upper(b.during) AS "end", b.meet_url,
            b.google_event_id, b.sequence, b.revision,
            p.name AS participant_name, p.time_zone AS participant_time_zone,
            s.title AS study_title, s.time_zone AS study_time_zone, s.status AS study_status,
            s.duration_minutes, s.event_title, s.event_description, s.email_templates,
            r.name AS researcher_name, r.email AS researcher_email
       FROM bookings b
       JOIN participants p ON p.id = b.participant_id
       JOIN studies s ON s.id = b.study_id
       JOIN researchers r ON r.id = b.researcher_id
      WHERE b.id = ?`,
    [bookingId],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    bookingState: row.state,
    start: row.start,
    end: row.end,
    meetUrl: row.meet_url,
    googleEventId: row.google_event_id,
    eventSequence: row.sequence,
    revision: row.revision,
    participantName: row.participant_name,
    participantTimeZone: row.participant_time_zone,
    studyTitle: row.study_title,
    studyTimeZone: row.study_time_zone,
    studyOpen: row.study_status !== 'closed',
    durationMinutes: row.duration_minutes,
    eventTitle: row.event_title,
    eventDescription: row.event_description,
    researcherName: row.researcher_name ?? '',
    researcherEmail: row.researcher_email,
    emailTemplates: row.email_templates ?? {},
  };
}
