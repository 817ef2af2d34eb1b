import { SEND_EMAIL } from '../../src/jobs/names';
import type { JobQueue } from '../../src/jobs/queue';
import { enqueueEmail, findOutboxEmail } from '../../src/mail/outbox-repository';
import { EMAIL_QUEUE_OPTIONS, requeuePendingEmails } from '../../src/mail/send-email-worker';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { anEmail, insertParticipant, newQueue } from './fixtures';

describe('The email outbox', () => {
  let db: TestDatabase;
  let queue: JobQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
    // No worker here: the jobs stay where they were written, to be looked at.
    queue = newQueue(db.url);
    await queue.start();
    await queue.defineQueue(SEND_EMAIL, EMAIL_QUEUE_OPTIONS);
  });
  afterAll(async () => {
    await queue.stop();
    await db.drop();
  });

  const jobsFor = (outboxId: string) =>
    db.knex
      .withSchema('pgboss')
      .from('job')
      .where({ name: SEND_EMAIL, singleton_key: outboxId })
      .select<{ state: string; data: unknown }[]>('state', 'data');

  test('When a participant is created with its invitation, then the outbox row and its job exist together', async () => {
    const { participantId, outboxId } = await db.knex.transaction(async (trx) => {
      const participantId = await insertParticipant(trx, 'committed@example.org');
      const outboxId = await enqueueEmail(
        trx,
        queue,
        anEmail({ participantId, toEmail: 'committed@example.org' }),
      );
      return { participantId, outboxId };
    });

    expect(await findOutboxEmail(db.knex, outboxId)).toMatchObject({
      participantId,
      kind: 'invitation',
      toEmail: 'committed@example.org',
      state: 'pending',
      attempts: 0,
      messageId: null,
      sentAt: null,
    });
    // The job carries only the outbox id: no address or body sits in the job table.
    expect(await jobsFor(outboxId)).toEqual([{ state: 'created', data: { outboxId } }]);
  });

  test('When the transaction rolls back, then neither the outbox row nor the job exists', async () => {
    let outboxId = '';
    await expect(
      db.knex.transaction(async (trx) => {
        const participantId = await insertParticipant(trx, 'rolled-back@example.org');
        outboxId = await enqueueEmail(
          trx,
          queue,
          anEmail({ participantId, toEmail: 'rolled-back@example.org' }),
        );
        throw new Error('the invite failed after the email was queued');
      }),
    ).rejects.toThrow('the invite failed');

    expect(outboxId).not.toBe('');
    expect(await findOutboxEmail(db.knex, outboxId)).toBeUndefined();
    expect(await jobsFor(outboxId)).toEqual([]);
    expect(await db.knex('participants').where({ email: 'rolled-back@example.org' })).toEqual([]);
  });

  test('When a pending email has lost its job, then start-up gives it exactly one new job', async () => {
    const [orphan] = await db
      .knex('email_outbox')
      .insert({
        kind: 'invitation',
        to_email: 'orphan@example.org',
        subject: 's',
        text_body: 't',
        html_body: 'h',
      })
      .returning('id');
    const withJob = await db.knex.transaction((trx) => enqueueEmail(trx, queue, anEmail()));
    const [sent] = await db
      .knex('email_outbox')
      .insert({
        kind: 'invitation',
        to_email: 'sent@example.org',
        subject: 's',
        text_body: 't',
        html_body: 'h',
        state: 'sent',
      })
      .returning('id');

    // Two instances starting at the same moment: the advisory lock lets only one add the job.
    const added = await Promise.all([
      requeuePendingEmails(db.knex, queue),
      requeuePendingEmails(db.knex, queue),
    ]);

    expect(added[0]! + added[1]!).toBe(1);
    expect(await jobsFor(orphan.id)).toEqual([{ state: 'created', data: { outboxId: orphan.id } }]);
    expect(await jobsFor(withJob)).toHaveLength(1);
    expect(await jobsFor(sent.id)).toEqual([]);
    expect(await requeuePendingEmails(db.knex, queue)).toBe(0);
  });

  test('When a pending email’s job has failed for good, then start-up gives it a new one', async () => {
    const outboxId = await db.knex.transaction((trx) => enqueueEmail(trx, queue, anEmail()));
    await db.knex
      .withSchema('pgboss')
      .from('job')
      .where({ singleton_key: outboxId })
      .update({ state: 'failed' });

    expect(await requeuePendingEmails(db.knex, queue)).toBe(1);

    expect((await jobsFor(outboxId)).map((job) => job.state).sort()).toEqual(['created', 'failed']);
  });
});
