import crypto from 'node:crypto';
import nock from 'nock';
import { createCalendarClient, type CalendarClient } from '../../src/google/calendar-client';
import { googleEndpoints } from '../../src/google/endpoints';
import { createGoogleOAuth, type GoogleOAuth } from '../../src/google/oauth';

/** A made-up origin: nock answers for it, nothing on the network ever could. */
export const BASE = 'https://google.test';
export const endpoints = googleEndpoints(BASE);
export const CLIENT = {
  clientId: 'client-123.apps.googleusercontent.test',
  clientSecret: 'client-secret-xyz',
  redirectUri: 'http://127.0.0.1:3000/auth/google/callback',
};
export const REFRESH_TOKEN = '1//refresh-token-abc';
export const ACCESS_TOKEN = 'ya29.access-token-1';
export const EVENTS_PATH = '/calendar/v3/calendars/primary/events';

export function googleOAuth(): GoogleOAuth {
  return createGoogleOAuth({ ...CLIENT, endpoints });
}

/** A calendar client for a researcher holding REFRESH_TOKEN (no access token yet). */
export function connectedCalendar(timeoutMs = 2000): CalendarClient {
  return createCalendarClient({
    auth: googleOAuth().clientFor(REFRESH_TOKEN),
    rootUrl: endpoints.rootUrl,
    timeoutMs,
  });
}

/** The token endpoint accepting REFRESH_TOKEN `times` times. */
export function tokenEndpointRefreshes(times = 1, accessToken = ACCESS_TOKEN): nock.Scope {
  return nock(BASE)
    .post(
      '/token',
      (body: Record<string, string>) =>
        body.grant_type === 'refresh_token' && body.refresh_token === REFRESH_TOKEN,
    )
    .times(times)
    .reply(200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer', scope: 'openid email' });
}

/** Google's documented error body for Calendar v3. */
export function calendarErrorBody(code: number, reason: string, message: string, domain = 'global') {
  return { error: { code, message, errors: [{ domain, reason, message }] } };
}

/** An RS256 signing key with Google's certificate-list shape (`{ kid: pem }`). */
export function idTokenSigner(kid = 'test-key-1') {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    certs: { [kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    sign(claims: Record<string, unknown>): string {
      const unsigned = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(claims)}`;
      const signature = crypto.sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url');
      return `${unsigned}.${signature}`;
    },
  };
}

/** Standard id_token claims for the client, valid for an hour from now. */
export function idTokenClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://accounts.google.com',
    aud: CLIENT.clientId,
    sub: '110169484474386276334',
    email: 'ada@example.test',
    email_verified: true,
    name: 'Ada Lovelace',
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
}

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
export async function thrownBy(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
