import { findSealedBookingLink } from '../../src/participants/participant-repository';
import { rotateBookingLinkKeys } from '../../src/participants/rotate-booking-link-keys';
import { decryptToken, encryptToken } from '../../src/security/token-cipher';
import { createTestDatabase, type TestDatabase } from '../support/database';

const oldKey = { id: 'old', key: Buffer.alloc(32, 3) };
const newKey = { id: 'new', key: Buffer.alloc(32, 9) };

describe("Key rotation of the participants' stored booking links (npm run rotate-keys)", () => {
  let db: TestDatabase;
  let researcherId: string;
  const stored: { participantId: string; url: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: researcherId }] = await db
      .knex('researchers')
      .insert({ email: 'rita@example.org', name: 'Rita', google_sub: 'sub-rita' })
      .returning('id');
    const [{ id: studyId }] = await db
      .knex('studies')
      .insert({
        researcher_id: researcherId,
        title: 'Rotation',
        event_title: 'Interview',
        duration_minutes: 30,
        time_zone: 'UTC',
        availability: JSON.stringify({ weekly: {} }),
        horizon_days: 14,
      })
      .returning('id');
    for (let index = 0; index < 230; index += 1) {
      const url = `https://scheduler.test/book/token-${index}`;
      const link = encryptToken(url, [oldKey]);
      const [{ id }] = await db
        .knex('participants')
        .insert({
          study_id: studyId,
          researcher_id: researcherId,
          name: `P ${index}`,
          email: `p${index}@example.org`,
          booking_token_hash: `hash-${index}`,
          booking_link_ciphertext: link.ciphertext,
          booking_link_key_id: link.keyId,
        })
        .returning('id');
      stored.push({ participantId: id, url });
    }
    // One from before links were kept: nothing to rotate.
    await db.knex('participants').insert({
      study_id: studyId,
      researcher_id: researcherId,
      name: 'Old',
      email: 'old@example.org',
      booking_token_hash: 'hash-old',
    });
  });
  afterAll(() => db.drop());

  test('When a new key is put first and the rotation runs, then every stored link is under it and still decrypts to the same link', async () => {
    const progress: number[] = [];

    const result = await rotateBookingLinkKeys(db.knex, [newKey, oldKey], (done) => progress.push(done));

    expect(result).toEqual({ reencrypted: 230, left: 0 });
    expect(progress.at(-1)).toBe(230);
    for (const { participantId, url } of stored) {
      const link = await findSealedBookingLink(db.knex, researcherId, participantId);
      expect(link!.keyId).toBe('new');
      expect(decryptToken(link!, [newKey])).toBe(url);
    }
  });

  test('When it runs again, then there is nothing to do', async () => {
    expect(await rotateBookingLinkKeys(db.knex, [newKey, oldKey])).toEqual({ reencrypted: 0, left: 0 });
  });
});
