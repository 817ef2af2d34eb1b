import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createJobQueue, type JobQueue, type QueueOptions } from '../../src/jobs/queue';
import { createLogger } from '../../src/logger';
import type { MailTransport } from '../../src/mail/mail-transport';
import type { NewEmail } from '../../src/mail/outbox-repository';
import { registerEmailWorker } from '../../src/mail/send-email-worker';

export const quietLogger = createLogger('silent');

export const MAIL_FROM = 'Interview Scheduler <no-reply@scheduler.test>';

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
  options: { queueOptions?: QueueOptions; stopTimeoutMs?: number } = {},
): Promise<JobQueue> {
  const queue = newQueue(databaseUrl, options.stopTimeoutMs);
  await queue.start();
  await registerEmailWorker(queue, {
    knex,
    transport,
    logger: quietLogger,
    from: MAIL_FROM,
    queueOptions: options.queueOptions ?? testEmailQueueOptions,
  });
  return queue;
}

/** A researcher, a study and one participant, as the invite use case would store them. */
export async function insertParticipant(
  db: Knex | Knex.Transaction,
  email = 'ada@example.org',
): Promise<string> {
  const [researcher] = await db('researchers')
    .insert({ google_sub: randomUUID(), email: 'grace@example.org', name: 'Grace Hopper' })
    .returning('id');
  const [study] = await db('studies')
    .insert({
      researcher_id: researcher.id,
      title: 'Checkout redesign',
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
      name: 'Ada Lovelace',
      email,
      booking_token_hash: randomBytes(32).toString('hex'),
    })
    .returning('id');
  return participant.id as string;
}

export function anEmail(overrides: Partial<NewEmail> = {}): NewEmail {
  return {
    kind: 'invitation',
    toEmail: 'ada@example.org',
    toName: 'Ada Lovelace',
    subject: 'Choose a time for your interview: Checkout redesign',
    text: 'Hello Ada,\n\nChoose a time:\nhttps://scheduler.test/book/abc\n',
    html: '<p>Hello Ada,</p><p><a href="https://scheduler.test/book/abc">Choose a time</a></p>',
    ...overrides,
  };
}
