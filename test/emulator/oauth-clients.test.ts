import { createGoogleEmulator, DEFAULT_EMULATOR_CLIENT } from '../../src/emulator';
import {
  authorizationCode,
  calendarClient,
  CLIENT,
  connect,
  failureOf,
  oauthClient,
  SCOPES,
  startEmulator,
  type Harness,
} from './support';

let harness: Harness;
afterEach(() => harness.close());

/** The consent request as the service sends it, by hand so the answer can be looked at. */
function authorizationUrl(base: string, params: { clientId?: string; redirectUri?: string }): string {
  return `${base}/o/oauth2/v2/auth?${new URLSearchParams({
    client_id: params.clientId ?? CLIENT.clientId,
    redirect_uri: params.redirectUri ?? CLIENT.redirectUri,
    response_type: 'code',
    scope: SCOPES.join(' '),
    access_type: 'offline',
    login_hint: 'ada@example.com',
    state: 'state-1',
  })}`;
}

describe('Registered OAuth clients, as in the Cloud console', () => {
  test('When the token request carries a wrong secret, then the code exchange is 401 invalid_client and the code still works with the right one', async () => {
    harness = await startEmulator();
    const client = oauthClient(harness.base);
    const code = await authorizationCode(client, { email: 'ada@example.com' });
    const wrongSecret = oauthClient(harness.base, { clientSecret: 'not-the-secret' });
    expect(await failureOf(wrongSecret.getToken(code))).toMatchObject({
      status: 401,
      reason: 'invalid_client',
    });
    await expect(client.getToken(code)).resolves.toBeDefined();
  });

  test('When an unknown client asks for tokens, then it is 401 invalid_client ("not found")', async () => {
    harness = await startEmulator();
    const client = oauthClient(harness.base);
    const code = await authorizationCode(client, { email: 'ada@example.com' });
    const stranger = oauthClient(harness.base, { clientId: 'stranger.apps.googleusercontent.com' });
    const failure = await failureOf(stranger.getToken(code));
    expect(failure).toMatchObject({ status: 401, reason: 'invalid_client' });
    expect(failure.body).toMatchObject({ error_description: 'The OAuth client was not found.' });
  });

  test('When the secret is rotated after a researcher connected, then refreshing with the old one is 401 invalid_client and the grant itself still works', async () => {
    harness = await startEmulator();
    const { tokens } = await connect(harness.base, 'ada@example.com');
    harness.emulator.setClientSecret(CLIENT.clientId, 'rotated-secret');

    const stale = oauthClient(harness.base);
    stale.setCredentials({ refresh_token: tokens.refresh_token! });
    expect(await failureOf(stale.refreshAccessToken())).toMatchObject({
      status: 401,
      reason: 'invalid_client',
    });

    const rotated = oauthClient(harness.base, { clientSecret: 'rotated-secret' });
    rotated.setCredentials({ refresh_token: tokens.refresh_token! });
    const listed = await calendarClient(harness.base, rotated).events.list({ calendarId: 'primary' });
    expect(listed.status).toBe(200);
  });

  test('When the redirect URI is not registered for the client, then Google shows a 400 redirect_uri_mismatch page and does not redirect', async () => {
    harness = await startEmulator({
      clients: [{ ...CLIENT, redirectUris: ['https://scheduler.example.org/auth/google/callback'] }],
    });
    const mismatch = await fetch(authorizationUrl(harness.base, {}), { redirect: 'manual' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.headers.get('location')).toBeNull();
    const page = await mismatch.text();
    expect(page).toContain('Error 400');
    expect(page).toContain('redirect_uri_mismatch');

    const registered = await fetch(
      authorizationUrl(harness.base, { redirectUri: 'https://scheduler.example.org/auth/google/callback' }),
      { redirect: 'manual' },
    );
    expect(registered.status).toBe(302);
    expect(registered.headers.get('location')).toMatch(
      /^https:\/\/scheduler\.example\.org\/auth\/google\/callback\?/,
    );
  });

  test('When no redirect URIs are given, then loopback ones are allowed and any other host is a mismatch', async () => {
    harness = await startEmulator();
    const loopback = await fetch(
      authorizationUrl(harness.base, { redirectUri: 'http://localhost:4123/auth/google/callback' }),
      { redirect: 'manual' },
    );
    expect(loopback.status).toBe(302);
    const elsewhere = await fetch(
      authorizationUrl(harness.base, { redirectUri: 'https://evil.example.com/callback' }),
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('redirect_uri_mismatch');
  });

  test('When the authorization request names an unknown client, then an Error 401 invalid_client page is shown', async () => {
    harness = await startEmulator();
    const unknown = await fetch(authorizationUrl(harness.base, { clientId: 'stranger.apps.example' }), {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(401);
    const page = await unknown.text();
    expect(page).toContain('Error 401');
    expect(page).toContain('invalid_client');
  });

  test('When the emulator is created without clients, then it knows the default one only', async () => {
    const emulator = createGoogleEmulator({ autoApprove: true });
    const { url } = await emulator.listen(0);
    harness = { emulator, base: url, close: () => emulator.close() };
    const ours = oauthClient(url, { ...DEFAULT_EMULATOR_CLIENT });
    const code = await authorizationCode(ours, { email: 'ada@example.com' });
    await expect(ours.getToken(code)).resolves.toBeDefined();
    const unregistered = await fetch(authorizationUrl(url, { clientId: CLIENT.clientId }), {
      redirect: 'manual',
    });
    expect(unregistered.status).toBe(401);
  });
});
