import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { StudyEmailTemplates } from './email-templates';
import { SEND_EMAIL } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import type { EncryptedToken } from '../security/token-cipher';

export type EmailKind =
  | 'invitation'
  | 'reinvitation'
  | 'reminder'
  | 'confirmation'
  | 'update'
  | 'cancellation'
  /** A colleague invited to a research team (src/teams): about no participant. */
  | 'team_invitation';

/**
 * An invitation to send. The message itself is not stored: it is rendered at send time
 * from the participant, and the booking link waits encrypted until then.
 */
export interface NewEmail {
  participantId: string;
  kind: EmailKind;
  toEmail: string;
  toName: string;
  /** Absent for emails that read the participant's current link at send time (reminders). */
  bookingUrl?: EncryptedToken;
}

/** `superseded`: a re-invitation replaced it before it was sent; its link no longer works. */
export type OutboxState = 'pending' | 'sent' | 'failed' | 'superseded';

export interface OutboxEmail {
  id: string;
  participantId: string | null;
  kind: string;
  toEmail: string;
  toName: string;
  /** The subject that was sent; null until then. */
  subject: string | null;
  /** Until sent or given up; null afterwards (and on rows from before the encryption). */
  bookingUrl: EncryptedToken | null;
  /**
   * Bodies rendered and stored before the booking link was kept encrypted: only rows still
   * pending at that upgrade have them, until their first send attempt.
   */
  legacyBody: { text: string; html: string } | null;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** The booking an email about an interview reports on (confirmation, update, cancellation). */
  bookingId: string | null;
  /** What was kept from the moment of the change (an update's old time). */
  details: Record<string, unknown> | null;
}

/** What the invitation is rendered from at send time; absent once the participant is gone. */
export interface InvitationContext {
  participantName: string;
  studyTitle: string;
  durationMinutes: number;
  researcherName: string;
  researcherEmail: string;
  /** The study's own wording per kind of email, read at send time like the rest. */
  emailTemplates: StudyEmailTemplates;
}

/** What the send-email job carries: only the row's id, never the address, body or link. */
export interface SendEmailJobData {
  outboxId: string;
}

interface OutboxRow {
  id: string;
  participant_id: string | null;
  kind: string;
  to_email: string;
  to_name: string;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  booking_url_ciphertext: string | null;
  booking_url_key_id: string | null;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
  booking_id?: string | null;
  details?: Record<string, unknown> | null;
}

interface ContextColumns {
  participant_name: string | null;
  study_title: string | null;
  duration_minutes: number | null;
  researcher_name: string | null;
  researcher_email: string | null;
  email_templates: StudyEmailTemplates | null;
}

/**
 * The transactional outbox: the email row and the job that delivers it are written in the
 * caller's transaction. If the participant is created, both exist; if it rolls back, neither
 * does — so a crash can neither lose the invitation nor send one for a participant that
 * was never stored. Returns the outbox id.
 */
export async function enqueueEmail(trx: Knex.Transaction, queue: JobQueue, email: NewEmail): Promise<string> {
  const [id] = await enqueueEmails(trx, queue, [email]);
  if (!id) throw new Error('email_outbox insert returned no row');
  return id;
}

/**
 * `enqueueEmail` for many emails at once: the rows in one INSERT and their jobs in one more,
 * however many there are — a bulk add of thousands of participants stays a few statements.
 * The ids are made here so each job is tied to its row without relying on the order of
 * RETURNING. Returns the outbox ids in the order of `emails`.
 */
export async function enqueueEmails(
  trx: Knex.Transaction,
  queue: JobQueue,
  emails: readonly NewEmail[],
): Promise<string[]> {
  const ids = emails.map(() => randomUUID());
  for (let start = 0; start < emails.length; start += 1000) {
    await trx<OutboxRow>('email_outbox').insert(
      emails.slice(start, start + 1000).map((email, offset) => ({
        id: ids[start + offset] ?? '',
        participant_id: email.participantId,
        kind: email.kind,
        to_email: email.toEmail,
        to_name: email.toName,
        booking_url_ciphertext: email.bookingUrl?.ciphertext ?? null,
        booking_url_key_id: email.bookingUrl?.keyId ?? null,
      })),
    );
  }
  const jobs = ids.map((outboxId) => ({
    data: { outboxId } satisfies SendEmailJobData,
    singletonKey: outboxId,
  }));
  await queue.sendMany(SEND_EMAIL, jobs, { trx });
  return ids;
}

/**
 * An email about no participant (a colleague's team invitation), its link sealed like a
 * booking link. The dedupe key makes it once-only: a retried request or transaction writes
 * no second row. Returns the outbox id, or undefined when the key was already written.
 */
export async function enqueueKeyedEmail(
  trx: Knex.Transaction,
  queue: JobQueue,
  email: {
    kind: EmailKind;
    dedupeKey: string;
    toEmail: string;
    toName: string;
    link: EncryptedToken;
    details: Record<string, unknown>;
  },
): Promise<string | undefined> {
  const inserted = (await trx('email_outbox')
    .insert({
      kind: email.kind,
      dedupe_key: email.dedupeKey,
      to_email: email.toEmail,
      to_name: email.toName,
      booking_url_ciphertext: email.link.ciphertext,
      booking_url_key_id: email.link.keyId,
      details: JSON.stringify(email.details),
    })
    .onConflict('dedupe_key')
    .ignore()
    .returning('id')) as { id: string }[];
  const outboxId = inserted[0]?.id;
  if (outboxId) await sendJob(trx, queue, outboxId);
  return outboxId;
}

/** A job for one outbox row; its singleton key is the outbox id so a live job can be found. */
export async function sendJob(trx: Knex.Transaction, queue: JobQueue, outboxId: string): Promise<void> {
  const data: SendEmailJobData = { outboxId };
  await queue.send(SEND_EMAIL, data, { trx, singletonKey: outboxId });
}

export type Claim =
  | { outcome: 'claimed'; email: OutboxEmail; context: InvitationContext | undefined }
  /** Another worker holds the row right now (it is mid-send). */
  | { outcome: 'busy' }
  /** Sent or failed already, or deleted: nothing to do. */
  | { outcome: 'finished' };

/**
 * Locks a pending row for the rest of the transaction, and reads what its invitation is
 * rendered from in the same statement. SKIP LOCKED makes a second worker (a duplicate job,
 * or a retry while a stopped worker is still finishing) step aside at once instead of
 * waiting and sending the same email again after the first commits.
 */
export async function claimForSending(trx: Knex.Transaction, outboxId: string): Promise<Claim> {
  const locked = await trx.raw<{ rows: (OutboxRow & ContextColumns)[] }>(
    `SELECT o.*,
            p.name AS participant_name,
            s.title AS study_title, s.duration_minutes, s.email_templates,
            CASE WHEN s.scheduling_type = 'round_robin' THEN t.name ELSE r.name END AS researcher_name,
            CASE WHEN s.scheduling_type = 'round_robin' THEN '' ELSE r.email END AS researcher_email
       FROM email_outbox o
       LEFT JOIN participants p ON p.id = o.participant_id
       LEFT JOIN studies s ON s.id = p.study_id
       LEFT JOIN teams t ON t.id = s.team_id
       -- Who invites: the study's organizer (first host), not whoever added the participant;
       -- a round robin's team, since any of its hosts may take the interview.
       LEFT JOIN LATERAL (SELECT h.researcher_id FROM study_hosts h
                           WHERE h.study_id = s.id ORDER BY h.position LIMIT 1) organizer ON true
       LEFT JOIN researchers r ON r.id = organizer.researcher_id
      WHERE o.id = ? AND o.state = 'pending'
        FOR UPDATE OF o SKIP LOCKED`,
    [outboxId],
  );
  const row = locked.rows[0];
  if (row) return { outcome: 'claimed', email: toEmail(row), context: toContext(row) };
  const current = await trx<OutboxRow>('email_outbox').where('id', outboxId).first('state');
  return current?.state === 'pending' ? { outcome: 'busy' } : { outcome: 'finished' };
}

/** Everything that could bring the link back goes with the send: the row keeps the record. */
const FORGET_LINK = {
  booking_url_ciphertext: null,
  booking_url_key_id: null,
  text_body: null,
  html_body: null,
} as const;

export async function markSent(
  trx: Knex.Transaction,
  outboxId: string,
  sent: { messageId: string; subject: string },
): Promise<void> {
  await trx('email_outbox')
    .where('id', outboxId)
    .update({
      ...FORGET_LINK,
      state: 'sent',
      subject: sent.subject,
      message_id: sent.messageId,
      sent_at: trx.fn.now(),
      attempts: trx.raw('attempts + 1'),
    });
}

/** `error` must already be free of secrets and of the body (see the worker). */
export async function recordFailedAttempt(
  trx: Knex.Transaction,
  outboxId: string,
  error: string,
  giveUp: boolean,
): Promise<void> {
  await trx('email_outbox')
    .where('id', outboxId)
    .update({
      attempts: trx.raw('attempts + 1'),
      last_error: error,
      ...(giveUp ? { ...FORGET_LINK, state: 'failed' } : {}),
    });
}

/**
 * A re-invitation replaces the participant's unsent invitations: their links stop working
 * with it, so sending them would only confuse. A row a worker is sending right now stays
 * locked until that send commits; this update then waits and finds it no longer pending.
 */
export async function supersedePendingInvitations(
  trx: Knex.Transaction,
  participantId: string,
): Promise<number> {
  // Invitations only: a cancellation or other news about an interview still has to go out.
  return trx('email_outbox')
    .where({ participant_id: participantId, state: 'pending' })
    .whereIn('kind', ['invitation', 'reinvitation'])
    .update({ ...FORGET_LINK, state: 'superseded' });
}

/**
 * No longer worth sending: a reminder for an interview that moved or was cancelled, or an
 * email about an interview overtaken by a later change. Not sent, not failed.
 */
export async function markSuperseded(trx: Knex.Transaction, outboxId: string, reason: string): Promise<void> {
  await trx('email_outbox')
    .where('id', outboxId)
    .update({ ...FORGET_LINK, state: 'superseded', last_error: reason });
}

/** Given up without an attempt at the mail server (nothing left to render it from). */
export async function markUnsendable(trx: Knex.Transaction, outboxId: string, reason: string): Promise<void> {
  await trx('email_outbox')
    .where('id', outboxId)
    .update({ ...FORGET_LINK, state: 'failed', last_error: reason });
}

export async function findPendingEmailIds(db: Knex | Knex.Transaction): Promise<string[]> {
  const rows = await db<OutboxRow>('email_outbox')
    .where('state', 'pending')
    .orderBy('created_at')
    .select('id');
  return rows.map((row) => row.id);
}

export async function findOutboxEmail(
  db: Knex | Knex.Transaction,
  outboxId: string,
): Promise<OutboxEmail | undefined> {
  const row = await db<OutboxRow>('email_outbox').where('id', outboxId).first();
  return row ? toEmail(row) : undefined;
}

/** A participant's emails, oldest first: what the researcher sees of their delivery. */
export async function listEmailsOfParticipant(
  db: Knex | Knex.Transaction,
  participantId: string,
): Promise<OutboxEmail[]> {
  const rows = await db<OutboxRow>('email_outbox')
    .where('participant_id', participantId)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .select('*');
  return rows.map(toEmail);
}

/** Encrypted links of unsent rows under another key than `currentKeyId` (for key rotation). */
export async function listLinksNotUnderKey(
  db: Knex,
  currentKeyId: string,
  limit: number,
): Promise<{ outboxId: string; bookingUrl: EncryptedToken }[]> {
  const rows = await db<OutboxRow>('email_outbox')
    .whereNotNull('booking_url_ciphertext')
    .whereNot('booking_url_key_id', currentKeyId)
    .orderBy('id')
    .limit(limit)
    .select('id', 'booking_url_ciphertext', 'booking_url_key_id');
  return rows.map((row) => ({
    outboxId: row.id,
    bookingUrl: { ciphertext: row.booking_url_ciphertext ?? '', keyId: row.booking_url_key_id ?? '' },
  }));
}

/** Replaces a link only if it is still the one that was read (it may have been sent meanwhile). */
export async function replaceEncryptedLink(
  db: Knex,
  outboxId: string,
  previous: EncryptedToken,
  next: EncryptedToken,
): Promise<boolean> {
  const changed = await db('email_outbox')
    .where({
      id: outboxId,
      booking_url_ciphertext: previous.ciphertext,
      booking_url_key_id: previous.keyId,
    })
    .update({ booking_url_ciphertext: next.ciphertext, booking_url_key_id: next.keyId });
  return changed > 0;
}

function toEmail(row: OutboxRow): OutboxEmail {
  return {
    id: row.id,
    participantId: row.participant_id,
    kind: row.kind,
    toEmail: row.to_email,
    toName: row.to_name,
    subject: row.subject,
    bookingUrl:
      row.booking_url_ciphertext !== null && row.booking_url_key_id !== null
        ? { ciphertext: row.booking_url_ciphertext, keyId: row.booking_url_key_id }
        : null,
    legacyBody:
      row.text_body !== null && row.html_body !== null ? { text: row.text_body, html: row.html_body } : null,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    bookingId: row.booking_id ?? null,
    details: row.details ?? null,
  };
}

function toContext(row: ContextColumns): InvitationContext | undefined {
  if (row.participant_name === null || row.study_title === null || row.duration_minutes === null) {
    return undefined;
  }
  return {
    participantName: row.participant_name,
    studyTitle: row.study_title,
    durationMinutes: row.duration_minutes,
    researcherName: row.researcher_name ?? '',
    researcherEmail: row.researcher_email ?? '',
    emailTemplates: row.email_templates ?? {},
  };
}
