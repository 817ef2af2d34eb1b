import express from 'express';
import request from 'supertest';
import { problemHandler } from '../../src/http/problem';
import { RouteTable } from '../../src/http/route-table';
import type { JobQueue } from '../../src/jobs/queue';
import { registerDevMailboxRoutes } from '../../src/mail/dev-mailbox-routes';
import { linkify } from '../../src/mail/dev-mailbox-page';
import { listDevMessages } from '../../src/mail/dev-mailbox-repository';
import { createMailTransport, type MailTransport } from '../../src/mail/mail-transport';
import { findOutboxEmail } from '../../src/mail/outbox-repository';
import { waitFor } from '../jobs/wait';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MAIL_FROM, enqueueInvitation, expectedInvitation, quietLogger, startMailWorker } from './fixtures';

describe('The development mailbox', () => {
  let db: TestDatabase;
  let transport: MailTransport;
  let queue: JobQueue;
  let app: express.Express;

  beforeAll(async () => {
    db = await createTestDatabase();
    transport = createMailTransport(
      { smtpUrl: undefined, from: MAIL_FROM, concurrency: 2 },
      db.knex,
      quietLogger,
    );
    queue = await startMailWorker(db.knex, db.url, transport);
    const routes = new RouteTable();
    registerDevMailboxRoutes(routes, { knex: db.knex });
    app = express();
    app.use(routes.close());
    app.use(problemHandler(quietLogger));
  });
  afterAll(async () => {
    await queue.stop();
    await db.drop();
  });

  const invite = async (toEmail: string, participantName: string) => {
    const invitation = {
      toEmail,
      toName: participantName,
      studyTitle: 'Checkout <redesign>',
      bookingUrl: `https://scheduler.test/book/${participantName.toLowerCase()}?a=1&b=2`,
    };
    const outboxId = await enqueueInvitation(db.knex, queue, invitation);
    const rendered = expectedInvitation(invitation);
    await waitFor(async () => (await findOutboxEmail(db.knex, outboxId))?.state === 'sent', {
      what: 'delivery to the development mailbox',
    });
    return { outboxId, rendered };
  };

  let ada: Awaited<ReturnType<typeof invite>>;
  let bob: Awaited<ReturnType<typeof invite>>;

  test('When no SMTP_URL is configured, then a queued email lands in the development mailbox', async () => {
    expect(transport.kind).toBe('dev-mailbox');
    ada = await invite('ada@example.org', 'Ada');

    const [message] = await listDevMessages(db.knex, { to: 'ada@example.org' });
    expect(message).toMatchObject({
      outboxId: ada.outboxId,
      from: MAIL_FROM,
      to: 'ada@example.org',
      subject: ada.rendered.subject,
      text: ada.rendered.text,
      html: ada.rendered.html,
    });
    expect(await findOutboxEmail(db.knex, ada.outboxId)).toMatchObject({
      messageId: `<${ada.outboxId}@interview-scheduler>`,
    });
  });

  test('When the same outbox row is delivered again, then the mailbox keeps one copy', async () => {
    await transport.send({
      id: ada.outboxId,
      from: MAIL_FROM,
      to: { name: 'Ada', email: 'ada@example.org' },
      subject: 'a different subject',
      text: ada.rendered.text,
      html: ada.rendered.html,
    });
    expect(await listDevMessages(db.knex, { to: 'ada@example.org' })).toHaveLength(1);
  });

  test('When /dev/mailbox is read as JSON, then it lists the messages newest first, filtered by ?to=', async () => {
    bob = await invite('Bob@Example.org', 'Bob');

    const all = await request(app).get('/dev/mailbox');
    expect(all.status).toBe(200);
    expect(all.type).toBe('application/json');
    expect(all.body.messages.map((message: { to: string }) => message.to)).toEqual([
      'Bob@Example.org',
      'ada@example.org',
    ]);
    expect(all.body.messages[0]).toEqual({
      id: expect.any(Number),
      to: 'Bob@Example.org',
      subject: bob.rendered.subject,
      text: bob.rendered.text,
      html: bob.rendered.html,
      attachments: [],
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });

    const onlyBob = await request(app).get('/dev/mailbox').query({ to: 'bob@example.org' });
    expect(onlyBob.body.messages).toHaveLength(1);
    expect(onlyBob.body.messages[0].text).toContain('https://scheduler.test/book/bob?a=1&b=2');
  });

  test('When a browser asks for /dev/mailbox, then it gets an HTML page with clickable links and framed email HTML', async () => {
    const page = await request(app)
      .get('/dev/mailbox')
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');

    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('<h1>Development mailbox</h1>');
    expect(page.text.indexOf('Bob@Example.org')).toBeLessThan(page.text.indexOf('ada@example.org'));
    // The subject is escaped; the booking link is a real link with its & escaped in the attribute.
    expect(page.text).toContain('Choose a time for your interview: Checkout &lt;redesign&gt;');
    expect(page.text).toContain(
      '<a href="https://scheduler.test/book/ada?a=1&amp;b=2">https://scheduler.test/book/ada?a=1&amp;b=2</a>',
    );
    // The email's own HTML sits escaped inside a sandboxed frame, never as markup of this page.
    expect(page.text).toMatch(
      /<iframe title="[^"]*" sandbox="allow-top-navigation-by-user-activation allow-popups" srcdoc="&lt;base target=&quot;_top&quot;&gt;&lt;!doctype html&gt;/,
    );
    expect(page.text.match(/<html/g)).toHaveLength(1);
  });

  test('When ?format=html is given, then the page is HTML whatever the Accept header says', async () => {
    const page = await request(app).get('/dev/mailbox').query({ format: 'html', to: 'ada@example.org' });
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('<h1>Development mailbox for ada@example.org</h1>');
    expect(page.text).not.toContain('Bob@Example.org');
  });

  test('When a message comes with an .ics, then the mailbox keeps it and shows it, escaped', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nSUMMARY:<b>Interview</b>\r\nEND:VCALENDAR\r\n';
    await transport.send({
      id: '7d0c2c1e-7a51-4a6b-9d41-0f5e0c3b9a11',
      from: MAIL_FROM,
      to: { name: 'Cleo', email: 'cleo@example.org' },
      subject: 'Your interview is booked: Checkout',
      text: 'Booked.',
      html: '<p>Booked.</p>',
      attachments: [{ filename: 'invite.ics', contentType: 'text/calendar; method=PUBLISH', content: ics }],
    });

    const json = await request(app).get('/dev/mailbox').query({ to: 'cleo@example.org' });
    expect(json.body.messages[0].attachments).toEqual([
      { filename: 'invite.ics', contentType: 'text/calendar; method=PUBLISH', content: ics },
    ]);
    const page = await request(app).get('/dev/mailbox').query({ format: 'html', to: 'cleo@example.org' });
    expect(page.text).toContain('Attachment: invite.ics (text/calendar; method=PUBLISH)');
    expect(page.text).toContain('SUMMARY:&lt;b&gt;Interview&lt;/b&gt;');
  });

  test('When ?to= is not an email address, then the answer is a 400 problem', async () => {
    const res = await request(app).get('/dev/mailbox').query({ to: 'not-an-address' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors[0]).toMatchObject({ location: 'query', path: 'to' });
  });

  test('When plain text holds links and markup, then linkify escapes the text and links only http(s) addresses', () => {
    expect(linkify('Go <here>: https://a.test/x?y=1&z=2 or javascript:alert(1)')).toBe(
      'Go &lt;here&gt;: <a href="https://a.test/x?y=1&amp;z=2">https://a.test/x?y=1&amp;z=2</a> or javascript:alert(1)',
    );
  });
});
