/**
 * Everything the emulator knows, as one plain JSON-serialisable object: so a reset is a
 * replacement, the admin API can show it, and a state file can carry a demo across restarts.
 * Times the emulator compares are epoch milliseconds; times shown as Google shows them are
 * RFC 3339 strings.
 */

export interface UserRecord {
  /** Google's `sub` / userinfo `id`. */
  sub: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  email: string;
  scopes: string[];
  /** Whether this consent hands out a refresh token (offline access, first or forced consent). */
  issueRefreshToken: boolean;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
}

/** One consent: its refresh token (offline access) and the access tokens minted from it. */
export interface GrantRecord {
  id: string;
  clientId: string;
  email: string;
  scopes: string[];
  refreshToken?: string;
  createdAt: string;
  revokedAt?: string;
  /**
   * The refresh token stopped working (as for an app in "Testing" after 7 days, or one
   * unused for 6 months): refreshing is `invalid_grant`, issued access tokens live on.
   */
  refreshTokenExpiredAt?: string;
}

export interface AccessTokenRecord {
  grantId: string;
  expiresAt: number;
}

export interface EventDateTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface EventPerson {
  email: string;
  displayName?: string;
  self?: boolean;
}

export interface EventAttendee extends EventPerson {
  organizer?: boolean;
  optional?: boolean;
  responseStatus: 'needsAction' | 'declined' | 'tentative' | 'accepted';
  comment?: string;
  additionalGuests?: number;
}

/** While `pending` (and after `failure`) a conference has no id and no entry points. */
export interface ConferenceData {
  conferenceId?: string;
  conferenceSolution: { key: { type: string }; name: string; iconUri: string };
  entryPoints?: Array<{
    entryPointType: 'video' | 'phone' | 'more';
    uri: string;
    label?: string;
    pin?: string;
    regionCode?: string;
  }>;
  createRequest?: {
    requestId: string;
    conferenceSolutionKey: { type: string };
    status: { statusCode: 'pending' | 'success' | 'failure' };
  };
}

/** The event as Google returns it (minus `kind`), plus what the emulator needs to sync. */
export interface EventResource {
  id: string;
  etag: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink: string;
  iCalUID: string;
  created: string;
  updated: string;
  summary?: string;
  description?: string;
  location?: string;
  start: EventDateTime;
  end: EventDateTime;
  organizer: EventPerson;
  creator: EventPerson;
  attendees?: EventAttendee[];
  sequence: number;
  transparency?: 'opaque' | 'transparent';
  visibility?: string;
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  hangoutLink?: string;
  conferenceData?: ConferenceData;
  /** `default` when unset (see event-types.ts); fixed at creation. */
  eventType?: string;
  /** RRULE/EXDATE/RDATE lines of a series (see recurrence.ts). */
  recurrence?: string[];
  /** On an instance of a series: the series' id, and where the instance was before any move. */
  recurringEventId?: string;
  originalStartTime?: EventDateTime;
  /** Other fields a client sent, stored and echoed, never interpreted. */
  [passthrough: string]: unknown;
}

export interface StoredEvent {
  resource: EventResource;
  /** The calendar's change counter at this event's last change: what sync tokens compare. */
  changeSeq: number;
  /** Order of creation, the default list order. */
  createdSeq: number;
}

export interface CalendarRecord {
  owner: string;
  timeZone: string;
  changeCounter: number;
  /** Part of every sync token; a new value makes all earlier tokens stale (410). */
  syncEpoch: string;
  events: Record<string, StoredEvent>;
  /** Meet conferences by createRequest requestId: the same request never makes two. */
  conferences: Record<string, ConferenceData>;
}

export interface ChannelRecord {
  id: string;
  resourceId: string;
  resourceUri: string;
  calendar: string;
  address: string;
  token?: string;
  /** Epoch ms. */
  expiration: number;
  createdAt: string;
  stoppedAt?: string;
  /** Stopped by Google itself (the admin API), not by a `channels.stop` call. */
  stoppedBy?: 'google';
  lastMessageNumber: number;
}

export interface InvitationRecord {
  calendarId: string;
  eventId: string;
  to: string;
  kind: 'invitation' | 'update' | 'cancellation';
  at: string;
}

export interface PushDeliveryRecord {
  channelId: string;
  messageNumber: number;
  resourceState: 'sync' | 'exists';
  outcome: 'delivered' | 'retrying' | 'failed' | 'dropped' | 'abandoned';
  attempt: number;
  status?: number;
  error?: string;
  at: string;
}

export interface EmulatorState {
  version: 1;
  signingKey: { kid: string; privateKeyPem: string };
  users: Record<string, UserRecord>;
  codes: Record<string, AuthCodeRecord>;
  grants: Record<string, GrantRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  /** Refresh token → grant id. */
  refreshTokens: Record<string, string>;
  calendars: Record<string, CalendarRecord>;
  channels: Record<string, ChannelRecord>;
  invitations: InvitationRecord[];
  pushDeliveries: PushDeliveryRecord[];
}

export function emptyState(signingKey: EmulatorState['signingKey']): EmulatorState {
  return {
    version: 1,
    signingKey,
    users: {},
    codes: {},
    grants: {},
    accessTokens: {},
    refreshTokens: {},
    calendars: {},
    channels: {},
    invitations: [],
    pushDeliveries: [],
  };
}

/** Replaces the contents of `target` in place, so every holder of the object sees the change. */
export function replaceState(target: EmulatorState, source: EmulatorState): void {
  Object.assign(target, source);
}

/** Emails are case-insensitive at Google; the emulator keys everything by the lower-case form. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
