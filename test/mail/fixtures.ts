import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createJobQueue, type JobQueue, type QueueOptions } from '../../src/jobs/queue';
import { createLogger } from '../../src/logger';
import { renderInvitationEmail, type RenderedEmail } from '../../src/mail/invitation-email';
import type { MailTransport } from '../../src/mail/mail-transport';
import { enqueueEmail, type EmailKind, type NewEmail } from '../../src/mail/outbox-repository';
import { registerEmailWorker } from '../../src/mail/send-email-worker';
import { encryptToken } from '../../src/security/token-cipher';

export const quietLogger = createLogger('silent');

export const MAIL_FROM = 'Interview Scheduler <no-reply@scheduler.test>';

/** The key ring the outbox's booking links are encrypted under in these tests. */
export const MAIL_KEYS = [{ id: 'mail-test', key: Buffer.alloc(32, 3) }];

/** Production's policy (exponential backoff), with delays small enough for a test. */
export const testEmailQueueOptions: QueueOptions = {
  retryLimit: 3,
  retryDelaySeconds: 1,
  retryBackoff: true,
  expireInSeconds: 30,
};

export function newQueue(databaseUrl: string, stopTimeoutMs = 10_000): JobQueue {
  return createJobQueue({ databaseUrl, logger: quietLogger, pollingIntervalSeconds: 0.5, stopTimeoutMs });
}

/** A started queue working the send-email jobs through `transport`. */
export async function startMailWorker(
  knex: Knex,
  databaseUrl: string,
  transport: MailTransport,
  options: { queueOptions?: QueueOptions; stopTimeoutMs?: number; concurrency?: number } = {},
): Promise<JobQueue> {
  const queue = newQueue(databaseUrl, options.stopTimeoutMs);
  await queue.start();
  await registerEmailWorker(queue, {
    knex,
    transport,
    logger: quietLogger,
    from: MAIL_FROM,
    keys: MAIL_KEYS,
    queueOptions: options.queueOptions ?? testEmailQueueOptions,
    workOptions: { concurrency: options.concurrency ?? 1 },
  });
  return queue;
}

/** A researcher, a study and one participant, as the invite use case would store them. */
export async function insertParticipant(
  db: Knex | Knex.Transaction,
  email = 'ada@example.org',
  name = 'Ada Lovelace',
  studyTitle = 'Checkout redesign',
): Promise<string> {
  const [researcher] = await db('researchers')
    .insert({ google_sub: randomUUID(), email: 'grace@example.org', name: 'Grace Hopper' })
    .returning('id');
  const [study] = await db('studies')
    .insert({
      researcher_id: researcher.id,
      title: studyTitle,
      duration_minutes: 45,
      time_zone: 'Europe/Berlin',
      availability: JSON.stringify({ weekly: {} }),
      horizon_days: 14,
      event_title: 'Interview',
    })
    .returning('id');
  const [participant] = await db('participants')
    .insert({
      study_id: study.id,
      researcher_id: researcher.id,
      name,
      email,
      booking_token_hash: randomBytes(32).toString('hex'),
    })
    .returning('id');
  return participant.id as string;
}

export interface InvitationOptions {
  toEmail?: string;
  toName?: string;
  studyTitle?: string;
  bookingUrl?: string;
  kind?: Extract<EmailKind, 'invitation' | 'reinvitation'>;
}

/**
 * An invitation as `queueInvitation` writes it: for a participant of its own (researcher
 * Grace Hopper, a 45-minute study, "Checkout redesign" unless named), the link encrypted
 * under MAIL_KEYS.
 */
export async function anInvitation(
  trx: Knex.Transaction,
  options: InvitationOptions = {},
): Promise<NewEmail> {
  const toEmail = options.toEmail ?? 'ada@example.org';
  const toName = options.toName ?? 'Ada Lovelace';
  const participantId = await insertParticipant(trx, toEmail, toName, options.studyTitle);
  return {
    participantId,
    kind: options.kind ?? 'invitation',
    toEmail,
    toName,
    bookingUrl: encryptToken(options.bookingUrl ?? 'https://scheduler.test/book/abc', MAIL_KEYS),
  };
}

/** Writes an invitation and its job in one transaction; returns the outbox id. */
export function enqueueInvitation(
  knex: Knex,
  queue: JobQueue,
  options: InvitationOptions = {},
): Promise<string> {
  return knex.transaction(async (trx) => enqueueEmail(trx, queue, await anInvitation(trx, options)));
}

/** The message the worker renders for `anInvitation(trx, options)`. */
export function expectedInvitation(options: InvitationOptions = {}): RenderedEmail {
  return renderInvitationEmail({
    participantName: options.toName ?? 'Ada Lovelace',
    studyTitle: options.studyTitle ?? 'Checkout redesign',
    durationMinutes: 45,
    researcherName: 'Grace Hopper',
    bookingUrl: options.bookingUrl ?? 'https://scheduler.test/book/abc',
    kind: options.kind ?? 'invitation',
  });
}
