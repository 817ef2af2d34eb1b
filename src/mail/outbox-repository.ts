import type { Knex } from 'knex';
import { SEND_EMAIL } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';

export type EmailKind = 'invitation' | 'reinvitation';

export interface NewEmail {
  participantId?: string;
  kind: EmailKind;
  toEmail: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
}

export interface OutboxEmail {
  id: string;
  participantId: string | null;
  kind: string;
  toEmail: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** What the send-email job carries: only the row's id, never the address or the body. */
export interface SendEmailJobData {
  outboxId: string;
}

interface OutboxRow {
  id: string;
  participant_id: string | null;
  kind: string;
  to_email: string;
  to_name: string;
  subject: string;
  text_body: string;
  html_body: string;
  state: OutboxEmail['state'];
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * The transactional outbox: the email row and the job that delivers it are written in the
 * caller's transaction. If the participant is created, both exist; if it rolls back, neither
 * does — so a crash can neither lose the invitation nor send one for a participant that
 * was never stored. Returns the outbox id.
 */
export async function enqueueEmail(trx: Knex.Transaction, queue: JobQueue, email: NewEmail): Promise<string> {
  const [row] = await trx<OutboxRow>('email_outbox')
    .insert({
      participant_id: email.participantId ?? null,
      kind: email.kind,
      to_email: email.toEmail,
      to_name: email.toName,
      subject: email.subject,
      text_body: email.text,
      html_body: email.html,
    })
    .returning('id');
  if (!row) throw new Error('email_outbox insert returned no row');
  await sendJob(trx, queue, row.id);
  return row.id;
}

/** A job for one outbox row; its singleton key is the outbox id so a live job can be found. */
export async function sendJob(trx: Knex.Transaction, queue: JobQueue, outboxId: string): Promise<void> {
  const data: SendEmailJobData = { outboxId };
  await queue.send(SEND_EMAIL, data, { trx, singletonKey: outboxId });
}

export type Claim =
  | { outcome: 'claimed'; email: OutboxEmail }
  /** Another worker holds the row right now (it is mid-send). */
  | { outcome: 'busy' }
  /** Sent or failed already, or deleted: nothing to do. */
  | { outcome: 'finished' };

/**
 * Locks a pending row for the rest of the transaction. SKIP LOCKED makes a second worker
 * (a duplicate job, or a retry while a stopped worker is still finishing) step aside at
 * once instead of waiting and sending the same email again after the first commits.
 */
export async function claimForSending(trx: Knex.Transaction, outboxId: string): Promise<Claim> {
  const locked = await trx.raw<{ rows: OutboxRow[] }>(
    `SELECT * FROM email_outbox WHERE id = ? AND state = 'pending' FOR UPDATE SKIP LOCKED`,
    [outboxId],
  );
  const row = locked.rows[0];
  if (row) return { outcome: 'claimed', email: toEmail(row) };
  const current = await trx<OutboxRow>('email_outbox').where('id', outboxId).first('state');
  return current?.state === 'pending' ? { outcome: 'busy' } : { outcome: 'finished' };
}

export async function markSent(trx: Knex.Transaction, outboxId: string, messageId: string): Promise<void> {
  await trx('email_outbox')
    .where('id', outboxId)
    .update({
      state: 'sent',
      message_id: messageId,
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
      ...(giveUp ? { state: 'failed' } : {}),
    });
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

function toEmail(row: OutboxRow): OutboxEmail {
  return {
    id: row.id,
    participantId: row.participant_id,
    kind: row.kind,
    toEmail: row.to_email,
    toName: row.to_name,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
