import type { JobQueue } from '../../src/jobs/queue';
import { createMailTransport, type MailTransport } from '../../src/mail/mail-transport';
import { findOutboxEmail } from '../../src/mail/outbox-repository';
import { requeuePendingEmails } from '../../src/mail/send-email-worker';
import { sleep, waitFor } from '../jobs/wait';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MAIL_FROM, enqueueInvitation, quietLogger, startMailWorker } from './fixtures';
import { startSmtpServer, type Answer, type TestSmtpServer } from './smtp-test-server';

/**
 * A worker stopped in the middle of a send: nothing may be lost, and nothing sent twice —
 * except in the one documented window (accepted by SMTP, not yet committed), where the
 * resend carries the same Message-ID.
 */
describe('Stopping the email worker mid-send', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    transport = createMailTransport(
      { smtpUrl: smtp.url, from: MAIL_FROM, concurrency: 2 },
      db.knex,
      quietLogger,
    );
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.stop();
    smtp.received.length = 0;
    smtp.answer = () => ({ accept: true });
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
    await db.drop();
  });

  const startWorker = async (stopTimeoutMs: number) => {
    const queue = await startMailWorker(db.knex, db.url, transport, { stopTimeoutMs });
    queues.push(queue);
    return queue;
  };
  const enqueue = (queue: JobQueue) => enqueueInvitation(db.knex, queue);
  const outbox = async (outboxId: string) => (await findOutboxEmail(db.knex, outboxId))!;

  /** The server keeps the next message's DATA unanswered until released. */
  const holdNextMessage = () => {
    let release: (answer: Answer) => void = () => {};
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    smtp.answer = () => {
      smtp.answer = () => ({ accept: true });
      arrived();
      return new Promise<Answer>((resolve) => (release = resolve));
    };
    return { arrival, release: (answer: Answer) => release(answer) };
  };

  test('When the worker is stopped while the server holds the message, then stop waits and it is sent once', async () => {
    const first = await startWorker(10_000);
    const held = holdNextMessage();
    const outboxId = await enqueue(first);
    await held.arrival;

    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await sleep(700);
    expect(stopped).toBe(false); // still waiting for the send in progress
    held.release({ accept: true });
    await stopping;

    expect(await outbox(outboxId)).toMatchObject({ state: 'sent', attempts: 1 });
    const second = await startWorker(10_000);
    expect(await requeuePendingEmails(db.knex, second)).toBe(0);
    await sleep(1500);
    expect(smtp.received).toHaveLength(1);
  });

  test('When the stop gives up on a send that then never completes, then a new worker delivers it exactly once', async () => {
    const first = await startWorker(1000);
    const held = holdNextMessage();
    const outboxId = await enqueue(first);
    await held.arrival;

    await first.stop(); // gives up after 1 s: the job goes back to be retried
    expect(await outbox(outboxId)).toMatchObject({ state: 'pending' });
    // The connection dies before the server took the message: the old send ends unsent.
    held.release({ accept: false, code: 451, message: 'Connection lost before the message was taken' });
    await waitFor(async () => (await outbox(outboxId)).attempts === 1, { what: 'the failed attempt' });

    await startWorker(10_000);
    await waitFor(async () => (await outbox(outboxId)).state === 'sent', {
      what: 'the new worker to send it',
    });
    await sleep(1000);

    expect(smtp.received).toHaveLength(1);
    expect(await outbox(outboxId)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  test('When the server accepted but the commit was lost, then the resend carries the same Message-ID', async () => {
    let terminated = 0;
    smtp.answer = async () => {
      if (terminated === 0) {
        // The worker's transaction dies between "250 accepted" and "mark sent": a crash there.
        const result = await db.knex.raw<{ rows: unknown[] }>(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND state = 'idle in transaction' AND query LIKE '%FOR UPDATE OF o SKIP LOCKED%'`,
        );
        terminated = result.rows.length;
      }
      return { accept: true };
    };
    const queue = await startWorker(10_000);
    const outboxId = await enqueue(queue);

    await waitFor(async () => (await outbox(outboxId)).state === 'sent', { what: 'the resend' });

    expect(terminated).toBe(1);
    expect(smtp.received.map((message) => message.mail.headers.get('message-id'))).toEqual([
      `<${outboxId}@interview-scheduler>`,
      `<${outboxId}@interview-scheduler>`,
    ]);
  });
});
