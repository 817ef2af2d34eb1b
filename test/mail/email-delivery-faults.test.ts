import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex';
import type { JobQueue, QueueOptions } from '../../src/jobs/queue';
import { createMailTransport, type MailTransport } from '../../src/mail/mail-transport';
import { sendJob } from '../../src/mail/outbox-repository';
import { freePort } from '../../src/net/free-port';
import { waitFor } from '../jobs/wait';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MAIL_FROM, enqueueInvitation, quietLogger, startMailWorker } from './fixtures';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server';

/** Enough retries, a second apart and doubling, to outlast a mail server down for seconds. */
const patientRetries: QueueOptions = {
  retryLimit: 8,
  retryDelaySeconds: 1,
  retryBackoff: true,
  expireInSeconds: 30,
};

/** One service instance: its own connections, job queue and pooled SMTP transport. */
interface Instance {
  knex: Knex;
  queue: JobQueue;
  transport: MailTransport;
}

describe('Delivering emails with several workers and a mail server that goes away', () => {
  let db: TestDatabase;
  const instances: Instance[] = [];
  const servers: TestSmtpServer[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      await instance.queue.stop();
      instance.transport.close();
      await instance.knex.destroy();
    }
    for (const server of servers.splice(0)) await server.close();
    await db.drop();
  });

  async function startInstance(smtpUrl: string, concurrency: number): Promise<Instance> {
    const knex = createKnex(db.url, concurrency + 1);
    const transport = createMailTransport({ smtpUrl, from: MAIL_FROM, concurrency }, knex, quietLogger);
    const queue = await startMailWorker(knex, db.url, transport, {
      concurrency,
      queueOptions: patientRetries,
    });
    const instance = { knex, queue, transport };
    instances.push(instance);
    return instance;
  }

  const outboxRows = (ids: string[]) =>
    db.knex('email_outbox').whereIn('id', ids).select<{ id: string; state: string; attempts: number }[]>();

  test('When two instances with four workers each send 40 emails that each have two jobs, then every email arrives exactly once', async () => {
    const smtp = await startSmtpServer();
    servers.push(smtp);
    const first = await startInstance(smtp.url, 4);
    const second = await startInstance(smtp.url, 4);

    const ids: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      ids.push(await enqueueInvitation(db.knex, first.queue, { toEmail: `p${index}@example.org` }));
    }
    // A second job for every row, as another instance's start-up or an operator's re-queue
    // could add: both instances may now reach for the same row at the same moment.
    await db.knex.transaction(async (trx) => {
      for (const id of ids) await sendJob(trx, second.queue, id);
    });

    await waitFor(async () => (await outboxRows(ids)).every((row) => row.state === 'sent'), {
      timeoutMs: 30_000,
      what: 'every email to be sent',
    });
    await waitFor(
      async () =>
        Number(
          (
            await db.knex
              .withSchema('pgboss')
              .from('job')
              .where('name', 'send-email')
              .where('state', '<', 'completed')
              .count({ n: '*' })
          )[0]?.n,
        ) === 0,
      { timeoutMs: 30_000, what: 'every job to finish' },
    );

    const messageIds = smtp.received.map((message) => message.mail.headers.get('message-id'));
    expect(messageIds.sort()).toEqual(ids.map((id) => `<${id}@interview-scheduler>`).sort());
    expect((await outboxRows(ids)).map((row) => row.attempts)).toEqual(ids.map(() => 1));
  }, 60_000);

  test('When the mail server is down for a while and then comes back, then every email is delivered later, exactly once', async () => {
    const port = await freePort();
    const instance = await startInstance(`smtp://127.0.0.1:${port}`, 4);

    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      ids.push(await enqueueInvitation(db.knex, instance.queue, { toEmail: `late${index}@example.org` }));
    }
    // Nothing listens on the port: every email is tried, refused a connection, and waits.
    await waitFor(async () => (await outboxRows(ids)).every((row) => row.attempts >= 1), {
      timeoutMs: 20_000,
      what: 'every email to have met the outage',
    });
    expect((await outboxRows(ids)).map((row) => row.state)).toEqual(ids.map(() => 'pending'));

    const smtp = await startSmtpServer(port);
    servers.push(smtp);

    await waitFor(async () => (await outboxRows(ids)).every((row) => row.state === 'sent'), {
      timeoutMs: 60_000,
      what: 'every email to be sent after the outage',
    });
    const messageIds = smtp.received.map((message) => message.mail.headers.get('message-id'));
    expect(messageIds.sort()).toEqual(ids.map((id) => `<${id}@interview-scheduler>`).sort());
    const lastErrors = await db.knex('email_outbox').whereIn('id', ids).pluck('last_error');
    expect(lastErrors.every((error) => typeof error === 'string' && error.includes('ECONNREFUSED'))).toBe(
      true,
    );
  }, 90_000);
});
