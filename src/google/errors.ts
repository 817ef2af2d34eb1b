/**
 * Turns whatever googleapis / gaxios / google-auth-library throws into a small set of
 * failures the service can act on. Shapes read from gaxios 7.3.1 (the one
 * google-auth-library 10.5 sends every request through, googleapis calls included):
 * - HTTP errors are `GaxiosError`s with `status` and `response.data` parsed from JSON —
 *   for Calendar `{ error: { code, message, errors: [{ domain, reason, message }] } }`,
 *   for the OAuth token endpoint `{ error: 'invalid_grant', error_description }` (and then
 *   `message === 'invalid_grant'`).
 * - Network failures have no `response`; `code` is the cause's code (`ECONNRESET`), or the
 *   DOMException name for a timeout (`TimeoutError`) or abort (`AbortError`). Native fetch
 *   wraps socket errors as `TypeError('fetch failed', { cause })`, so the cause chain is
 *   searched too.
 * Classification is structural rather than `instanceof GaxiosError`: two gaxios versions are
 * installed (googleapis-common pins 7.1.3) and their classes differ.
 */

export type GoneReason = 'deleted' | 'fullSyncRequired';

export type GoogleFailure =
  /** The refresh token (or the authorization code) no longer works: the researcher must reconnect. */
  | { kind: 'revoked' }
  /**
   * Google refuses this service's own OAuth client (`invalid_client`, `unauthorized_client`,
   * `deleted_client`): a wrong or rotated secret, a deleted client. Our misconfiguration,
   * not the researcher's grant — nobody must be marked revoked for it.
   */
  | { kind: 'clientRejected' }
  /** 401 even after a fresh access token. */
  | { kind: 'unauthorized' }
  | { kind: 'rateLimited'; retryAfterMs?: number }
  | { kind: 'transient' }
  | { kind: 'notFound' }
  | { kind: 'gone'; reason: GoneReason }
  /** 409, e.g. `duplicate` when an event id is taken (also by a deleted event). */
  | { kind: 'conflict' }
  /** 412 `conditionNotMet`: the If-Match etag is stale. */
  | { kind: 'preconditionFailed' }
  | { kind: 'invalid' }
  | { kind: 'forbidden' }
  | { kind: 'unknown' };

export type GoogleFailureKind = GoogleFailure['kind'];

export interface ClassifiedGoogleError {
  failure: GoogleFailure;
  status: number | undefined;
  /** Google's `errors[0].reason`, or the OAuth `error` code. */
  reason: string | undefined;
  /** Google's own human-readable message, when it sent one. */
  googleMessage: string | undefined;
}

/** A failed call to Google, classified. Carries no token, header or request body. */
export class GoogleApiError extends Error {
  override name = 'GoogleApiError';
  readonly failure: GoogleFailure;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly operation: string;

  constructor(operation: string, classified: ClassifiedGoogleError, options?: { cause?: unknown }) {
    const details = [classified.status, classified.reason].filter((part) => part !== undefined);
    const where = details.length > 0 ? ` (${details.join(' ')})` : '';
    const said = classified.googleMessage ? `: ${classified.googleMessage.slice(0, 200)}` : '';
    super(`Google ${operation} failed: ${classified.failure.kind}${where}${said}`, options);
    this.operation = operation;
    this.failure = classified.failure;
    this.status = classified.status;
    this.reason = classified.reason;
  }
}

/**
 * Whether waiting and trying the same request again can succeed: only 429, the rate-limit
 * 403s, 5xx and network failures. Everything else (400, 401, 403 `insufficientPermissions`,
 * `quotaExceeded`, `dailyLimitExceeded`, 404…) is permanent for that request.
 */
export function isRetryable(failure: GoogleFailure): boolean {
  return failure.kind === 'transient' || failure.kind === 'rateLimited';
}

/** Wraps any error in a GoogleApiError (one that already is one passes through unchanged). */
export function toGoogleApiError(error: unknown, operation: string): GoogleApiError {
  if (error instanceof GoogleApiError) return error;
  // A gaxios error holds the request config (URL with tokens, bodies with refresh tokens,
  // attendee emails): it is deliberately not kept as `cause`, so no logger can print it.
  const cause = isObject(error) && 'config' in error ? undefined : error;
  return new GoogleApiError(
    operation,
    classifyGoogleError(error),
    cause === undefined ? undefined : { cause },
  );
}

/** OAuth error codes meaning Google refuses the client itself (the token endpoint's answers). */
const CLIENT_REJECTED_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'deleted_client']);

/**
 * Reasons Google uses for "slow down" on a 403 (Calendar) or in an AIP-193 ErrorInfo: per-
 * minute windows, worth a retry with backoff. `quotaExceeded` ("Calendar usage limits
 * exceeded", Google's abuse protection) and `dailyLimitExceeded` are not among them: the
 * Calendar error guide does not have them retried, and no backoff within hours lifts them.
 */
const RATE_LIMIT_REASONS = new Set(['ratelimitexceeded', 'userratelimitexceeded']);
const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'TimeoutError',
  'AbortError',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function classifyGoogleError(error: unknown): ClassifiedGoogleError {
  const status = httpStatus(error);
  const data = field(field(error, 'response'), 'data');
  const apiError = field(data, 'error');
  const oauthError = typeof apiError === 'string' ? apiError : undefined;
  const reason = oauthError ?? googleReason(apiError);
  const googleMessage = stringOrUndefined(field(apiError, 'message')) ?? oauthDescription(data);
  const classified = (failure: GoogleFailure): ClassifiedGoogleError => ({
    failure,
    status,
    reason,
    googleMessage,
  });

  // invalid_grant comes from the token endpoint (refresh or code exchange), as 400 or 401.
  if (oauthError === 'invalid_grant' || field(error, 'message') === 'invalid_grant') {
    return { ...classified({ kind: 'revoked' }), reason: 'invalid_grant' };
  }
  const clientError = oauthError ?? stringOrUndefined(field(error, 'message'));
  if (clientError !== undefined && CLIENT_REJECTED_ERRORS.has(clientError)) {
    return { ...classified({ kind: 'clientRejected' }), reason: clientError };
  }
  if (status === undefined) {
    // No HTTP answer: the system error code (ECONNRESET, TimeoutError…) is what logs need.
    const failure: GoogleFailure = isNetworkOrTimeout(error) ? { kind: 'transient' } : { kind: 'unknown' };
    return { ...classified(failure), reason: reason ?? firstErrorCode(error) };
  }
  const normalizedReason = reason?.replace(/_/g, '').toLowerCase();
  switch (status) {
    case 400:
      return classified({ kind: 'invalid' });
    case 401:
      return classified({ kind: 'unauthorized' });
    case 403:
      return classified(
        normalizedReason !== undefined && RATE_LIMIT_REASONS.has(normalizedReason)
          ? rateLimited(error)
          : { kind: 'forbidden' },
      );
    case 404:
      return classified({ kind: 'notFound' });
    case 409:
      return classified({ kind: 'conflict' });
    case 410:
      return classified({
        kind: 'gone',
        reason: reason === 'fullSyncRequired' ? 'fullSyncRequired' : 'deleted',
      });
    case 412:
      return classified({ kind: 'preconditionFailed' });
    case 429:
      return classified(rateLimited(error));
    default:
      return classified(TRANSIENT_STATUSES.has(status) ? { kind: 'transient' } : { kind: 'unknown' });
  }
}

function rateLimited(error: unknown): GoogleFailure {
  const retryAfterMs = retryAfterMilliseconds(error);
  return retryAfterMs === undefined ? { kind: 'rateLimited' } : { kind: 'rateLimited', retryAfterMs };
}

/** `Retry-After` in seconds (the HTTP-date form is ignored: it would need the clock). */
function retryAfterMilliseconds(error: unknown): number | undefined {
  const headers = field(field(error, 'response'), 'headers');
  const get = field(headers, 'get');
  if (typeof get !== 'function') return undefined;
  const value: unknown = get.call(headers, 'retry-after');
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function httpStatus(error: unknown): number | undefined {
  const status = field(error, 'status') ?? field(field(error, 'response'), 'status');
  return typeof status === 'number' ? status : undefined;
}

/** Calendar's `errors[0].reason`, else an AIP-193 `details[].reason` (ErrorInfo). */
function googleReason(apiError: unknown): string | undefined {
  for (const list of [field(apiError, 'errors'), field(apiError, 'details')]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const reason = field(entry, 'reason');
      if (typeof reason === 'string') return reason;
    }
  }
  return undefined;
}

function oauthDescription(data: unknown): string | undefined {
  return stringOrUndefined(field(data, 'error_description'));
}

/** Looks through the error and its causes (bounded: cause chains can be cyclic). */
function isNetworkOrTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isObject(current); depth++) {
    for (const candidate of [field(current, 'code'), field(current, 'name')]) {
      if (typeof candidate === 'string' && TRANSIENT_CODES.has(candidate)) return true;
    }
    current = field(current, 'cause') ?? field(current, 'error');
  }
  return false;
}

function firstErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isObject(current); depth++) {
    const code = field(current, 'code');
    if (typeof code === 'string') return code;
    current = field(current, 'cause') ?? field(current, 'error');
  }
  return undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function field(value: unknown, key: string): unknown {
  return isObject(value) && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
