import { spawnSync } from 'node:child_process';
import { SEND_EMAIL } from '../../src/jobs/names';
import type { JobQueue } from '../../src/jobs/queue';
import { findOutboxEmail } from '../../src/mail/outbox-repository';
import { rotateOutboxLinkKeys } from '../../src/mail/rotate-outbox-keys';
import { EMAIL_QUEUE_OPTIONS } from '../../src/mail/send-email-worker';
import { decryptToken, encryptToken } from '../../src/security/token-cipher';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MAIL_KEYS, enqueueInvitation, newQueue } from './fixtures';

const oldKey = MAIL_KEYS[0]!;
const newKey = { id: 'new', key: Buffer.alloc(32, 9) };

describe('Key rotation of the booking links waiting in the outbox (npm run rotate-keys)', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  const waiting: { outboxId: string; url: string }[] = [];
  let sentId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // No worker: the invitations stay pending, their links encrypted under the old key.
    queue = newQueue(db.url);
    await queue.start();
    await queue.defineQueue(SEND_EMAIL, EMAIL_QUEUE_OPTIONS);
    for (let index = 0; index < 230; index += 1) {
      const url = `https://scheduler.test/book/token-${index}`;
      waiting.push({
        outboxId: await enqueueInvitation(db.knex, queue, {
          toEmail: `p${index}@example.org`,
          bookingUrl: url,
        }),
        url,
      });
    }
    sentId = await enqueueInvitation(db.knex, queue, { toEmail: 'sent@example.org' });
    await db.knex('email_outbox').where({ id: sentId }).update({
      state: 'sent',
      booking_url_ciphertext: null,
      booking_url_key_id: null,
    });
  });
  afterAll(async () => {
    await queue.stop();
    await db.drop();
  });

  test('When a new key is put first and the rotation runs, then every waiting link is under it and still decrypts to the same link', async () => {
    const progress: number[] = [];

    const result = await rotateOutboxLinkKeys(db.knex, [newKey, oldKey], (done) => progress.push(done));

    expect(result).toEqual({ reencrypted: 230, left: 0 });
    expect(progress.at(-1)).toBe(230);
    for (const { outboxId, url } of waiting) {
      const email = await findOutboxEmail(db.knex, outboxId);
      expect(email!.bookingUrl!.keyId).toBe('new');
      expect(decryptToken(email!.bookingUrl!, [newKey])).toBe(url);
    }
    expect(await findOutboxEmail(db.knex, sentId)).toMatchObject({ state: 'sent', bookingUrl: null });
  });

  test('When it runs again, then there is nothing to do', async () => {
    expect(await rotateOutboxLinkKeys(db.knex, [newKey, oldKey])).toEqual({ reencrypted: 0, left: 0 });
  });

  test("When `npm run rotate-keys` runs, then refresh tokens, waiting booking links and participants' stored links alike end up under the first key", async () => {
    const url = 'https://scheduler.test/book/token-script';
    const outboxId = await enqueueInvitation(db.knex, queue, {
      toEmail: 'script@example.org',
      bookingUrl: url,
    });
    const researcherId: string = (await db.knex('researchers').first('id')).id;
    const refreshToken = encryptToken('1//refresh-script', [oldKey]);
    await db.knex('google_connections').insert({
      researcher_id: researcherId,
      google_email: 'grace@example.org',
      calendar_id: 'grace@example.org',
      refresh_token_ciphertext: refreshToken.ciphertext,
      key_id: refreshToken.keyId,
    });
    const participant = await db.knex('participants').first('id');
    const storedUrl = 'https://scheduler.test/book/token-stored';
    const stored = encryptToken(storedUrl, [oldKey]);
    await db
      .knex('participants')
      .where({ id: participant.id })
      .update({ booking_link_ciphertext: stored.ciphertext, booking_link_key_id: stored.keyId });
    const ring = [newKey, oldKey].map((key) => `${key.id}:${key.key.toString('base64')}`).join(',');

    // Node with tsx's loader, as `npm run rotate-keys` runs it, against this test's database.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rotate-keys.ts'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        TOKEN_ENCRYPTION_KEYS: ring,
        SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
      },
    });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('refresh tokens: 1 re-encrypted, 0 still under another key.');
    expect(run.stdout).toContain(
      'booking links waiting in the outbox: 1 re-encrypted, 0 still under another key.',
    );
    expect(run.stdout).toContain("participants' booking links: 1 re-encrypted, 0 still under another key.");
    const email = await findOutboxEmail(db.knex, outboxId);
    expect(email!.bookingUrl!.keyId).toBe('new');
    expect(decryptToken(email!.bookingUrl!, [newKey])).toBe(url);
    const rotated = await db.knex('participants').where({ id: participant.id }).first();
    expect(rotated.booking_link_key_id).toBe('new');
    expect(
      decryptToken({ ciphertext: rotated.booking_link_ciphertext, keyId: rotated.booking_link_key_id }, [
        newKey,
      ]),
    ).toBe(storedUrl);
    const connection = await db.knex('google_connections').where({ researcher_id: researcherId }).first();
    expect(connection.key_id).toBe('new');
  }, 60_000);
});
