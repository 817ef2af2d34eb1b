import type { StudyEmailTemplates } from '../mail/email-templates';
import type { Knex } from 'knex';
import type { EncryptedToken } from '../security/token-cipher';
import type { ExistingReminder, PlannedReminder } from './reminder-plan';

type Db = Knex | Knex.Transaction;

/** The only place that knows the `booking_reminders` table and the columns reminders add. */

/** What a participant's reminder plan is made from, read in the caller's transaction. */
export interface ReminderFacts {
  status: string;
  unsubscribed: boolean;
  minutesBefore: number[];
  /** The participant's confirmed booking; a pending one is not reminded of until it is confirmed. */
  booking: { id: string; start: Date } | null;
}

export async function readReminderFacts(db: Db, participantId: string): Promise<ReminderFacts | undefined> {
  const row = (await db({ p: 'participants' })
    .join({ s: 'studies' }, 's.id', 'p.study_id')
    .leftJoin({ b: 'bookings' }, function live() {
      this.on('b.participant_id', '=', 'p.id').andOnVal('b.state', '=', 'confirmed');
    })
    .where('p.id', participantId)
    .first(
      'p.status',
      'p.reminders_unsubscribed_at',
      's.reminder_minutes_before',
      'b.id as booking_id',
      db.raw('lower(b.during) as booking_start'),
    )) as
    | {
        status: string;
        reminders_unsubscribed_at: Date | null;
        reminder_minutes_before: number[];
        booking_id: string | null;
        booking_start: Date | null;
      }
    | undefined;
  if (!row) return undefined;
  return {
    status: row.status,
    unsubscribed: row.reminders_unsubscribed_at !== null,
    minutesBefore: row.reminder_minutes_before,
    booking: row.booking_id && row.booking_start ? { id: row.booking_id, start: row.booking_start } : null,
  };
}

/** The participant's reminders that are planned or sent, over all their bookings. */
export async function listRemindersOfParticipant(db: Db, participantId: string): Promise<ExistingReminder[]> {
  const rows = (await db({ r: 'booking_reminders' })
    .join({ b: 'bookings' }, 'b.id', 'r.booking_id')
    .where('b.participant_id', participantId)
    .whereIn('r.state', ['planned', 'sent'])
    .select('r.id', 'r.booking_id', 'r.minutes_before', 'r.interview_start', 'r.state')) as {
    id: string;
    booking_id: string;
    minutes_before: number;
    interview_start: Date;
    state: 'planned' | 'sent';
  }[];
  return rows.map((row) => ({
    id: row.id,
    bookingId: row.booking_id,
    minutesBefore: row.minutes_before,
    interviewStart: row.interview_start,
    state: row.state,
  }));
}

export async function insertPlannedReminders(
  trx: Knex.Transaction,
  bookingId: string,
  interviewStart: Date,
  reminders: readonly PlannedReminder[],
): Promise<void> {
  if (reminders.length === 0) return;
  await trx('booking_reminders').insert(
    reminders.map((reminder) => ({
      booking_id: bookingId,
      minutes_before: reminder.minutesBefore,
      interview_start: interviewStart,
      due_at: reminder.dueAt,
    })),
  );
}

/** Only planned rows are dropped: one the sweep has just sent keeps its record. */
export async function dropReminders(
  trx: Knex.Transaction,
  ids: readonly string[],
  because: string,
): Promise<void> {
  if (ids.length === 0) return;
  await trx('booking_reminders')
    .whereIn('id', [...ids])
    .where('state', 'planned')
    .update({ state: 'dropped', dropped_because: because, updated_at: trx.fn.now() });
}

/**
 * Reminder emails of this participant still waiting in the outbox for an interview time that
 * is no longer theirs (moved, cancelled, a verdict, unsubscribed): given up before they go.
 * `keepStart` is the start of the interview that is still on, if any.
 */
export async function supersedeStaleReminderEmails(
  trx: Knex.Transaction,
  participantId: string,
  keep: { bookingId: string; start: Date } | null,
  because: string,
): Promise<number> {
  const stale = trx({ r: 'booking_reminders' })
    .join({ b: 'bookings' }, 'b.id', 'r.booking_id')
    .where('b.participant_id', participantId)
    .where('r.state', 'sent')
    .whereNotNull('r.outbox_id')
    .select('r.outbox_id');
  if (keep) {
    stale.whereNot((same) =>
      same.where('r.booking_id', keep.bookingId).andWhere('r.interview_start', keep.start),
    );
  }
  return trx('email_outbox').whereIn('id', stale).where('state', 'pending').update({
    state: 'superseded',
    last_error: because,
    booking_url_ciphertext: null,
    booking_url_key_id: null,
  });
}

/** A due planned reminder with what deciding and sending it needs. */
export interface DueReminderRow {
  id: string;
  bookingId: string;
  minutesBefore: number;
  interviewStart: Date;
  dueAt: Date;
  participantId: string;
  toEmail: string;
  toName: string;
}

/**
 * Due planned reminders, locked for this transaction. SKIP LOCKED: a second instance's sweep
 * running at the same moment takes other rows instead of waiting and sending these again.
 * Only the reminder rows are locked — never participants or bookings. The outbox rows the
 * sweep inserts check their participant's key (FOR KEY SHARE), which a booking change's
 * participant lock (FOR NO KEY UPDATE) lets through: a booking change may wait for a sweep,
 * a sweep never waits for it, so they cannot deadlock.
 */
export async function lockDueReminders(
  trx: Knex.Transaction,
  now: Date,
  limit: number,
): Promise<DueReminderRow[]> {
  const result = await trx.raw<{
    rows: {
      id: string;
      booking_id: string;
      minutes_before: number;
      interview_start: Date;
      due_at: Date;
      participant_id: string;
      email: string;
      name: string;
    }[];
  }>(
    `SELECT r.id, r.booking_id, r.minutes_before, r.interview_start, r.due_at,
            p.id AS participant_id, p.email, p.name
       FROM booking_reminders r
       JOIN bookings b ON b.id = r.booking_id
       JOIN participants p ON p.id = b.participant_id
      WHERE r.state = 'planned' AND r.due_at <= ?
      ORDER BY r.due_at
      LIMIT ?
        FOR UPDATE OF r SKIP LOCKED`,
    [now, limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    bookingId: row.booking_id,
    minutesBefore: row.minutes_before,
    interviewStart: row.interview_start,
    dueAt: row.due_at,
    participantId: row.participant_id,
    toEmail: row.email,
    toName: row.name,
  }));
}

export async function markReminderSent(trx: Knex.Transaction, id: string, outboxId: string): Promise<void> {
  await trx('booking_reminders')
    .where({ id, state: 'planned' })
    .update({ state: 'sent', outbox_id: outboxId, updated_at: trx.fn.now() });
}

/** Everything the reminder email is rendered from at send time, found by its outbox row. */
export interface ReminderMessageFacts {
  reminderId: string;
  minutesBefore: number;
  plannedStart: Date;
  participantId: string;
  participantName: string;
  participantStatus: string;
  participantTimeZone: string | null;
  unsubscribed: boolean;
  bookingLink: EncryptedToken | null;
  booking: { state: string; start: Date; end: Date; meetUrl: string | null };
  study: { title: string; timeZone: string; emailTemplates: StudyEmailTemplates };
  researcherName: string;
}

export async function readReminderMessageFacts(
  db: Db,
  outboxId: string,
): Promise<ReminderMessageFacts | undefined> {
  const row = (await db({ r: 'booking_reminders' })
    .join({ b: 'bookings' }, 'b.id', 'r.booking_id')
    .join({ p: 'participants' }, 'p.id', 'b.participant_id')
    .join({ s: 'studies' }, 's.id', 'p.study_id')
    // The interview's organizer (who holds it), not whoever added the participant.
    .join({ re: 'researchers' }, 're.id', 'b.researcher_id')
    .where('r.outbox_id', outboxId)
    .first(
      'r.id as reminder_id',
      'r.minutes_before',
      'r.interview_start',
      'p.id as participant_id',
      'p.name as participant_name',
      'p.status as participant_status',
      'p.time_zone as participant_time_zone',
      'p.reminders_unsubscribed_at',
      'p.booking_link_ciphertext',
      'p.booking_link_key_id',
      'b.state as booking_state',
      db.raw('lower(b.during) as booking_start'),
      db.raw('upper(b.during) as booking_end'),
      'b.meet_url',
      's.title as study_title',
      's.time_zone as study_time_zone',
      's.email_templates',
      're.name as researcher_name',
      're.email as researcher_email',
    )) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const ciphertext = text(row.booking_link_ciphertext);
  const keyId = text(row.booking_link_key_id);
  return {
    reminderId: row.reminder_id as string,
    minutesBefore: row.minutes_before as number,
    plannedStart: row.interview_start as Date,
    participantId: row.participant_id as string,
    participantName: row.participant_name as string,
    participantStatus: row.participant_status as string,
    participantTimeZone: text(row.participant_time_zone),
    unsubscribed: row.reminders_unsubscribed_at !== null,
    bookingLink: ciphertext && keyId ? { ciphertext, keyId } : null,
    booking: {
      state: row.booking_state as string,
      start: row.booking_start as Date,
      end: row.booking_end as Date,
      meetUrl: text(row.meet_url),
    },
    study: {
      title: row.study_title as string,
      timeZone: row.study_time_zone as string,
      emailTemplates: (row.email_templates as StudyEmailTemplates | null) ?? {},
    },
    researcherName: text(row.researcher_name) || text(row.researcher_email) || 'the research team',
  };
}

/** Sets the participant's opt-out (the first time is kept); false when there is no such participant. */
export async function markRemindersUnsubscribed(
  trx: Knex.Transaction,
  participantId: string,
): Promise<boolean> {
  const found = await trx('participants').where({ id: participantId }).first('id');
  if (!found) return false;
  await trx('participants')
    .where({ id: participantId })
    .whereNull('reminders_unsubscribed_at')
    // updated_at too: the researcher's open participant page sees the change and refreshes.
    .update({ reminders_unsubscribed_at: trx.fn.now(), updated_at: trx.fn.now() });
  return true;
}

/** For the unsubscribe page and the researcher's participant page. */
export async function findReminderSubscription(
  db: Db,
  participantId: string,
): Promise<{ studyTitle: string; unsubscribedAt: Date | null } | undefined> {
  const row = (await db({ p: 'participants' })
    .join({ s: 'studies' }, 's.id', 'p.study_id')
    .where('p.id', participantId)
    .first('s.title', 'p.reminders_unsubscribed_at')) as
    { title: string; reminders_unsubscribed_at: Date | null } | undefined;
  return row ? { studyTitle: row.title, unsubscribedAt: row.reminders_unsubscribed_at } : undefined;
}

/** Participants of the study with a confirmed booking: whose plan follows a change of the study's reminders. */
export async function participantsWithConfirmedBookings(db: Db, studyId: string): Promise<string[]> {
  return db('bookings')
    .where({ study_id: studyId, state: 'confirmed' })
    .orderBy('participant_id')
    .pluck('participant_id');
}
