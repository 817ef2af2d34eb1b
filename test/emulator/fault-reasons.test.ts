import type { calendar_v3 } from 'googleapis';
import {
  admin,
  authorizationCode,
  calendarClient,
  connect,
  failureOf,
  oauthClient,
  slot,
  startEmulator,
  type Harness,
} from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const insert = () => calendar.events.insert({ calendarId: 'primary', requestBody: slot(9) });

describe('Faults by error reason, worded as Google words them', () => {
  test('When quotaExceeded is injected by its reason alone, then it is Google’s 403 in usageLimits with its message', async () => {
    const armed = await admin(harness.base, '/faults', {
      reason: 'quotaExceeded',
      count: 1,
      operation: 'events.insert',
    });
    expect(armed.status).toBe(201);

    const failure = await failureOf(insert());

    expect(failure.status).toBe(403);
    expect(failure.body).toEqual({
      error: {
        code: 403,
        message: 'Calendar usage limits exceeded.',
        errors: [
          { domain: 'usageLimits', reason: 'quotaExceeded', message: 'Calendar usage limits exceeded.' },
        ],
        status: 'PERMISSION_DENIED',
      },
    });
    await expect(insert()).resolves.toMatchObject({ status: 200 });
  });

  test('When dailyLimitExceeded is injected, then it is a 403 "Daily Limit Exceeded" in usageLimits', async () => {
    await admin(harness.base, '/faults', { reason: 'dailyLimitExceeded', count: 1 });

    const failure = await failureOf(calendar.events.list({ calendarId: 'primary' }));

    expect(failure).toMatchObject({ status: 403, reason: 'dailyLimitExceeded' });
    expect(failure.body).toMatchObject({
      error: {
        code: 403,
        message: 'Daily Limit Exceeded',
        errors: [{ domain: 'usageLimits', reason: 'dailyLimitExceeded', message: 'Daily Limit Exceeded' }],
      },
    });
  });

  test('When insufficientPermissions is injected, then the body matches the one a missing scope gets', async () => {
    await admin(harness.base, '/faults', { reason: 'insufficientPermissions', count: 1 });

    const failure = await failureOf(calendar.events.list({ calendarId: 'primary' }));

    expect(failure.body).toEqual({
      error: {
        code: 403,
        message: 'Request had insufficient authentication scopes.',
        errors: [{ domain: 'global', reason: 'insufficientPermissions', message: 'Insufficient Permission' }],
        status: 'PERMISSION_DENIED',
      },
    });
  });

  test('When a 400 is injected on events.insert, then only inserts fail, with reason invalid', async () => {
    await admin(harness.base, '/faults', { status: 400, operation: 'events.insert' });

    const failure = await failureOf(insert());

    expect(failure.body).toEqual({
      error: {
        code: 400,
        message: 'Invalid Value',
        errors: [{ domain: 'global', reason: 'invalid', message: 'Invalid Value' }],
        status: 'INVALID_ARGUMENT',
      },
    });
    await expect(calendar.events.list({ calendarId: 'primary' })).resolves.toMatchObject({ status: 200 });
  });

  test('When a reason has no known status and none is given, then the admin API answers 400', async () => {
    expect((await admin(harness.base, '/faults', { reason: 'somethingElse' })).status).toBe(400);
  });
});

describe('Token endpoint faults', () => {
  test('When invalid_client is injected on refresh only, then refreshing is 401 invalid_client and signing in still works', async () => {
    const { tokens } = await connect(harness.base, 'client@example.com');
    await admin(harness.base, '/faults', { reason: 'invalid_client', operation: 'oauth.token.refresh' });
    const client = oauthClient(harness.base);
    client.setCredentials({ refresh_token: tokens.refresh_token! });

    const failure = await failureOf(client.refreshAccessToken());

    expect(failure).toMatchObject({ status: 401, reason: 'invalid_client' });
    expect(failure.body).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
    const other = oauthClient(harness.base);
    const code = await authorizationCode(other, { email: 'another@example.com' });
    await expect(other.getToken(code)).resolves.toBeDefined();
  });

  test('When refresh tokens age past the configured lifetime, then refreshing is invalid_grant for good', async () => {
    const aging = await startEmulator({ refreshTokenMaxAgeSeconds: 7 * 24 * 3600 });
    try {
      const { tokens } = await connect(aging.base, OWNER);
      const client = oauthClient(aging.base);
      client.setCredentials({ refresh_token: tokens.refresh_token! });
      await admin(aging.base, '/clock', { advanceSeconds: 7 * 24 * 3600 - 60 });
      await expect(client.refreshAccessToken()).resolves.toBeDefined();

      await admin(aging.base, '/clock', { advanceSeconds: 61 });
      const failure = await failureOf(client.refreshAccessToken());

      expect(failure).toMatchObject({ status: 400, reason: 'invalid_grant' });
      expect(failure.body).toEqual({
        error: 'invalid_grant',
        error_description: 'Token has been expired or revoked.',
      });
      expect((await admin(aging.base, '/clock', { advanceSeconds: -3600 })).status).toBe(200);
      expect(await failureOf(client.refreshAccessToken())).toMatchObject({ reason: 'invalid_grant' });
    } finally {
      await aging.close();
    }
  });

  test('When the admin API expires a user’s refresh tokens, then refreshing is invalid_grant and the current access token still works', async () => {
    const { auth, tokens } = await connect(harness.base, 'expiring@example.com');
    const client = oauthClient(harness.base);
    client.setCredentials({ refresh_token: tokens.refresh_token! });

    const expired = await admin(harness.base, '/users/expiring@example.com/expire-refresh-tokens');

    expect(expired.body).toEqual({ expiredGrants: 1 });
    const state = (await admin(harness.base, '/state', undefined, 'GET')).body as {
      grants: { email: string; refreshTokenExpiredAt?: string }[];
    };
    expect(
      state.grants.find((grant) => grant.email === 'expiring@example.com')?.refreshTokenExpiredAt,
    ).toEqual(expect.any(String));
    expect(await failureOf(client.refreshAccessToken())).toMatchObject({
      status: 400,
      reason: 'invalid_grant',
    });
    const current = oauthClient(harness.base);
    current.setCredentials({ access_token: auth.credentials.access_token! });
    await expect(
      calendarClient(harness.base, current).events.list({ calendarId: 'primary' }),
    ).resolves.toMatchObject({ status: 200 });
    expect((await admin(harness.base, '/users/nobody@example.com/expire-refresh-tokens')).status).toBe(404);
  });
});

describe('Random sync-token invalidation', () => {
  test('When a rate is set, then incremental lists the draw selects answer 410 fullSyncRequired and a full sync starts over', async () => {
    // One draw per incremental list, the re-try with the stale token included.
    const draws = [0.9, 0.1, 0.9, 0.9, 0.2, 0.9, 0.9];
    const seeded = await startEmulator({ random: () => draws.shift() ?? 0.99 });
    try {
      const { calendar: theirs } = await connect(seeded.base, OWNER);
      await admin(seeded.base, '/faults', { syncTokenInvalidationRate: 0.3 });
      let syncToken = (await theirs.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
      const outcomes: (number | string)[] = [];
      for (let i = 0; i < 5; i++) {
        try {
          const page = await theirs.events.list({ calendarId: 'primary', syncToken });
          syncToken = page.data.nextSyncToken!;
          outcomes.push(page.status);
        } catch (error) {
          const failure = await failureOf(Promise.reject(error));
          outcomes.push(`${failure.status} ${failure.reason}`);
          // The old token stays invalid; a full list hands out a new one.
          expect(await failureOf(theirs.events.list({ calendarId: 'primary', syncToken }))).toMatchObject({
            status: 410,
          });
          syncToken = (await theirs.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
        }
      }
      expect(outcomes).toEqual([200, '410 fullSyncRequired', 200, '410 fullSyncRequired', 200]);
      expect((await admin(seeded.base, '/faults', undefined, 'GET')).body).toMatchObject({
        syncTokenInvalidationRate: 0.3,
      });
    } finally {
      await seeded.close();
    }
  });

  test('When the emulator is given a seed, then the same calls fail on every run', async () => {
    const outcomesFor = async () => {
      const seeded = await startEmulator({ randomSeed: 42 });
      try {
        const { calendar: theirs } = await connect(seeded.base, OWNER);
        await admin(seeded.base, '/faults', { status: 500, rate: 0.5, operation: 'events.list' });
        const outcomes: number[] = [];
        for (let i = 0; i < 12; i++) {
          outcomes.push(
            await theirs.events.list({ calendarId: 'primary' }).then(
              (response) => response.status,
              (error: { response: { status: number } }) => error.response.status,
            ),
          );
        }
        return outcomes;
      } finally {
        await seeded.close();
      }
    };
    const first = await outcomesFor();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await outcomesFor()).toEqual(first);
  });
});
