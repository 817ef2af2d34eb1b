import { OAuthError } from './errors';

/**
 * The OAuth clients registered with the emulator, as in Google's Cloud console: an id, a
 * secret and the redirect URIs allowed for it. Google refuses any other client, secret or
 * redirect URI; so does the emulator, so a misconfigured service fails here first.
 */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /**
   * Exact redirect URIs allowed. Without it, any `http(s)` URI on a loopback host
   * (127.0.0.1, localhost, [::1]) at any port is allowed, as Google does for loopback
   * redirects of installed apps — tests and `npm run emulator` pick their ports freely.
   */
  redirectUris?: string[];
}

/** The client `npm start` and `npm run emulator` know when none is given. */
export const DEFAULT_EMULATOR_CLIENT: Readonly<RegisteredClient> = {
  clientId: 'interview-scheduler.apps.emulator',
  clientSecret: 'emulator-secret',
};

export function findClient(clients: readonly RegisteredClient[], clientId: string): RegisteredClient {
  const client = clients.find((candidate) => candidate.clientId === clientId);
  // Google's page and JSON say the same: "The OAuth client was not found."
  if (!client) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  return client;
}

/** The token endpoint's check: a known client presenting its current secret. */
export function authenticateClient(
  clients: readonly RegisteredClient[],
  clientId: string,
  clientSecret: string,
): RegisteredClient {
  const client = findClient(clients, clientId);
  if (client.clientSecret !== clientSecret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
  return client;
}

/** The authorization endpoint's check; a mismatch is an error page, never a redirect. */
export function requireRegisteredRedirect(client: RegisteredClient, redirectUri: string): void {
  const allowed = client.redirectUris
    ? client.redirectUris.includes(redirectUri)
    : isLoopbackHttpUrl(redirectUri);
  if (!allowed) {
    throw new OAuthError(
      400,
      'redirect_uri_mismatch',
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. ` +
        `The redirect_uri ${redirectUri} is not registered for the client ${client.clientId}.`,
    );
  }
}

function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}
