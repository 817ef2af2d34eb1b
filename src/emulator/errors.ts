/**
 * Google's two error shapes: the JSON API one used by Calendar and userinfo
 * (`{ error: { code, message, errors: [{ domain, reason, message }], status? } }`) and
 * the OAuth token endpoint's flat one (`{ error, error_description }`).
 */

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Reasons Google reports in the `usageLimits` domain rather than `global`. */
const USAGE_LIMIT_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'dailyLimitExceeded',
]);

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly extra: { location?: string; locationType?: string } = {},
  ) {
    super(message);
  }

  get domain(): string {
    return USAGE_LIMIT_REASONS.has(this.reason) ? 'usageLimits' : 'global';
  }

  toJSON() {
    const status = STATUS_BY_CODE[this.code];
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ domain: this.domain, reason: this.reason, message: this.message, ...this.extra }],
        ...(status ? { status } : {}),
      },
    };
  }
}

export const notFound = () => new ApiError(404, 'notFound', 'Not Found');
export const invalid = (message: string) => new ApiError(400, 'invalid', message);
export const required = (message: string) => new ApiError(400, 'required', message);
export const deleted = () => new ApiError(410, 'deleted', 'Resource has been deleted');
export const duplicate = () => new ApiError(409, 'duplicate', 'The requested identifier already exists.');
export const conditionNotMet = () => new ApiError(412, 'conditionNotMet', 'Precondition Failed');
export const fullSyncRequired = () =>
  new ApiError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
export const timeRangeEmpty = () => new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
export const authError = () =>
  new ApiError(
    401,
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    { location: 'Authorization', locationType: 'header' },
  );
export const insufficientScopes = () =>
  new ApiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');

/** The default reason Google gives for a status, used by fault injection. */
export function defaultReason(code: number): string {
  switch (code) {
    case 400:
      return 'invalid';
    case 401:
      return 'authError';
    case 403:
    case 429:
      return 'rateLimitExceeded';
    case 404:
      return 'notFound';
    case 409:
      return 'duplicate';
    case 410:
      return 'deleted';
    case 412:
      return 'conditionNotMet';
    default:
      return code >= 500 ? 'backendError' : 'invalid';
  }
}

export function defaultMessage(code: number, reason: string): string {
  if (reason === 'rateLimitExceeded') return 'Rate Limit Exceeded';
  if (reason === 'backendError') return 'Backend Error';
  if (code === 503) return 'The service is currently unavailable.';
  return `Injected fault (${reason})`;
}

/** The token endpoint's error: `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }

  toJSON() {
    return { error: this.error, error_description: this.description };
  }
}
