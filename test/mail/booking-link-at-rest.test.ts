import { SEND_EMAIL } from '../../src/jobs/names';
import { sha256Hex } from '../../src/security/secrets';
import { book, createStudy, invite, slotTomorrow, type Invited } from '../bookings/support';
import { waitFor } from '../jobs/wait';
import { findInDatabase, scannedTables } from '../support/scan-database';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server';

/**
 * The booking link is a bearer secret: whoever has it can book, move or cancel. A database
 * dump or backup must not hand it out — neither in the outbox, nor in the job queue, nor
 * anywhere else. The emails go to a real SMTP server here, as in production, so no
 * development mailbox holds a copy.
 */
describe('Booking links at rest', () => {
  let smtp: TestSmtpServer;
  let stack: Stack;
  let ada: SignedIn;
  let people: Invited[];
  /** Every token ever issued in the story, the re-invited participant's dead one included. */
  const tokens: string[] = [];
  let reinvited: { id: string; email: string; oldToken: string; newToken: string };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    const study = await createStudy(stack, ada, { title: 'Checkout study' });

    // The story: three invited, one re-invited, one books (and is sent a confirmation, with
    // links to reschedule and cancel), every email goes out.
    people = await invite(stack, ada, study.id, 3);
    tokens.push(...people.map((person) => person.token));
    // A re-invitation comes later in real life: after the first invitations went out (one
    // still waiting would be superseded and never sent, which smtp-refusals.test.ts covers).
    await waitFor(async () => (await stack.knex('email_outbox').where('state', 'sent')).length === 3, {
      what: 'the three invitations to be sent',
    });
    const second = people[1]!;
    const answer = await fetch(`${stack.url}/api/participants/${second.id}/reinvite`, {
      method: 'POST',
      headers: ada.auth,
    });
    if (answer.status !== 200) throw new Error(`reinvite: ${answer.status} ${await answer.text()}`);
    const newToken = String(((await answer.json()) as { bookingUrl: string }).bookingUrl).split('/book/')[1]!;
    tokens.push(newToken);
    reinvited = { id: second.id, email: second.email, oldToken: second.token, newToken };
    const first = people[0]!;
    const booked = await book(stack, first.token, (await slotTomorrow(stack, first.token, 10)).start);
    if (booked.status !== 201) throw new Error(`book: ${booked.status} ${await booked.text()}`);

    await waitFor(
      async () => {
        const states = await stack.knex('email_outbox').pluck('state');
        return states.length === 5 && states.every((state) => state === 'sent');
      },
      { what: 'the four invitations and the confirmation to be sent' },
    );
  });
  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });

  const urlOf = (token: string) => `${stack.url}/book/${token}`;

  test('When participants were invited, one re-invited, one booked and the emails sent, then no table of the database holds a booking link in plain text', async () => {
    const needles = tokens.flatMap((token) => [token, urlOf(token), encodeURIComponent(urlOf(token))]);

    expect(await findInDatabase(stack.knex, needles)).toEqual([]);

    // The scan itself works: it covers pg-boss's tables, and it finds what is stored.
    const tables = await scannedTables(stack.knex);
    expect(tables).toEqual(expect.arrayContaining(['public.email_outbox', 'pgboss.job']));
    const hash = sha256Hex(people[0]!.token);
    expect(await findInDatabase(stack.knex, [hash, people[2]!.email])).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'participants', column: 'booking_token_hash', needle: hash }),
        expect.objectContaining({ table: 'email_outbox', column: 'to_email', needle: people[2]!.email }),
      ]),
    );
  });

  test('When the invitations were sent, then their send-email jobs carried only the outbox id', async () => {
    const outboxIds = await stack.knex('email_outbox').pluck('id');
    const jobs = await stack.knex
      .withSchema(stack.queue.schema)
      .from('job')
      .where({ name: SEND_EMAIL })
      .select<{ data: unknown }[]>('data');

    expect(jobs).toHaveLength(5);
    expect(jobs.map((job) => job.data)).toEqual(
      expect.arrayContaining(outboxIds.map((outboxId: string) => ({ outboxId }))),
    );
  });

  test('When an invitation or a confirmation has been sent, then its outbox row holds no way back to the link', async () => {
    const rows = await stack.knex('email_outbox').select('*');

    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({
        state: 'sent',
        booking_url_ciphertext: null,
        booking_url_key_id: null,
        text_body: null,
        html_body: null,
      });
    }
  });

  test('When the delivered emails are opened, then each live link books (200) and the replaced link is dead (410, a new link was sent)', async () => {
    const linksTo = (email: string) =>
      smtp.received
        .filter((message) => message.envelopeTo.includes(email))
        .map((message) => {
          const link = /\/book\/([A-Za-z0-9_-]+)/.exec(message.mail.text ?? '')?.[1];
          const htmlLink = /href="[^"]*\/book\/([A-Za-z0-9_-]+)[?"]/.exec(message.mail.html ?? '')?.[1];
          expect(htmlLink).toBe(link);
          return link;
        });

    expect(smtp.received).toHaveLength(5);
    // The invitation, then the confirmation (its Reschedule and Cancel links open the same page).
    expect(linksTo(people[0]!.email)).toEqual([people[0]!.token, people[0]!.token]);
    expect(linksTo(people[2]!.email)).toEqual([people[2]!.token]);
    expect(new Set(linksTo(reinvited.email))).toEqual(new Set([reinvited.oldToken, reinvited.newToken]));
    for (const token of [people[0]!.token, people[2]!.token, reinvited.newToken]) {
      expect((await fetch(`${stack.url}/api/booking/${token}`)).status).toBe(200);
    }
    // Dead, and says only that a newer link was sent (410 link-replaced), never what it opened.
    const replaced = await fetch(`${stack.url}/api/booking/${reinvited.oldToken}`);
    expect(replaced.status).toBe(410);
    const problem = (await replaced.json()) as Record<string, unknown>;
    expect(problem.type).toMatch(/link-replaced$/);
    expect(Object.keys(problem).sort()).toEqual([
      'detail',
      'instance',
      'newLinkSentAt',
      'status',
      'title',
      'type',
    ]);
  });
});
