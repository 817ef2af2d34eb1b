import { rotateTokenKeys } from '../../src/connections/rotate-token-keys';
import { decryptToken, encryptToken } from '../../src/security/token-cipher';
import { createTestDatabase, type TestDatabase } from '../support/database';

const oldKey = { id: 'old', key: Buffer.alloc(32, 1) };
const newKey = { id: 'new', key: Buffer.alloc(32, 2) };

describe('Key rotation (npm run rotate-keys)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (let index = 0; index < 450; index += 1) {
      const [{ id }] = await db
        .knex('researchers')
        .insert({ google_sub: `sub-${index}`, email: `r${index}@example.com` })
        .returning('id');
      const token = encryptToken(`1//refresh-${index}`, [oldKey]);
      await db.knex('google_connections').insert({
        researcher_id: id,
        google_email: `r${index}@example.com`,
        calendar_id: `r${index}@example.com`,
        refresh_token_ciphertext: token.ciphertext,
        key_id: token.keyId,
      });
    }
  });
  afterAll(() => db.drop());

  test('When a new key is put first and the rotation runs, then every token is under it and still decrypts to the same token', async () => {
    const result = await rotateTokenKeys(db.knex, [newKey, oldKey]);

    expect(result).toEqual({ reencrypted: 450, left: 0 });
    const rows = await db
      .knex('google_connections')
      .join('researchers', 'researchers.id', 'researcher_id')
      .select('*');
    for (const row of rows) {
      expect(row.key_id).toBe('new');
      const index = String(row.google_sub).replace('sub-', '');
      expect(decryptToken({ ciphertext: row.refresh_token_ciphertext, keyId: row.key_id }, [newKey])).toBe(
        `1//refresh-${index}`,
      );
    }
  });

  test('When it runs again, then there is nothing to do', async () => {
    expect(await rotateTokenKeys(db.knex, [newKey, oldKey])).toEqual({ reencrypted: 0, left: 0 });
  });
});
