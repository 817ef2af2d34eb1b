import net from 'node:net';
import nock from 'nock';
import { createCalendarClient } from '../../src/google/calendar-client';
import { googleEndpoints } from '../../src/google/endpoints';
import {
  classifyGoogleError,
  GoogleApiError,
  isRetryable,
  toGoogleApiError,
  type GoogleFailure,
} from '../../src/google/errors';
import {
  BASE,
  calendarErrorBody,
  connectedCalendar,
  EVENTS_PATH,
  googleOAuth,
  REFRESH_TOKEN,
  thrownBy,
  tokenEndpointRefreshes,
} from './fake-google';

afterEach(() => nock.cleanAll());

/** Calls events.get against a Google answering `status` with `body`; returns the thrown error. */
async function failureOfGetEvent(
  status: number,
  body: object | string,
  headers: Record<string, string> = {},
): Promise<GoogleApiError> {
  tokenEndpointRefreshes(2);
  nock(BASE).get(`${EVENTS_PATH}/evt1`).times(2).reply(status, body, headers);
  const error = await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'));
  expect(error).toBeInstanceOf(GoogleApiError);
  return error as GoogleApiError;
}

describe('Classifying what Google answers', () => {
  test.each<[string, number, object | string, GoogleFailure, string | undefined]>([
    ['400 invalid', 400, calendarErrorBody(400, 'invalid', 'Invalid Value'), { kind: 'invalid' }, 'invalid'],
    [
      '400 timeRangeEmpty',
      400,
      calendarErrorBody(400, 'timeRangeEmpty', 'The specified time range is empty.'),
      { kind: 'invalid' },
      'timeRangeEmpty',
    ],
    [
      '403 forbidden',
      403,
      calendarErrorBody(403, 'forbidden', 'Forbidden'),
      { kind: 'forbidden' },
      'forbidden',
    ],
    [
      '403 forbiddenForNonOrganizer',
      403,
      calendarErrorBody(
        403,
        'forbiddenForNonOrganizer',
        'Shared properties can only be changed by the organizer of the event.',
      ),
      { kind: 'forbidden' },
      'forbiddenForNonOrganizer',
    ],
    [
      '403 rateLimitExceeded',
      403,
      calendarErrorBody(403, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'),
      { kind: 'rateLimited' },
      'rateLimitExceeded',
    ],
    [
      '403 userRateLimitExceeded',
      403,
      calendarErrorBody(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits'),
      { kind: 'rateLimited' },
      'userRateLimitExceeded',
    ],
    [
      '403 quotaExceeded',
      403,
      calendarErrorBody(403, 'quotaExceeded', 'Calendar usage limits exceeded.', 'usageLimits'),
      { kind: 'forbidden' },
      'quotaExceeded',
    ],
    [
      '403 dailyLimitExceeded',
      403,
      calendarErrorBody(403, 'dailyLimitExceeded', 'Daily Limit Exceeded', 'usageLimits'),
      { kind: 'forbidden' },
      'dailyLimitExceeded',
    ],
    ['404 notFound', 404, calendarErrorBody(404, 'notFound', 'Not Found'), { kind: 'notFound' }, 'notFound'],
    [
      '409 duplicate',
      409,
      calendarErrorBody(409, 'duplicate', 'The requested identifier already exists.'),
      { kind: 'conflict' },
      'duplicate',
    ],
    [
      '410 deleted',
      410,
      calendarErrorBody(410, 'deleted', 'Resource has been deleted'),
      { kind: 'gone', reason: 'deleted' },
      'deleted',
    ],
    [
      '412 conditionNotMet',
      412,
      calendarErrorBody(412, 'conditionNotMet', 'Precondition Failed'),
      { kind: 'preconditionFailed' },
      'conditionNotMet',
    ],
    [
      '429 rateLimitExceeded',
      429,
      calendarErrorBody(429, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'),
      { kind: 'rateLimited' },
      'rateLimitExceeded',
    ],
    [
      '500 backendError',
      500,
      calendarErrorBody(500, 'backendError', 'Backend Error'),
      { kind: 'transient' },
      'backendError',
    ],
    [
      '502 from a proxy (HTML)',
      502,
      '<html><body>Bad Gateway</body></html>',
      { kind: 'transient' },
      undefined,
    ],
    ['503 without body', 503, '', { kind: 'transient' }, undefined],
    [
      '504',
      504,
      calendarErrorBody(504, 'backendError', 'Gateway Timeout'),
      { kind: 'transient' },
      'backendError',
    ],
    [
      '501 (not a blip)',
      501,
      calendarErrorBody(501, 'notImplemented', 'Not Implemented'),
      { kind: 'unknown' },
      'notImplemented',
    ],
  ])(
    'When Google answers %s, then the failure is classified and carries status and reason',
    async (_name, status, body, failure, reason) => {
      const error = await failureOfGetEvent(status, body);

      expect(error.failure).toEqual(failure);
      expect(error.status).toBe(status);
      expect(error.reason).toBe(reason);
      expect(error.operation).toBe('calendar.events.get');
    },
  );

  test('When Google answers 429 with Retry-After, then the wait it asks for is kept', async () => {
    const error = await failureOfGetEvent(
      429,
      calendarErrorBody(429, 'rateLimitExceeded', 'Rate Limit Exceeded'),
      {
        'Retry-After': '7',
      },
    );

    expect(error.failure).toEqual({ kind: 'rateLimited', retryAfterMs: 7000 });
  });

  test('When the refresh token was revoked, then the refresh answers invalid_grant and the failure is revoked', async () => {
    const refresh = nock(BASE)
      .post('/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });

    const error = (await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(refresh.isDone()).toBe(true);
    expect(error.failure).toEqual({ kind: 'revoked' });
    expect(error.reason).toBe('invalid_grant');
    expect(isRetryable(error.failure)).toBe(false);
  });

  test.each([
    [401, 'invalid_client', 'Unauthorized'],
    [401, 'unauthorized_client', 'Unauthorized'],
    [401, 'deleted_client', 'The OAuth client was deleted.'],
  ])(
    'When the refresh answers %i %s, then the failure is clientRejected (our misconfiguration), not revoked',
    async (status, code, description) => {
      const refresh = nock(BASE)
        .post('/token')
        .reply(status, { error: code, error_description: description });

      const error = (await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'))) as GoogleApiError;

      expect(refresh.isDone()).toBe(true);
      expect(error.failure).toEqual({ kind: 'clientRejected' });
      expect(error.reason).toBe(code);
      expect(isRetryable(error.failure)).toBe(false);
    },
  );

  test('When a failure is wrapped, then neither the refresh token nor the request config is kept', async () => {
    nock(BASE).post('/token').reply(400, { error: 'invalid_grant', error_description: 'Bad Request' });

    const error = (await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(REFRESH_TOKEN);
  });

  test('When Google answers slower than the timeout, then the failure is transient', async () => {
    tokenEndpointRefreshes();
    nock(BASE).get(`${EVENTS_PATH}/evt1`).delay(500).reply(200, { id: 'evt1' });

    const error = (await thrownBy(() => connectedCalendar(50).getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'transient' });
    expect(error.reason).toBe('TimeoutError');
  });

  test('When the connection is reset, then the failure is transient', async () => {
    tokenEndpointRefreshes();
    nock(BASE).get(`${EVENTS_PATH}/evt1`).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });

    const error = (await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'transient' });
  });

  test('When nothing listens at the address, then the refused connection is transient', async () => {
    const unreachable = googleEndpoints(`http://127.0.0.1:${await closedLoopbackPort()}`);
    // An access token already held, so the calendar request itself meets the closed port.
    const auth = googleOAuth().clientFor(REFRESH_TOKEN);
    auth.setCredentials({
      refresh_token: REFRESH_TOKEN,
      access_token: 'at',
      expiry_date: Date.now() + 3600_000,
    });
    const calendar = createCalendarClient({ auth, rootUrl: unreachable.rootUrl, timeoutMs: 2000 });

    const error = (await thrownBy(() => calendar.getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'transient' });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('Classifying error shapes directly', () => {
  test('When an error has the GaxiosError shape with invalid_grant in response.data, then it is revoked', () => {
    const shaped = {
      message: 'Bad Request',
      response: { status: 400, data: { error: 'invalid_grant' } },
      status: 400,
    };

    expect(classifyGoogleError(shaped).failure).toEqual({ kind: 'revoked' });
  });

  test('When a sync token expired, then 410 fullSyncRequired is gone/fullSyncRequired', () => {
    const shaped = {
      status: 410,
      response: {
        status: 410,
        data: calendarErrorBody(
          410,
          'fullSyncRequired',
          'Sync token is no longer valid, a full sync is required.',
        ),
      },
    };

    expect(classifyGoogleError(shaped).failure).toEqual({ kind: 'gone', reason: 'fullSyncRequired' });
  });

  test('When an error is a plain programming error, then it is unknown and kept as the cause', () => {
    const bug = new Error('Missing required parameters: calendarId');

    const wrapped = toGoogleApiError(bug, 'calendar.events.get');

    expect(wrapped.failure).toEqual({ kind: 'unknown' });
    expect(wrapped.cause).toBe(bug);
  });

  test('When an error is already a GoogleApiError, then wrapping it again returns it unchanged', () => {
    const original = toGoogleApiError({ status: 404, response: { status: 404 } }, 'calendar.events.get');

    expect(toGoogleApiError(original, 'something.else')).toBe(original);
  });

  test.each<[GoogleFailure, boolean]>([
    [{ kind: 'transient' }, true],
    [{ kind: 'rateLimited' }, true],
    [{ kind: 'revoked' }, false],
    [{ kind: 'unauthorized' }, false],
    [{ kind: 'invalid' }, false],
    [{ kind: 'notFound' }, false],
    [{ kind: 'conflict' }, false],
    [{ kind: 'gone', reason: 'deleted' }, false],
    [{ kind: 'preconditionFailed' }, false],
    [{ kind: 'forbidden' }, false],
    [{ kind: 'unknown' }, false],
  ])('When the failure is %j, then retrying it is %s', (failure, retryable) => {
    expect(isRetryable(failure)).toBe(retryable);
  });
});

/** A loopback port that was free a moment ago: connecting to it is refused. */
async function closedLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
