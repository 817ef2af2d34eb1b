import { SEND_EMAIL } from '../../src/jobs/names';
import type { JobQueue } from '../../src/jobs/queue';
import { createMailTransport, type MailTransport } from '../../src/mail/mail-transport';
import { findOutboxEmail } from '../../src/mail/outbox-repository';
import { deliverOutboxEmail, describeSendError, isPermanentRefusal } from '../../src/mail/send-email-worker';
import { sleep, waitFor } from '../jobs/wait';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  MAIL_FROM,
  MAIL_KEYS,
  enqueueInvitation,
  expectedInvitation,
  quietLogger,
  startMailWorker,
  testEmailQueueOptions,
  type InvitationOptions,
} from './fixtures';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server';

describe('Sending outbox emails over SMTP', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  let queue: JobQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    transport = createMailTransport(
      { smtpUrl: smtp.url, from: MAIL_FROM, concurrency: 2 },
      db.knex,
      quietLogger,
    );
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

  const enqueue = (options: InvitationOptions = {}) => enqueueInvitation(db.knex, queue, options);
  const sentState = async (outboxId: string) => (await findOutboxEmail(db.knex, outboxId))?.state === 'sent';

  test('When an invitation is queued, then the SMTP server receives it rendered with the decrypted link, both parts and its Message-ID', async () => {
    const invitation = {
      toEmail: 'zoe@example.org',
      toName: 'Zoë Ångström',
      bookingUrl: 'https://scheduler.test/book/tok_123',
    };
    const rendered = expectedInvitation(invitation);
    const outboxId = await enqueue(invitation);

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
    expect(message!.mail.text).toContain('https://scheduler.test/book/tok_123');
    expect(await findOutboxEmail(db.knex, outboxId)).toMatchObject({
      state: 'sent',
      attempts: 1,
      messageId: `<${outboxId}@interview-scheduler>`,
      sentAt: expect.any(Date),
      subject: rendered.subject,
      bookingUrl: null,
      legacyBody: null,
    });
  });

  test('When the SMTP server refuses with 550, then the email fails after one attempt with the server’s reason and its link is dropped', async () => {
    smtp.answer = () => ({ accept: false, code: 550, message: '5.1.1 Mailbox does not exist' });
    const before = smtp.dataCount();
    const outboxId = await enqueue({ bookingUrl: 'https://scheduler.test/book/refused-token' });

    await waitFor(async () => (await findOutboxEmail(db.knex, outboxId))?.state === 'failed', {
      what: 'the refused email to be failed',
    });
    await sleep(2500); // past the first retry delay (1 s here): a wrongful retry would show

    expect(smtp.dataCount() - before).toBe(1);
    const row = await findOutboxEmail(db.knex, outboxId);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, bookingUrl: null, sentAt: null });
    expect(row!.lastError).toContain('550');
    expect(row!.lastError).toContain('Mailbox does not exist');
    expect(row!.lastError).not.toContain('refused-token');
  });

  test('When an SMTP error is classified, then only a 5xx reply is permanent (not a refused login); 4xx, connection errors and timeouts are retried', () => {
    const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error('refused'), fields);
    expect(isPermanentRefusal(smtpError({ code: 'EENVELOPE', responseCode: 550 }))).toBe(true);
    expect(isPermanentRefusal(smtpError({ code: 'EMESSAGE', responseCode: 554 }))).toBe(true);
    expect(isPermanentRefusal(smtpError({ code: 'EENVELOPE', responseCode: 451 }))).toBe(false);
    expect(isPermanentRefusal(smtpError({ code: 'EPROTOCOL', responseCode: 421 }))).toBe(false);
    expect(isPermanentRefusal(smtpError({ code: 'EAUTH', responseCode: 535 }))).toBe(false);
    expect(isPermanentRefusal(smtpError({ code: 'ECONNECTION' }))).toBe(false);
    expect(isPermanentRefusal(smtpError({ code: 'ETIMEDOUT' }))).toBe(false);
    expect(isPermanentRefusal(new Error('socket hang up'))).toBe(false);
    expect(isPermanentRefusal('550')).toBe(false);
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
    const outboxId = await enqueue({ bookingUrl: 'https://scheduler.test/book/SECRET-LINK-TOKEN' });
    await queue.defineQueue(SEND_EMAIL, testEmailQueueOptions);

    await waitFor(async () => (await findOutboxEmail(db.knex, outboxId))?.state === 'failed', {
      what: 'the email to be given up',
    });

    const row = await findOutboxEmail(db.knex, outboxId);
    expect(row!.attempts).toBe(2);
    expect(row!.lastError).toContain('451');
    expect(row!.lastError).not.toContain('SECRET-LINK');
    expect(row!.bookingUrl).toBeNull();
    expect(smtp.received).toHaveLength(0);
  });

  test('When a job runs for an email already sent, then nothing is sent again', async () => {
    const outboxId = await enqueue();
    await waitFor(() => sentState(outboxId), { what: 'the email to be sent' });

    const outcome = await deliverOutboxEmail(
      { knex: db.knex, transport, logger: quietLogger, from: MAIL_FROM, keys: MAIL_KEYS },
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
