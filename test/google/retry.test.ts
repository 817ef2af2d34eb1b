import nock from 'nock';
import { GoogleApiError, type GoogleFailure } from '../../src/google/errors';
import { withGoogleRetry, type RetryOptions } from '../../src/google/retry';
import {
  BASE,
  calendarErrorBody,
  connectedCalendar,
  EVENTS_PATH,
  thrownBy,
  tokenEndpointRefreshes,
} from './fake-google';

afterEach(() => nock.cleanAll());

/** A clock that only moves when the code under test sleeps; records every wait. */
function fakeTime(random = () => 0.5) {
  let now = 0;
  const waits: number[] = [];
  const options = (overrides: Partial<RetryOptions> = {}): RetryOptions => ({
    budgetMs: 10_000,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    random,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    ...overrides,
  });
  return { options, waits };
}

const googleFailure = (failure: GoogleFailure, status?: number) =>
  new GoogleApiError('test.op', { failure, status, reason: undefined, googleMessage: undefined });

/** Fails with the given failures in order, then answers 'done'. */
function failingThen(failures: GoogleFailure[]) {
  const calls = { count: 0 };
  const fn = async () => {
    const failure = failures[calls.count++];
    if (failure) throw googleFailure(failure);
    return 'done';
  };
  return { fn, calls };
}

describe('Retrying calls to Google', () => {
  test('When Google fails transiently twice, then the call is retried with jittered exponential waits and succeeds', async () => {
    const time = fakeTime(() => 0.5);
    const { fn, calls } = failingThen([{ kind: 'transient' }, { kind: 'rateLimited' }]);

    const result = await withGoogleRetry('test.op', fn, time.options());

    expect(result).toBe('done');
    expect(calls.count).toBe(3);
    // Full jitter: half of 100·2^0, then half of 100·2^1.
    expect(time.waits).toEqual([50, 100]);
  });

  test('When the caller wraps its waits, then every wait between retries runs inside the wrapper and nothing else does', async () => {
    const time = fakeTime(() => 0.5);
    const { fn, calls } = failingThen([{ kind: 'transient' }, { kind: 'transient' }]);
    const log: string[] = [];
    const wrappedFn = async () => {
      log.push('call');
      return fn();
    };

    const result = await withGoogleRetry(
      'test.op',
      wrappedFn,
      time.options({
        whileWaiting: async (wait) => {
          log.push('wait begins');
          const waited = await wait();
          log.push('wait ends');
          return waited;
        },
      }),
    );

    expect(result).toBe('done');
    expect(calls.count).toBe(3);
    expect(time.waits).toEqual([50, 100]);
    expect(log).toEqual(['call', 'wait begins', 'wait ends', 'call', 'wait begins', 'wait ends', 'call']);
  });

  test('When the backoff grows past the maximum, then each wait stays under the maximum', async () => {
    const time = fakeTime(() => 0.999);
    const { fn } = failingThen(Array.from({ length: 8 }, () => ({ kind: 'transient' }) as const));

    await withGoogleRetry('test.op', fn, time.options({ budgetMs: 60_000, maxDelayMs: 400 }));

    expect(time.waits).toEqual([99, 199, 399, 399, 399, 399, 399, 399]);
  });

  test('When Google keeps failing, then it gives up once the budget would be spent and rethrows the failure', async () => {
    const time = fakeTime(() => 0.999);
    const calls = { count: 0 };

    const error = await thrownBy(() =>
      withGoogleRetry(
        'calendar.events.insert',
        async () => {
          calls.count++;
          throw googleFailure({ kind: 'transient' }, 503);
        },
        time.options({ budgetMs: 1_000, maxDelayMs: 400 }),
      ),
    );

    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).failure).toEqual({ kind: 'transient' });
    expect((error as GoogleApiError).status).toBe(503);
    // Waits 99 + 199 + 399 = 697 fit in 1000; one more 399 would not.
    expect(time.waits).toEqual([99, 199, 399]);
    expect(calls.count).toBe(4);
  });

  test.each<GoogleFailure>([
    { kind: 'invalid' },
    { kind: 'notFound' },
    { kind: 'conflict' },
    { kind: 'revoked' },
    { kind: 'unauthorized' },
    { kind: 'preconditionFailed' },
  ])('When Google answers %j, then it is not retried', async (failure) => {
    const time = fakeTime();
    const { fn, calls } = failingThen([failure]);

    const error = await thrownBy(() => withGoogleRetry('test.op', fn, time.options()));

    expect((error as GoogleApiError).failure).toEqual(failure);
    expect(calls.count).toBe(1);
    expect(time.waits).toEqual([]);
  });

  test('When Google asks to retry after a while, then the wait is at least that long', async () => {
    const time = fakeTime(() => 0);
    const { fn } = failingThen([{ kind: 'rateLimited', retryAfterMs: 2_000 }]);

    await withGoogleRetry('test.op', fn, time.options());

    expect(time.waits).toEqual([2_000]);
  });

  test('When the callback throws something that is not a GoogleApiError, then it is classified before deciding', async () => {
    const time = fakeTime();
    let calls = 0;

    const result = await withGoogleRetry(
      'test.op',
      async () => {
        if (calls++ === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return 'done';
      },
      time.options(),
    );

    expect(result).toBe('done');
    expect(calls).toBe(2);
  });
});

describe('Retrying real calendar requests', () => {
  test('When events.get answers 503 and then the event, then withGoogleRetry returns the event', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .get(`${EVENTS_PATH}/evt1`)
      .reply(503, calendarErrorBody(503, 'backendError', 'Backend Error'))
      .get(`${EVENTS_PATH}/evt1`)
      .reply(200, { id: 'evt1', status: 'confirmed' });
    const calendar = connectedCalendar();

    const event = await withGoogleRetry(
      'calendar.events.get',
      () => calendar.getEvent('primary', 'evt1'),
      fakeTime().options(),
    );

    expect(event).toEqual({ id: 'evt1', status: 'confirmed' });
    expect(google.isDone()).toBe(true);
  });

  test('When a GET fails with 503, then the client makes one request only (no hidden gaxios retries)', async () => {
    tokenEndpointRefreshes();
    let requests = 0;
    nock(BASE)
      .get(`${EVENTS_PATH}/evt1`)
      .times(4)
      .reply(() => {
        requests++;
        return [503, calendarErrorBody(503, 'backendError', 'Backend Error')];
      });

    const error = await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'));

    expect((error as GoogleApiError).failure).toEqual({ kind: 'transient' });
    expect(requests).toBe(1);
  });
});
