import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { createCalendarClient, GoogleApiError, type CalendarClient, type GoogleOAuth } from '../google';
import { Unavailable } from '../http/problem';
import type { Logger } from '../logger';
import { decryptToken } from '../security/token-cipher';
import {
  findConnection,
  markConnectionNeedsConsent,
  markConnectionRevoked,
  type GoogleConnection,
} from './connection-repository';
import type { GoogleClientHealth } from './google-client-health';

/** The researcher's grant no longer works; they must connect Google again. */
export class GoogleNotConnected extends Unavailable {
  constructor(detail = "The researcher's Google Calendar is not connected. They need to reconnect it.") {
    super(detail, 'google-not-connected');
  }
}

export interface ResearcherCalendar {
  researcherId: string;
  calendarId: string;
  client: CalendarClient;
}

export interface GoogleAccess {
  /**
   * Runs `work` with the researcher's calendar. A Google answer meaning the grant is gone
   * (`invalid_grant` on refresh) marks the connection revoked, wherever it happens, and
   * surfaces as GoogleNotConnected. A refusal of the service's own OAuth client
   * (`invalid_client`…) touches no connection: it is reported to the client health.
   */
  withCalendar<T>(
    researcherId: string,
    work: (calendar: ResearcherCalendar) => Promise<T>,
    /** The researcher's connection as this request has just read it: not read again. */
    loaded?: GoogleConnection,
  ): Promise<T>;
  /** Revokes the grant at Google; a token Google already forgot counts as revoked. */
  revokeAtGoogle(connection: GoogleConnection): Promise<void>;
}

export interface GoogleAccessDeps {
  knex: Knex;
  oauth: GoogleOAuth;
  keys: readonly EncryptionKey[];
  rootUrl: string;
  timeoutMs: number;
  logger: Logger;
  /** Where a rejection of the service's own OAuth client is reported (/readyz, metric, log). */
  clientHealth: GoogleClientHealth;
}

const MAX_CACHED_CLIENTS = 1000;

export function createGoogleAccess(deps: GoogleAccessDeps): GoogleAccess {
  // One OAuth2Client per researcher and refresh token keeps its access token in memory
  // between calls (never in the database), so most calls need no refresh round trip.
  const clients = new Map<string, CalendarClient>();

  function clientFor(connection: GoogleConnection): CalendarClient {
    const cacheKey = `${connection.researcherId}:${connection.refreshToken.ciphertext}`;
    const cached = clients.get(cacheKey);
    if (cached) return cached;
    if (clients.size >= MAX_CACHED_CLIENTS) clients.delete(clients.keys().next().value as string);
    const auth = deps.oauth.clientFor(decryptToken(connection.refreshToken, deps.keys));
    const client = createCalendarClient({ auth, rootUrl: deps.rootUrl, timeoutMs: deps.timeoutMs });
    clients.set(cacheKey, client);
    return client;
  }

  function forget(researcherId: string): void {
    for (const key of clients.keys()) if (key.startsWith(`${researcherId}:`)) clients.delete(key);
  }

  return {
    async withCalendar(researcherId, work, loaded) {
      const connection =
        loaded?.researcherId === researcherId ? loaded : await findConnection(deps.knex, researcherId);
      if (!connection || connection.state !== 'connected') throw new GoogleNotConnected();
      try {
        return await work({ researcherId, calendarId: connection.calendarId, client: clientFor(connection) });
      } catch (error) {
        if (error instanceof GoogleApiError && error.failure.kind === 'revoked') {
          forget(researcherId);
          if (await markConnectionRevoked(deps.knex, researcherId, 'invalid_grant')) {
            deps.logger.warn(
              { researcherId, operation: error.operation },
              'google grant revoked: connection marked',
            );
          }
          throw new GoogleNotConnected();
        }
        if (error instanceof GoogleApiError && error.reason === 'insufficientPermissions') {
          if (await markConnectionNeedsConsent(deps.knex, researcherId)) {
            deps.logger.warn(
              { researcherId, operation: error.operation },
              'google grant lacks a calendar permission: connection needs consent',
            );
          }
          throw new GoogleNotConnected(
            "The researcher's Google Calendar permission is missing. They need to reconnect it and allow access.",
          );
        }
        // The service's own client is refused: nothing is wrong with this researcher's grant.
        if (error instanceof GoogleApiError && error.failure.kind === 'clientRejected') {
          deps.clientHealth.rejected(error.reason ?? 'invalid_client', error.operation);
        }
        throw error;
      }
    },

    async revokeAtGoogle(connection) {
      forget(connection.researcherId);
      await deps.oauth.revoke(decryptToken(connection.refreshToken, deps.keys));
    },
  };
}
