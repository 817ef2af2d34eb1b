import { GoogleApiError, isRetryable, toGoogleApiError } from './errors';

export interface RetryOptions {
  /** Total time (calls and waits) after which the error is handed back for a durable retry. */
  budgetMs: number;
  /** The first wait's ceiling; each retry doubles it… */
  baseDelayMs: number;
  /** …up to this ceiling (truncated exponential backoff). */
  maxDelayMs: number;
  /** In [0, 1); injectable so tests are deterministic. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Wraps each wait between retries: lets a caller give up a scarce place while it backs off. */
  whileWaiting?: <T>(wait: () => Promise<T>) => Promise<T>;
  /** Milliseconds since some origin; injectable so tests can run a fake clock. */
  now?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` and retries it while Google answers with a retryable failure (429, 403 rate
 * limits, 5xx, network errors, timeouts), as Google asks: truncated exponential backoff
 * with full jitter (a random wait in [0, min(max, base·2^attempt)]), never shorter than a
 * `Retry-After`. Anything else — or a retryable failure once the budget would be exceeded —
 * is thrown as a GoogleApiError; the caller then decides (e.g. schedules a durable job:
 * `isRetryable(error.failure)` tells it whether that is worth doing).
 *
 * Only safe for requests that may run twice: reads, and writes made idempotent by a
 * client-chosen id (events.insert) or an If-Match etag.
 */
export async function withGoogleRetry<T>(
  operation: string,
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const startedAt = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const googleError = toGoogleApiError(error, operation);
      if (!isRetryable(googleError.failure)) throw googleError;
      const delay = nextDelay(attempt, options, random, googleError);
      if (now() - startedAt + delay > options.budgetMs) throw googleError;
      await (options.whileWaiting ? options.whileWaiting(() => sleep(delay)) : sleep(delay));
    }
  }
}

function nextDelay(
  attempt: number,
  options: RetryOptions,
  random: () => number,
  error: GoogleApiError,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(random() * ceiling);
  const retryAfterMs = error.failure.kind === 'rateLimited' ? (error.failure.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, retryAfterMs);
}
