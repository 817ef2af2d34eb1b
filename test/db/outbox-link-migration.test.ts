import { migrateToLatest, migrationConfig } from '../../src/db/migrations';
import { createMailTransport, type MailTransport } from '../../src/mail/mail-transport';
import { findOutboxEmail } from '../../src/mail/outbox-repository';
import { deliverOutboxEmail } from '../../src/mail/send-email-worker';
import { MAIL_FROM, MAIL_KEYS, insertParticipant, quietLogger } from '../mail/fixtures';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-test-server';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Upgrading a database whose outbox still holds rendered invitations (the booking link in
 * plain text in the bodies): what has been sent loses its bodies at once; what is still
 * pending is sent as stored by the worker, and loses them then.
 */
describe('The migration that seals booking links in the outbox', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  const ids: Record<'pending' | 'sent' | 'failed', string> = { pending: '', sent: '', failed: '' };
  const legacyText = 'Hello Ada,\n\nChoose a time:\nhttps://scheduler.test/book/legacy-token\n';
  const legacyHtml = '<p><a href="https://scheduler.test/book/legacy-token">Choose a time</a></p>';

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    transport = createMailTransport(
      { smtpUrl: smtp.url, from: MAIL_FROM, concurrency: 2 },
      db.knex,
      quietLogger,
    );
    // Back to the schema before this migration: only the initial one.
    await db.knex.migrate.rollback(migrationConfig, true);
    await db.knex.migrate.up(migrationConfig);
    const participantId = await insertParticipant(db.knex);
    for (const state of ['pending', 'sent', 'failed'] as const) {
      const [row] = await db
        .knex('email_outbox')
        .insert({
          participant_id: participantId,
          kind: 'invitation',
          to_email: 'ada@example.org',
          to_name: 'Ada Lovelace',
          subject: 'Choose a time for your interview: Checkout redesign',
          text_body: legacyText,
          html_body: legacyHtml,
          state,
        })
        .returning('id');
      ids[state] = row.id;
    }
    await migrateToLatest(db.knex);
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
    await db.drop();
  });

  test('When the database is upgraded, then sent and failed rows lose their bodies and pending ones keep them for sending', async () => {
    const rows = await db.knex('email_outbox').select('id', 'state', 'text_body', 'html_body');
    const byId = new Map(rows.map((row) => [row.id, row]));

    expect(byId.get(ids.sent)).toMatchObject({ state: 'sent', text_body: null, html_body: null });
    expect(byId.get(ids.failed)).toMatchObject({ state: 'failed', text_body: null, html_body: null });
    expect(byId.get(ids.pending)).toMatchObject({
      state: 'pending',
      text_body: legacyText,
      html_body: legacyHtml,
    });
  });

  test('When the worker sends a row queued before the upgrade, then it goes out as stored and its bodies are dropped', async () => {
    const outcome = await deliverOutboxEmail(
      { knex: db.knex, transport, logger: quietLogger, from: MAIL_FROM, keys: MAIL_KEYS },
      ids.pending,
      false,
    );

    expect(outcome).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.mail.text).toBe(legacyText);
    expect(smtp.received[0]!.mail.html).toBe(legacyHtml);
    expect(smtp.received[0]!.mail.subject).toBe('Choose a time for your interview: Checkout redesign');
    expect(await findOutboxEmail(db.knex, ids.pending)).toMatchObject({
      state: 'sent',
      legacyBody: null,
      bookingUrl: null,
    });
    const row = await db.knex('email_outbox').where({ id: ids.pending }).first();
    expect(JSON.stringify(row)).not.toContain('legacy-token');
  });

  test('When the migration is rolled back and applied again, then no row stands in the way either way', async () => {
    await db.knex.migrate.down({ ...migrationConfig, name: '20261204000100_outbox_sealed_booking_link' });
    const back = await db.knex('email_outbox').where({ id: ids.sent }).first();
    expect(back).toMatchObject({ text_body: '', html_body: '' });

    await migrateToLatest(db.knex);
    expect(await db.knex('email_outbox').where({ id: ids.sent }).first()).toMatchObject({
      state: 'sent',
      text_body: null,
      booking_url_ciphertext: null,
    });
  });
});
