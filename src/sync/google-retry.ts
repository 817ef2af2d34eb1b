import type { RetryOptions } from '../google';

/**
 * Retries of one Google read during a sync (429, 403 rate limits, 5xx): exponential backoff
 * with jitter inside the job first; once the budget is spent the job fails and the queue
 * retries it later with its own, longer backoff.
 */
export const SYNC_RETRY: RetryOptions = { budgetMs: 30_000, baseDelayMs: 250, maxDelayMs: 8_000 };
