import { findConnection, saveConnection } from '../../src/connections/connection-repository';
import { decryptToken, encryptToken } from '../../src/security/token-cipher';
import { createTestDatabase, type TestDatabase } from '../support/database';

const keys = [{ id: 'k1', key: Buffer.alloc(32, 3) }];

describe('Storing a Google connection', () => {
  let db: TestDatabase;
  let researcherId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: researcherId }] = await db
      .knex('researchers')
      .insert({ google_sub: 's1', email: 'r@example.com' })
      .returning('id');
  });
  afterAll(() => db.drop());

  const save = (refreshToken: string | undefined) =>
    db.knex.transaction((trx) =>
      saveConnection(trx, {
        researcherId,
        googleEmail: 'r@example.com',
        calendarId: 'r@example.com',
        refreshToken: refreshToken ? encryptToken(refreshToken, keys) : undefined,
        scopes: ['openid'],
      }),
    );

  test('When the first connect brings no refresh token, then nothing is stored and the caller is told', async () => {
    expect(await save(undefined)).toBe('noRefreshToken');
    expect(await findConnection(db.knex, researcherId)).toBeUndefined();
  });

  test('When a re-consent omits the refresh token, then the stored one is kept and the connection is connected again', async () => {
    expect(await save('1//first-token')).toBe('saved');
    await db.knex('google_connections').where({ researcher_id: researcherId }).update({ state: 'revoked' });

    expect(await save(undefined)).toBe('saved');

    const connection = await findConnection(db.knex, researcherId);
    expect(connection?.state).toBe('connected');
    expect(decryptToken(connection!.refreshToken, keys)).toBe('1//first-token');
  });

  test('When a re-consent brings a new refresh token, then it replaces the old one', async () => {
    await save('1//second-token');
    const connection = await findConnection(db.knex, researcherId);
    expect(decryptToken(connection!.refreshToken, keys)).toBe('1//second-token');
  });
});
