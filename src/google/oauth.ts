import { OAuth2Client } from 'google-auth-library';
import type { GoogleEndpoints } from './endpoints';
import { GoogleApiError, toGoogleApiError } from './errors';

/**
 * What the service asks for (DESIGN 1.1): identity, events read/write (list, get, insert,
 * patch, delete and watch all take `calendar.events`) and free/busy (`calendar.freebusy`:
 * availability only, where `calendar.readonly` would show every calendar's details).
 */
export const GOOGLE_SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.freebusy',
] as const;

const AUTH = 'https://www.googleapis.com/auth/';

/**
 * What the calls we make need, each as the scopes that would do (Calendar API reference):
 * events list/get/insert/patch/delete and watch need `calendar.events` (or the full
 * `calendar`); freeBusy needs one of the free/busy-capable scopes. With granular consent
 * the researcher may untick any of them.
 */
export const REQUIRED_PERMISSIONS: readonly {
  name: string;
  description: string;
  anyOf: readonly string[];
}[] = [
  {
    name: 'calendar.events',
    description: 'See, create, change and delete events on your Google calendars',
    anyOf: [`${AUTH}calendar.events`, `${AUTH}calendar`],
  },
  {
    name: 'free/busy',
    description: 'See when you are busy on your Google calendars',
    anyOf: [
      `${AUTH}calendar.readonly`,
      `${AUTH}calendar.freebusy`,
      `${AUTH}calendar.events.freebusy`,
      `${AUTH}calendar`,
    ],
  },
];

/** The permissions the granted scopes lack (empty when everything we use was granted). */
export function missingPermissions(grantedScopes: readonly string[]): typeof REQUIRED_PERMISSIONS {
  return REQUIRED_PERMISSIONS.filter(
    (permission) => !permission.anyOf.some((scope) => grantedScopes.includes(scope)),
  );
}

export interface GoogleOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Must match a redirect URI registered for the client exactly. */
  redirectUri: string;
  endpoints: GoogleEndpoints;
  /** Per request to the OAuth endpoints; 10 s unless given. */
  timeoutMs?: number;
  /** Told whenever Google issues a token to the client, or refuses the client at a code exchange. */
  clientVerdicts?: {
    accepted(): void;
    rejected(reason: string, operation: string): void;
  };
}

export interface GoogleIdentity {
  /** Google's stable account id: the key to find the researcher again, unlike the email. */
  sub: string;
  email: string;
  emailVerified: boolean;
  /** The profile name, else the email (a name is optional at Google). */
  name: string;
}

export interface ExchangedGrant {
  /** Only present when this consent granted offline access (prompt=consent makes it so). */
  refreshToken?: string;
  accessToken: string;
  expiryDate: Date | undefined;
  scopes: string[];
  identity: GoogleIdentity;
}

export interface GoogleOAuth {
  /**
   * `forceConsent` (the default) adds `prompt=consent`, which makes Google show the screen
   * and issue a refresh token again; without it a researcher who granted everything before
   * passes straight through.
   */
  authorizationUrl(input: { state: string; loginHint?: string; forceConsent?: boolean }): string;
  /** Throws GoogleApiError; `revoked` when the code was already used or has expired. */
  exchangeCode(code: string): Promise<ExchangedGrant>;
  /** Revokes a refresh (or access) token; a token Google no longer knows counts as done. */
  revoke(token: string): Promise<'revoked' | 'alreadyInvalid'>;
  /** An OAuth2Client for one researcher that refreshes its own access tokens. */
  clientFor(refreshToken: string): OAuth2Client;
}

export function createGoogleOAuth(config: GoogleOAuthConfig): GoogleOAuth {
  const newClient = () =>
    new OAuth2Client({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      redirectUri: config.redirectUri,
      endpoints: config.endpoints.oauth2,
      issuers: config.endpoints.idTokenIssuers,
      // Node's own fetch: gaxios would otherwise `import('node-fetch')` (ESM-only), which
      // fails under jest's CommonJS runtime — and one HTTP stack everywhere is simpler.
      transporterOptions: { fetchImplementation: fetch, timeout: config.timeoutMs ?? 10_000 },
    });
  // Exchanges and id_token checks share one client so Google's signing certificates are cached.
  const exchanger = newClient();

  return {
    authorizationUrl: ({ state, loginHint, forceConsent = true }) =>
      exchanger.generateAuthUrl({
        access_type: 'offline',
        ...(forceConsent ? { prompt: 'consent' } : {}),
        include_granted_scopes: true,
        scope: [...GOOGLE_SCOPES],
        state,
        ...(loginHint ? { login_hint: loginHint } : {}),
      }),

    exchangeCode: async (code) => {
      let tokens;
      try {
        ({ tokens } = await exchanger.getToken(code));
      } catch (error) {
        const failure = toGoogleApiError(error, 'oauth.exchangeCode');
        if (failure.failure.kind === 'clientRejected') {
          config.clientVerdicts?.rejected(failure.reason ?? 'invalid_client', failure.operation);
        }
        throw failure;
      }
      config.clientVerdicts?.accepted();
      if (!tokens.access_token || !tokens.id_token) {
        throw invalidAnswer('the token response lacks access_token or id_token');
      }
      const fromIdToken = await verifiedIdentity(exchanger, tokens.id_token, config.clientId);
      const name = fromIdToken.name ?? (await userinfoName(newClient(), tokens.access_token, config));
      return {
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
        accessToken: tokens.access_token,
        expiryDate: typeof tokens.expiry_date === 'number' ? new Date(tokens.expiry_date) : undefined,
        scopes: (tokens.scope ?? '').split(' ').filter((scope) => scope.length > 0),
        identity: { ...fromIdToken, name: name ?? fromIdToken.email },
      };
    },

    revoke: async (token) => {
      try {
        await exchanger.revokeToken(token);
        return 'revoked';
      } catch (error) {
        const googleError = toGoogleApiError(error, 'oauth.revoke');
        if (googleError.reason === 'invalid_token') return 'alreadyInvalid';
        throw googleError;
      }
    },

    clientFor: (refreshToken) => {
      const client = newClient();
      // Only the refresh token: the client fetches (and re-fetches) access tokens itself,
      // in memory, so no access token is ever stored.
      client.setCredentials({ refresh_token: refreshToken });
      // A refreshed access token proves Google accepts the client (id and secret) again.
      client.on('tokens', () => config.clientVerdicts?.accepted());
      return client;
    },
  };
}

async function verifiedIdentity(
  client: OAuth2Client,
  idToken: string,
  clientId: string,
): Promise<Omit<GoogleIdentity, 'name'> & { name: string | undefined }> {
  let payload;
  try {
    // Checks signature (Google's certs), issuer, expiry and that it was issued to us.
    payload = (await client.verifyIdToken({ idToken, audience: clientId })).getPayload();
  } catch (error) {
    // A failure to fetch the certificates is an HTTP error like any other; anything else
    // means the token itself is bad. Its message would quote the token, so it is not kept.
    if (typeof error === 'object' && error !== null && 'config' in error) {
      throw toGoogleApiError(error, 'oauth.verifyIdToken');
    }
    throw invalidAnswer('the id_token did not verify');
  }
  if (!payload?.sub || !payload.email) throw invalidAnswer('the id_token lacks sub or email');
  return {
    sub: payload.sub,
    email: payload.email,
    emailVerified: payload.email_verified === true,
    name: payload.name || undefined,
  };
}

/** The display name is a nicety: if userinfo fails, the caller falls back to the email. */
async function userinfoName(
  client: OAuth2Client,
  accessToken: string,
  config: GoogleOAuthConfig,
): Promise<string | undefined> {
  client.setCredentials({ access_token: accessToken });
  try {
    const { data } = await client.request<{ name?: unknown }>({ url: config.endpoints.userinfoUrl });
    return typeof data.name === 'string' && data.name.length > 0 ? data.name : undefined;
  } catch {
    return undefined;
  }
}

function invalidAnswer(why: string): GoogleApiError {
  return new GoogleApiError('oauth.exchangeCode', {
    failure: { kind: 'invalid' },
    status: undefined,
    reason: why,
    googleMessage: undefined,
  });
}
