import { SEND_EMAIL } from '../../src/jobs/names';
import { EMAIL_QUEUE_OPTIONS } from '../../src/mail/send-email-worker';
import { createStudy, invite, type Invited } from '../bookings/support';
import { sleep, waitFor } from '../jobs/wait';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server';

/**
 * What the mail server answers decides what happens to an invitation: a permanent refusal
 * (5xx) fails it at once with the server's reason, a temporary one (4xx) is retried; the
 * researcher sees either in the participant's `emails`.
 */
describe('Refusals of the mail server, as the researcher sees them', () => {
  let smtp: TestSmtpServer;
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    // Production's retry policy with a 1 s first delay: a job keeps the policy it was written under.
    await stack.queue.defineQueue(SEND_EMAIL, { ...EMAIL_QUEUE_OPTIONS, retryDelaySeconds: 1 });
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada, { title: 'Checkout study' })).id;
  });
  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.answer = () => ({ accept: true });
  });

  const detail = async (participant: Invited) => {
    const answer = await fetch(`${stack.url}/api/participants/${participant.id}`, { headers: ada.auth });
    expect(answer.status).toBe(200);
    return answer.json();
  };
  const outboxRow = (participant: Invited) =>
    stack.knex('email_outbox').where({ participant_id: participant.id }).first();

  test('When the mail server refuses an invitation with 550, then it fails after one attempt and the researcher sees the server’s reason', async () => {
    smtp.answer = () => ({ accept: false, code: 550, message: '5.1.1 <nobody@example.org>: no such user' });
    const [nobody] = await invite(stack, ada, studyId, 1, 'nobody');

    await waitFor(async () => (await outboxRow(nobody!))?.state === 'failed', {
      what: 'the invitation to fail',
      timeoutMs: 15_000,
    });
    await sleep(2500); // past the first retry delay: a wrongful retry would reach the server

    expect(smtp.dataCount()).toBe(1);
    const row = await outboxRow(nobody!);
    expect(row).toMatchObject({ attempts: 1, booking_url_ciphertext: null });
    const jobs = await stack.knex
      .withSchema(stack.queue.schema)
      .from('job')
      .where({ name: SEND_EMAIL, singleton_key: row.id })
      .pluck('state');
    expect(jobs).toEqual(['completed']); // no retry is waiting either
    const { emails } = await detail(nobody!);
    expect(emails).toEqual([
      {
        id: row.id,
        kind: 'invitation',
        status: 'failed',
        attempts: 1,
        lastError: expect.stringContaining('550'),
        queuedAt: expect.any(String),
        sentAt: null,
      },
    ]);
    expect(emails[0].lastError).toContain('no such user');
  });

  test('When the mail server refuses once with 451, then the invitation is retried and sent, and the researcher sees two attempts', async () => {
    const before = smtp.received.length;
    let refusals = 0;
    smtp.answer = () =>
      refusals++ === 0
        ? { accept: false, code: 451, message: '4.7.1 Greylisted, come back later' }
        : { accept: true };
    const [pat] = await invite(stack, ada, studyId, 1, 'pat');

    await waitFor(async () => (await outboxRow(pat!))?.state === 'sent', {
      what: 'the retried invitation to be sent',
      timeoutMs: 20_000,
    });

    expect(smtp.received.length - before).toBe(1);
    const { emails } = await detail(pat!);
    expect(emails).toEqual([
      expect.objectContaining({
        kind: 'invitation',
        status: 'sent',
        attempts: 2,
        lastError: expect.stringContaining('451'),
        sentAt: expect.any(String),
      }),
    ]);
  });

  test('When an invitation waits for the mail server, then the researcher sees it queued, and a re-invitation is listed after it', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    smtp.answer = async () => {
      await held;
      return { accept: true };
    };
    const [sam] = await invite(stack, ada, studyId, 1, 'sam');

    const { emails } = await detail(sam!);
    expect(emails).toEqual([
      expect.objectContaining({ kind: 'invitation', status: 'queued', sentAt: null, lastError: null }),
    ]);
    release();
    await waitFor(async () => (await outboxRow(sam!))?.state === 'sent', {
      what: 'the invitation to be sent',
    });
    await fetch(`${stack.url}/api/participants/${sam!.id}/reinvite`, { method: 'POST', headers: ada.auth });

    const after = await detail(sam!);
    expect(after.emails.map((email: { kind: string }) => email.kind)).toEqual(['invitation', 'reinvitation']);
  });

  test('When a participant is re-invited while the first invitation still waits for a retry, then only the re-invitation is delivered and the first is superseded', async () => {
    smtp.answer = () => ({ accept: false, code: 451, message: '4.7.1 Greylisted, come back later' });
    const [kim] = await invite(stack, ada, studyId, 1, 'kim');
    const toKim = () => smtp.received.filter((mail) => mail.envelopeTo.includes(kim!.email));
    await waitFor(async () => (await outboxRow(kim!))?.attempts === 1, {
      what: 'the first attempt to be refused',
    });

    const reinvited = await fetch(`${stack.url}/api/participants/${kim!.id}/reinvite`, {
      method: 'POST',
      headers: ada.auth,
    });
    expect(reinvited.status).toBe(200);
    const { bookingUrl } = await reinvited.json();
    smtp.answer = () => ({ accept: true });
    await waitFor(async () => toKim().length === 1, {
      what: 'the re-invitation',
      timeoutMs: 15_000,
    });
    await sleep(2500); // past the first invitation's retry delay: a wrongful send would arrive

    expect(toKim()).toHaveLength(1);
    expect(toKim()[0]!.raw).toContain(bookingUrl);
    const rows = await stack.knex('email_outbox').where({ participant_id: kim!.id }).orderBy('created_at');
    expect(rows.map((row) => [row.kind, row.state, row.booking_url_ciphertext])).toEqual([
      ['invitation', 'superseded', null],
      ['reinvitation', 'sent', null],
    ]);
    const { emails } = await detail(kim!);
    expect(emails.map((email: { status: string }) => email.status)).toEqual(['superseded', 'sent']);
  });
});
