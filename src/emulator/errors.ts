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
    /** Fields of `errors[0]`; `message` there when Google words it apart from the top one. */
    readonly extra: { location?: string; locationType?: string; message?: string } = {},
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
  new ApiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', {
    message: 'Insufficient Permission',
  });

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

/**
 * Calendar's reasons with the status and message Google sends for them (the Calendar
 * "Handle API errors" guide and the JSON API's standard messages). A fault naming only a
 * reason gets its status here; its body then reads exactly like Google's.
 */
const CALENDAR_REASONS: Record<string, { status: number; message: string }> = {
  invalid: { status: 400, message: 'Invalid Value' },
  badRequest: { status: 400, message: 'Bad Request' },
  required: { status: 400, message: 'Required' },
  authError: {
    status: 401,
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  },
  forbidden: { status: 403, message: 'Forbidden' },
  insufficientPermissions: { status: 403, message: 'Request had insufficient authentication scopes.' },
  quotaExceeded: { status: 403, message: 'Calendar usage limits exceeded.' },
  dailyLimitExceeded: { status: 403, message: 'Daily Limit Exceeded' },
  rateLimitExceeded: { status: 403, message: 'Rate Limit Exceeded' },
  userRateLimitExceeded: { status: 403, message: 'User Rate Limit Exceeded' },
  notFound: { status: 404, message: 'Not Found' },
  duplicate: { status: 409, message: 'The requested identifier already exists.' },
  deleted: { status: 410, message: 'Resource has been deleted' },
  fullSyncRequired: { status: 410, message: 'Sync token is no longer valid, a full sync is required.' },
  conditionNotMet: { status: 412, message: 'Precondition Failed' },
  backendError: { status: 500, message: 'Backend Error' },
};

/**
 * The token endpoint's errors (`{ error, error_description }`) with Google's status and
 * description: `invalid_grant` for an expired or revoked refresh token, the client errors
 * for a wrong, rotated or deleted OAuth client.
 */
const OAUTH_ERRORS: Record<string, { status: number; message: string }> = {
  invalid_grant: { status: 400, message: 'Token has been expired or revoked.' },
  invalid_client: { status: 401, message: 'Unauthorized' },
  unauthorized_client: { status: 401, message: 'Unauthorized' },
  deleted_client: { status: 401, message: 'The OAuth client was deleted.' },
  invalid_request: { status: 400, message: 'Bad Request' },
  internal_failure: { status: 500, message: 'Internal Failure' },
};

/** The status Google answers a reason with, for a fault that names only the reason. */
export function statusForReason(reason: string): number | undefined {
  return CALENDAR_REASONS[reason]?.status ?? OAUTH_ERRORS[reason]?.status;
}

/** An injected Calendar failure, worded as Google words it unless the fault gave a message. */
export function injectedApiError(status: number, reason: string, message?: string): ApiError {
  if (message !== undefined) return new ApiError(status, reason, message);
  if (reason === 'insufficientPermissions') return insufficientScopes();
  if (reason === 'authError') return authError();
  return new ApiError(status, reason, defaultMessage(status, reason));
}

export function defaultMessage(code: number, reason: string): string {
  const known = CALENDAR_REASONS[reason];
  if (known) return known.message;
  if (code === 503) return 'The service is currently unavailable.';
  return `Injected fault (${reason})`;
}

/** The token endpoint's description for an injected OAuth error. */
export function defaultOAuthDescription(code: number, error: string): string {
  return OAUTH_ERRORS[error]?.message ?? defaultMessage(code, error);
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
