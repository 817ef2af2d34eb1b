import { SEND_EMAIL } from '../../src/jobs/names';
import type { JobQueue } from '../../src/jobs/queue';
import { enqueueEmail, findOutboxEmail } from '../../src/mail/outbox-repository';
import { EMAIL_QUEUE_OPTIONS, requeuePendingEmails } from '../../src/mail/send-email-worker';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MAIL_KEYS, anInvitation, enqueueInvitation, newQueue } from './fixtures';
import { decryptToken } from '../../src/security/token-cipher';

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

  test('When a participant is created with its invitation, then the outbox row and its job exist together, the link only encrypted', async () => {
    const bookingUrl = 'https://scheduler.test/book/committed-token';
    const { participantId, outboxId } = await db.knex.transaction(async (trx) => {
      const email = await anInvitation(trx, { toEmail: 'committed@example.org', bookingUrl });
      return { participantId: email.participantId, outboxId: await enqueueEmail(trx, queue, email) };
    });

    const row = await findOutboxEmail(db.knex, outboxId);
    expect(row).toMatchObject({
      participantId,
      kind: 'invitation',
      toEmail: 'committed@example.org',
      state: 'pending',
      attempts: 0,
      messageId: null,
      sentAt: null,
      subject: null,
      legacyBody: null,
      bookingUrl: { keyId: 'mail-test', ciphertext: expect.stringMatching(/^v1\./) },
    });
    expect(JSON.stringify(await db.knex('email_outbox').where({ id: outboxId }).first())).not.toContain(
      'committed-token',
    );
    expect(decryptToken(row!.bookingUrl!, MAIL_KEYS)).toBe(bookingUrl);
    // The job carries only the outbox id: no address or body sits in the job table.
    expect(await jobsFor(outboxId)).toEqual([{ state: 'created', data: { outboxId } }]);
  });

  test('When the transaction rolls back, then neither the outbox row nor the job exists', async () => {
    let outboxId = '';
    await expect(
      db.knex.transaction(async (trx) => {
        outboxId = await enqueueEmail(
          trx,
          queue,
          await anInvitation(trx, { toEmail: 'rolled-back@example.org' }),
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
    const withJob = await enqueueInvitation(db.knex, queue);
    // A sent row keeps no body and no link (the table's check constraint holds it to that).
    const [sent] = await db
      .knex('email_outbox')
      .insert({ kind: 'invitation', to_email: 'sent@example.org', subject: 's', state: 'sent' })
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

  test('When a finished row would keep its body or its encrypted link, then the database refuses it', async () => {
    const outboxId = await enqueueInvitation(db.knex, queue);

    await expect(db.knex('email_outbox').where({ id: outboxId }).update({ state: 'sent' })).rejects.toThrow(
      /email_outbox_finished_holds_no_link/,
    );
    await expect(
      db.knex('email_outbox').insert({
        kind: 'invitation',
        to_email: 'x@example.org',
        subject: 's',
        text_body: 'https://scheduler.test/book/abc',
        html_body: 'h',
        state: 'failed',
      }),
    ).rejects.toThrow(/email_outbox_finished_holds_no_link/);
  });

  test('When a pending email’s job has failed for good, then start-up gives it a new one', async () => {
    const outboxId = await enqueueInvitation(db.knex, queue);
    await db.knex
      .withSchema('pgboss')
      .from('job')
      .where({ singleton_key: outboxId })
      .update({ state: 'failed' });

    expect(await requeuePendingEmails(db.knex, queue)).toBe(1);

    expect((await jobsFor(outboxId)).map((job) => job.state).sort()).toEqual(['created', 'failed']);
  });
});
