import {
  admin,
  authorizationCode,
  calendarClient,
  CLIENT,
  connect,
  consent,
  failureOf,
  oauthClient,
  OTHER_CLIENT,
  SCOPES,
  startEmulator,
  type Harness,
} from './support';

let harness: Harness;
beforeEach(async () => {
  harness = await startEmulator();
});
afterEach(() => harness.close());

describe('OAuth 2.0 against the emulator with google-auth-library', () => {
  test('When consent is auto-approved for a login_hint, then the redirect carries a code and the state, and the code buys tokens', async () => {
    const client = oauthClient(harness.base);
    const redirect = await consent(client, { email: 'Ada@Example.com', state: 'csrf-1' });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(CLIENT.redirectUri);
    expect(redirect.searchParams.get('state')).toBe('csrf-1');
    const { tokens } = await client.getToken(redirect.searchParams.get('code')!);
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.id_token).toBeTruthy();
    expect(tokens.scope).toContain('https://www.googleapis.com/auth/calendar.events');
    expect(harness.emulator.state.users['ada@example.com']).toBeDefined();
  });

  test('When the id_token is verified with the real library, then it passes and names the user', async () => {
    const client = oauthClient(harness.base);
    const { tokens } = await client.getToken(await authorizationCode(client, { email: 'grace@example.com' }));
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token!, audience: CLIENT.clientId });
    const payload = ticket.getPayload()!;
    expect(payload.iss).toBe('https://accounts.google.com');
    expect(payload.aud).toBe(CLIENT.clientId);
    expect(payload.email).toBe('grace@example.com');
    expect(payload.email_verified).toBe(true);
    expect(payload.name).toBe('Grace');
    expect(payload.sub).toMatch(/^\d{21}$/);
  });

  test('When the same user connects twice, then the id_token subject is the same', async () => {
    const client = oauthClient(harness.base);
    const first = await client.getToken(await authorizationCode(client, { email: 'same@example.com' }));
    const second = await client.getToken(await authorizationCode(client, { email: 'same@example.com' }));
    const sub = async (idToken: string) =>
      (await client.verifyIdToken({ idToken, audience: CLIENT.clientId })).getPayload()!.sub;
    expect(await sub(first.tokens.id_token!)).toBe(await sub(second.tokens.id_token!));
  });

  test('When the JWK certificate list is fetched, then it holds the RS256 key the id_token names', async () => {
    const client = oauthClient(harness.base);
    const { tokens } = await client.getToken(await authorizationCode(client, { email: 'jwk@example.com' }));
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as {
      kid: string;
    };
    const jwks = (await (await fetch(`${harness.base}/oauth2/v3/certs`)).json()) as {
      keys: Array<{ kid: string; kty: string; alg: string }>;
    };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: header.kid, kty: 'RSA', alg: 'RS256' })]);
  });

  test('When a code is used twice, then the second exchange is invalid_grant', async () => {
    const client = oauthClient(harness.base);
    const code = await authorizationCode(client, { email: 'ada@example.com' });
    await client.getToken(code);
    const failure = await failureOf(client.getToken(code));
    expect(failure).toMatchObject({ status: 400, reason: 'invalid_grant' });
  });

  test('When another client or another redirect URI presents the code, then it is invalid_grant', async () => {
    const client = oauthClient(harness.base);
    const code = await authorizationCode(client, { email: 'ada@example.com' });
    const otherClient = oauthClient(harness.base, OTHER_CLIENT);
    expect(await failureOf(otherClient.getToken(code))).toMatchObject({
      status: 400,
      reason: 'invalid_grant',
    });
    const otherRedirect = oauthClient(harness.base, { redirectUri: 'http://127.0.0.1:3000/elsewhere' });
    expect(await failureOf(otherRedirect.getToken(code))).toMatchObject({
      status: 400,
      reason: 'invalid_grant',
    });
    // Neither failed attempt used the code up for its rightful client.
    await expect(client.getToken(code)).resolves.toBeDefined();
  });

  test('When a code is older than ten minutes, then it is invalid_grant', async () => {
    const client = oauthClient(harness.base);
    const code = await authorizationCode(client, { email: 'ada@example.com' });
    await admin(harness.base, '/clock', { advanceSeconds: 601 });
    expect(await failureOf(client.getToken(code))).toMatchObject({ status: 400, reason: 'invalid_grant' });
  });

  test('When the client secret travels by HTTP Basic, then the token endpoint accepts it', async () => {
    const client = oauthClient(harness.base);
    const code = await authorizationCode(client, { email: 'ada@example.com' });
    const response = await fetch(`${harness.base}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirectUri }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  });

  test('When the token request lacks a client or names an unknown grant type, then Google’s error JSON comes back', async () => {
    const post = async (body: Record<string, string>) => {
      const response = await fetch(`${harness.base}/token`, {
        method: 'POST',
        body: new URLSearchParams(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    expect(await post({ grant_type: 'authorization_code', code: 'x' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    const unknown = await post({
      grant_type: 'password',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(typeof unknown.body.error_description).toBe('string');
  });

  test('When a refresh token is used, then a new access token comes back without a new refresh token', async () => {
    const { auth, tokens } = await connect(harness.base, 'ada@example.com');
    const fresh = oauthClient(harness.base);
    fresh.setCredentials({ refresh_token: tokens.refresh_token! });
    const { token } = await fresh.getAccessToken();
    expect(token).toBeTruthy();
    expect(token).not.toBe(tokens.access_token);
    const { credentials } = await auth.refreshAccessToken();
    expect(credentials.refresh_token).toBe(tokens.refresh_token);
  });

  test('When a user consents again without prompt=consent, then no refresh token is given; with it, a new one is', async () => {
    const client = oauthClient(harness.base);
    const first = await client.getToken(await authorizationCode(client, { email: 'ada@example.com' }));
    expect(first.tokens.refresh_token).toBeTruthy();
    const again = await client.getToken(
      await authorizationCode(client, { email: 'ada@example.com', prompt: '' }),
    );
    expect(again.tokens.refresh_token).toBeUndefined();
    const forced = await client.getToken(
      await authorizationCode(client, { email: 'ada@example.com', prompt: 'consent' }),
    );
    expect(forced.tokens.refresh_token).toBeTruthy();
    expect(forced.tokens.refresh_token).not.toBe(first.tokens.refresh_token);
  });

  test('When access is online only, then no refresh token is given', async () => {
    const client = oauthClient(harness.base);
    const { tokens } = await client.getToken(
      await authorizationCode(client, { email: 'ada@example.com', accessType: 'online' }),
    );
    expect(tokens.refresh_token).toBeUndefined();
  });

  test('When the access token expires (emulator clock), then Calendar answers 401 and the client refreshes by itself', async () => {
    const { auth, calendar, tokens } = await connect(harness.base, 'ada@example.com');
    await calendar.events.list({ calendarId: 'primary' });
    await admin(harness.base, '/clock', { advanceSeconds: 3601 });

    const raw = await fetch(`${harness.base}/calendar/v3/calendars/primary/events`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError' }] } });

    // The library refreshes on a 401 only when it does not trust its own expiry time; the
    // service's client forgets the access token instead. Either way: the old token, no expiry.
    auth.setCredentials({ access_token: tokens.access_token!, refresh_token: tokens.refresh_token! });
    const refreshed: string[] = [];
    auth.on('tokens', (fresh) => refreshed.push(fresh.access_token ?? ''));
    const { status } = await calendar.events.list({ calendarId: 'primary' });
    expect(status).toBe(200);
    expect(refreshed).toHaveLength(1);
  });

  test('When the refresh token is revoked at /revoke, then refreshing is invalid_grant and its access tokens die', async () => {
    const { auth, tokens } = await connect(harness.base, 'ada@example.com');
    await auth.revokeToken(tokens.refresh_token!);
    const fresh = oauthClient(harness.base);
    fresh.setCredentials({ refresh_token: tokens.refresh_token! });
    expect(await failureOf(fresh.getAccessToken())).toMatchObject({ status: 400, reason: 'invalid_grant' });
    const raw = await fetch(`${harness.base}/calendar/v3/calendars/primary/events`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(raw.status).toBe(401);
  });

  test('When an access token is revoked, then its grant dies with it, refresh token included', async () => {
    const { auth, tokens } = await connect(harness.base, 'ada@example.com');
    await auth.revokeToken(tokens.access_token!);
    const fresh = oauthClient(harness.base);
    fresh.setCredentials({ refresh_token: tokens.refresh_token! });
    expect(await failureOf(fresh.getAccessToken())).toMatchObject({ status: 400, reason: 'invalid_grant' });
    expect(await failureOf(auth.revokeToken(tokens.access_token!))).toMatchObject({
      status: 400,
      reason: 'invalid_token',
    });
  });

  test('When tokeninfo is asked about an id_token, then it shows its claims', async () => {
    const { tokens } = await connect(harness.base, 'ada@example.com');
    const response = await fetch(`${harness.base}/tokeninfo?id_token=${tokens.id_token}`);
    expect(await response.json()).toMatchObject({
      aud: CLIENT.clientId,
      email: 'ada@example.com',
      email_verified: 'true',
    });
  });

  test('When an unknown token is revoked, then the answer is 400 invalid_token', async () => {
    const client = oauthClient(harness.base);
    expect(await failureOf(client.revokeToken('nonsense'))).toMatchObject({
      status: 400,
      reason: 'invalid_token',
    });
  });

  test('When the admin revokes the user’s access, then the refresh token is invalid_grant', async () => {
    const { tokens } = await connect(harness.base, 'ada@example.com');
    expect((await admin(harness.base, '/users/ada@example.com/revoke')).status).toBe(200);
    const fresh = oauthClient(harness.base);
    fresh.setCredentials({ refresh_token: tokens.refresh_token! });
    expect(await failureOf(fresh.getAccessToken())).toMatchObject({ status: 400, reason: 'invalid_grant' });
  });

  test('When tokeninfo and userinfo are asked about an access token, then they describe the user and grant', async () => {
    const { auth, tokens } = await connect(harness.base, 'ada.lovelace@example.com');
    const info = await auth.getTokenInfo(tokens.access_token!);
    expect(info).toMatchObject({ aud: CLIENT.clientId, email: 'ada.lovelace@example.com' });
    expect(info.scopes).toContain('openid');
    const viaGet = await fetch(`${harness.base}/tokeninfo?access_token=${tokens.access_token}`);
    expect(await viaGet.json()).toMatchObject({
      access_type: 'offline',
      expires_in: expect.stringMatching(/^3[56]\d\d$/),
    });
    const userinfo = await auth.request<Record<string, unknown>>({
      url: `${harness.base}/oauth2/v2/userinfo`,
    });
    expect(userinfo.data).toMatchObject({
      email: 'ada.lovelace@example.com',
      verified_email: true,
      name: 'Ada Lovelace',
      id: expect.stringMatching(/^\d+$/),
    });
    const anonymous = await fetch(`${harness.base}/oauth2/v2/userinfo`);
    expect(anonymous.status).toBe(401);
  });

  test('When a token lacks a Calendar scope, then Calendar answers 403 insufficientPermissions', async () => {
    const auth = oauthClient(harness.base);
    const { tokens } = await auth.getToken(
      await authorizationCode(auth, { email: 'ada@example.com', scope: ['openid', 'email'] }),
    );
    auth.setCredentials({ access_token: tokens.access_token! });
    const failure = await failureOf(
      calendarClient(harness.base, auth).events.list({ calendarId: 'primary' }),
    );
    expect(failure).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
  });

  test('When PKCE is used, then the code needs the right verifier', async () => {
    const client = oauthClient(harness.base);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      scope: SCOPES,
      login_hint: 'ada@example.com',
      code_challenge: codeChallenge!,
      code_challenge_method: 'S256' as never,
    });
    const code = async () =>
      new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    expect(
      await failureOf(client.getToken({ code: await code(), codeVerifier: 'wrong'.repeat(10) })),
    ).toMatchObject({ status: 400, reason: 'invalid_grant' });
    await expect(client.getToken({ code: await code(), codeVerifier })).resolves.toBeDefined();
  });
});

describe('The consent page', () => {
  test('When consent is not automatic, then a page lists the accounts and choosing one redirects with a code', async () => {
    const manual = await startEmulator({ autoApprove: false });
    try {
      await admin(manual.base, '/users', { email: 'chosen@example.com', name: 'Chosen <One>' });
      const url = oauthClient(manual.base).generateAuthUrl({
        scope: SCOPES,
        state: 's1',
        access_type: 'offline',
      });
      const pageResponse = await fetch(url, { redirect: 'manual' });
      expect(pageResponse.status).toBe(200);
      const html = await pageResponse.text();
      expect(html).toContain('Chosen &lt;One&gt;');
      expect(html).not.toContain('Chosen <One>');
      expect(html).toContain('Create account and continue');

      const query = Object.fromEntries(new URL(url).searchParams);
      const choose = await fetch(`${manual.base}/o/oauth2/v2/auth`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ ...query, decision: 'allow', email: 'chosen@example.com' }),
      });
      expect(choose.status).toBe(303);
      const location = new URL(choose.headers.get('location')!);
      expect(location.searchParams.get('state')).toBe('s1');
      expect(location.searchParams.get('code')).toBeTruthy();

      const deny = await fetch(`${manual.base}/o/oauth2/v2/auth`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ ...query, decision: 'deny' }),
      });
      const denied = new URL(deny.headers.get('location')!);
      expect(denied.searchParams.get('error')).toBe('access_denied');
      expect(denied.searchParams.get('state')).toBe('s1');
    } finally {
      await manual.close();
    }
  });

  test('When the create-account form is used, then the account exists and the redirect carries a code', async () => {
    const manual = await startEmulator({ autoApprove: false });
    try {
      const url = oauthClient(manual.base).generateAuthUrl({ scope: SCOPES });
      const query = Object.fromEntries(new URL(url).searchParams);
      const created = await fetch(`${manual.base}/o/oauth2/v2/auth`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          ...query,
          decision: 'allow',
          email: 'new@example.com',
          name: 'New Person',
        }),
      });
      expect(new URL(created.headers.get('location')!).searchParams.get('code')).toBeTruthy();
      expect(manual.emulator.state.users['new@example.com']?.name).toBe('New Person');
    } finally {
      await manual.close();
    }
  });

  test('When the authorization request is malformed, then an error page is shown, not a redirect', async () => {
    const cases: Array<Record<string, string>> = [
      { response_type: 'code', scope: 'openid', redirect_uri: CLIENT.redirectUri },
      { client_id: CLIENT.clientId, response_type: 'code', scope: 'openid' },
      {
        client_id: CLIENT.clientId,
        response_type: 'token',
        scope: 'openid',
        redirect_uri: CLIENT.redirectUri,
      },
      { client_id: CLIENT.clientId, response_type: 'code', redirect_uri: CLIENT.redirectUri },
      { client_id: CLIENT.clientId, response_type: 'code', scope: 'bogus', redirect_uri: CLIENT.redirectUri },
    ];
    for (const params of cases) {
      const response = await fetch(`${harness.base}/o/oauth2/v2/auth?${new URLSearchParams(params)}`, {
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Error 400');
    }
  });
});
