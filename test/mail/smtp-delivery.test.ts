import { SEND_EMAIL } from '../../src/jobs/names';
import type { JobQueue } from '../../src/jobs/queue';
import { renderInvitationEmail } from '../../src/mail/invitation-email';
import { createMailTransport, type MailTransport } from '../../src/mail/mail-transport';
import { enqueueEmail, findOutboxEmail } from '../../src/mail/outbox-repository';
import { deliverOutboxEmail, describeSendError } from '../../src/mail/send-email-worker';
import { sleep, waitFor } from '../jobs/wait';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MAIL_FROM, anEmail, quietLogger, startMailWorker, testEmailQueueOptions } from './fixtures';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server';

describe('Sending outbox emails over SMTP', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  let queue: JobQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    transport = createMailTransport({ smtpUrl: smtp.url, from: MAIL_FROM }, db.knex, quietLogger);
    queue = await startMailWorker(db.knex, db.url, transport);
  });
  afterAll(async () => {
    await queue.stop();
    transport.close();
    await smtp.close();
    await db.drop();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.answer = () => ({ accept: true });
  });

  const enqueue = (email = anEmail()) => db.knex.transaction((trx) => enqueueEmail(trx, queue, email));
  const sentState = async (outboxId: string) => (await findOutboxEmail(db.knex, outboxId))?.state === 'sent';

  test('When an invitation is queued, then the SMTP server receives it with both parts and its Message-ID', async () => {
    const rendered = renderInvitationEmail({
      participantName: 'Zoë Ångström',
      studyTitle: 'Checkout redesign',
      durationMinutes: 45,
      researcherName: 'Grace Hopper',
      bookingUrl: 'https://scheduler.test/book/tok_123',
      kind: 'invitation',
    });
    const outboxId = await enqueue(
      anEmail({ toEmail: 'zoe@example.org', toName: 'Zoë Ångström', ...rendered }),
    );

    await waitFor(() => sentState(outboxId), { what: 'the email to be sent' });

    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message!.envelopeTo).toEqual(['zoe@example.org']);
    expect(message!.envelopeFrom).toBe('no-reply@scheduler.test');
    expect(message!.mail.headers.get('to')).toBe('Zoë Ångström <zoe@example.org>');
    expect(message!.mail.headers.get('from')).toBe(MAIL_FROM);
    expect(message!.mail.subject).toBe(rendered.subject);
    expect(message!.mail.headers.get('message-id')).toBe(`<${outboxId}@interview-scheduler>`);
    expect(message!.mail.text).toBe(rendered.text);
    expect(message!.mail.html).toBe(rendered.html);
    expect(await findOutboxEmail(db.knex, outboxId)).toMatchObject({
      state: 'sent',
      attempts: 1,
      messageId: `<${outboxId}@interview-scheduler>`,
      sentAt: expect.any(Date),
    });
  });

  test('When the SMTP server refuses once with 451, then the email is retried and delivered exactly once', async () => {
    let refusals = 0;
    smtp.answer = () =>
      refusals++ === 0
        ? { accept: false, code: 451, message: 'Greylisted, try again later' }
        : { accept: true };
    const outboxId = await enqueue();

    await waitFor(() => sentState(outboxId), { what: 'the retried email to be sent' });
    await sleep(1000); // time for a wrongful second delivery to show up

    expect(smtp.received).toHaveLength(1);
    const row = await findOutboxEmail(db.knex, outboxId);
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
    expect(row!.lastError).toContain('451');
    expect(row!.lastError).toContain('Greylisted');
  });

  test('When the SMTP server refuses every attempt, then after the last one the email is marked failed', async () => {
    // A job keeps the retry limit its queue had when it was written; one retry keeps this short.
    await queue.defineQueue(SEND_EMAIL, { ...testEmailQueueOptions, retryLimit: 1 });
    smtp.answer = () => ({ accept: false, code: 451, message: 'Mailbox busy' });
    const outboxId = await enqueue(anEmail({ text: 'SECRET-BODY-TEXT', html: '<p>SECRET-BODY-HTML</p>' }));
    await queue.defineQueue(SEND_EMAIL, testEmailQueueOptions);

    await waitFor(async () => (await findOutboxEmail(db.knex, outboxId))?.state === 'failed', {
      what: 'the email to be given up',
    });

    const row = await findOutboxEmail(db.knex, outboxId);
    expect(row!.attempts).toBe(2);
    expect(row!.lastError).toContain('451');
    expect(row!.lastError).not.toContain('SECRET-BODY');
    expect(smtp.received).toHaveLength(0);
  });

  test('When a job runs for an email already sent, then nothing is sent again', async () => {
    const outboxId = await enqueue();
    await waitFor(() => sentState(outboxId), { what: 'the email to be sent' });

    const outcome = await deliverOutboxEmail(
      { knex: db.knex, transport, logger: quietLogger, from: MAIL_FROM },
      outboxId,
      false,
    );

    expect(outcome).toBe('skipped');
    expect(smtp.received).toHaveLength(1);
  });

  test('When an SMTP error is described, then credentials and line breaks are not kept', () => {
    const error = Object.assign(
      new Error('Invalid login for smtp://mailer:hunter2@mail.example.org:\r\n535 no'),
      {
        code: 'EAUTH',
        responseCode: 535,
      },
    );
    expect(describeSendError(error)).toBe(
      'EAUTH 535: Invalid login for smtp://[redacted]@mail.example.org: 535 no',
    );
  });
});
