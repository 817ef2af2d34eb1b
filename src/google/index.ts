/** The service's whole Google layer: endpoints, OAuth, the Calendar client, failures and retries. */
export { googleEndpoints, type GoogleEndpoints, type OAuth2Endpoints } from './endpoints';
export {
  createGoogleOAuth,
  GOOGLE_SCOPES,
  missingPermissions,
  REQUIRED_PERMISSIONS,
  type ExchangedGrant,
  type GoogleIdentity,
  type GoogleOAuth,
  type GoogleOAuthConfig,
} from './oauth';
export {
  createCalendarClient,
  type CalendarClient,
  type CalendarClientConfig,
  type CalendarEvent,
  type EventsPage,
  type ListEventsQuery,
  type SendUpdates,
  type WatchRequest,
} from './calendar-client';
export type { BusyInterval } from './calendar-answers';
export {
  classifyGoogleError,
  GoogleApiError,
  isRetryable,
  toGoogleApiError,
  type GoogleFailure,
  type GoogleFailureKind,
  type GoneReason,
} from './errors';
export { withGoogleRetry, type RetryOptions } from './retry';
export { eventIdForBooking, isValidGoogleEventId } from './event-id';
