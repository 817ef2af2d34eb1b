import nock from 'nock';
import { GoogleApiError } from '../../src/google/errors';
import { GOOGLE_SCOPES } from '../../src/google/oauth';
import {
  BASE,
  CLIENT,
  endpoints,
  googleOAuth,
  idTokenClaims,
  idTokenSigner,
  REFRESH_TOKEN,
  thrownBy,
} from './fake-google';

afterEach(() => nock.cleanAll());

const signer = idTokenSigner();
const GRANTED_SCOPE = [...GOOGLE_SCOPES].join(' ');

/** The token endpoint answering the authorization code `code` with a signed id_token. */
function tokenEndpointExchanges(
  code: string,
  claims: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return nock(BASE)
    .post(
      '/token',
      (body: Record<string, string>) =>
        body.grant_type === 'authorization_code' &&
        body.code === code &&
        body.client_id === CLIENT.clientId &&
        body.client_secret === CLIENT.clientSecret &&
        body.redirect_uri === CLIENT.redirectUri,
    )
    .reply(200, {
      access_token: 'ya29.fresh',
      expires_in: 3599,
      token_type: 'Bearer',
      scope: GRANTED_SCOPE,
      refresh_token: REFRESH_TOKEN,
      id_token: signer.sign(claims),
      ...extra,
    });
}

const certsServed = () => nock(BASE).get('/oauth2/v1/certs').reply(200, signer.certs);

describe('The consent screen URL', () => {
  test('When a researcher connects, then the URL asks for offline access, fresh consent, all scopes, state and the hint', () => {
    const url = new URL(
      googleOAuth().authorizationUrl({ state: 'signed-state', loginHint: 'ada@example.test' }),
    );

    expect(`${url.origin}${url.pathname}`).toBe(endpoints.oauth2.oauth2AuthBaseUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT.clientId,
      redirect_uri: CLIENT.redirectUri,
      response_type: 'code',
      scope:
        'openid email profile https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.freebusy',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state: 'signed-state',
      login_hint: 'ada@example.test',
    });
  });

  test('When no hint is given, then no login_hint is sent', () => {
    const url = new URL(googleOAuth().authorizationUrl({ state: 's' }));

    expect(url.searchParams.has('login_hint')).toBe(false);
  });
});

describe('Exchanging the authorization code', () => {
  test('When Google answers with tokens and a signed id_token, then the grant and the verified identity come back', async () => {
    const google = tokenEndpointExchanges('code-1', idTokenClaims());
    certsServed();

    const before = Date.now();
    const grant = await googleOAuth().exchangeCode('code-1');

    expect(google.isDone()).toBe(true);
    expect(grant).toMatchObject({
      refreshToken: REFRESH_TOKEN,
      accessToken: 'ya29.fresh',
      scopes: [...GOOGLE_SCOPES],
      identity: {
        sub: '110169484474386276334',
        email: 'ada@example.test',
        emailVerified: true,
        name: 'Ada Lovelace',
      },
    });
    expect(grant.expiryDate?.getTime()).toBeGreaterThanOrEqual(before + 3599_000);
  });

  test('When the id_token has no name, then the name comes from userinfo', async () => {
    tokenEndpointExchanges('code-2', idTokenClaims({ name: undefined }));
    certsServed();
    const userinfo = nock(BASE, { reqheaders: { authorization: 'Bearer ya29.fresh' } })
      .get('/oauth2/v2/userinfo')
      .reply(200, {
        id: '110169484474386276334',
        email: 'ada@example.test',
        verified_email: true,
        name: 'Ada L.',
      });

    const grant = await googleOAuth().exchangeCode('code-2');

    expect(userinfo.isDone()).toBe(true);
    expect(grant.identity.name).toBe('Ada L.');
  });

  test('When neither the id_token nor userinfo has a name, then the email stands in', async () => {
    tokenEndpointExchanges('code-3', idTokenClaims({ name: undefined }));
    certsServed();
    nock(BASE).get('/oauth2/v2/userinfo').reply(500, 'oops');

    const grant = await googleOAuth().exchangeCode('code-3');

    expect(grant.identity.name).toBe('ada@example.test');
  });

  test('When Google sends no refresh token (consent without offline access), then none is returned', async () => {
    tokenEndpointExchanges('code-4', idTokenClaims(), { refresh_token: undefined });
    certsServed();

    const grant = await googleOAuth().exchangeCode('code-4');

    expect(grant).not.toHaveProperty('refreshToken');
  });

  test('When the id_token was issued to another client, then the exchange fails as invalid', async () => {
    tokenEndpointExchanges('code-5', idTokenClaims({ aud: 'someone-else.apps.test' }));
    certsServed();

    const error = (await thrownBy(() => googleOAuth().exchangeCode('code-5'))) as GoogleApiError;

    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error.failure).toEqual({ kind: 'invalid' });
  });

  test('When the id_token is signed by an unknown key, then the exchange fails as invalid', async () => {
    const impostor = idTokenSigner();
    nock(BASE)
      .post('/token')
      .reply(200, {
        access_token: 'a',
        expires_in: 3599,
        scope: GRANTED_SCOPE,
        id_token: impostor.sign(idTokenClaims()),
      });
    nock(BASE)
      .get('/oauth2/v1/certs')
      .reply(200, { 'test-key-1': Object.values(signer.certs)[0] });

    const error = (await thrownBy(() => googleOAuth().exchangeCode('code-6'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'invalid' });
  });

  test('When the code was already used, then invalid_grant makes the failure revoked', async () => {
    nock(BASE).post('/token').reply(400, { error: 'invalid_grant', error_description: 'Bad Request' });

    const error = (await thrownBy(() => googleOAuth().exchangeCode('used-code'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'revoked' });
    expect(error.operation).toBe('oauth.exchangeCode');
  });
});

describe('Revoking and per-researcher clients', () => {
  test('When a token is revoked, then Google is told and the answer is revoked', async () => {
    const google = nock(BASE).post('/revoke').query({ token: REFRESH_TOKEN }).reply(200, {});

    const outcome = await googleOAuth().revoke(REFRESH_TOKEN);

    expect(google.isDone()).toBe(true);
    expect(outcome).toBe('revoked');
  });

  test('When Google no longer knows the token, then revoking it counts as done', async () => {
    nock(BASE)
      .post('/revoke')
      .query(true)
      .reply(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });

    const outcome = await googleOAuth().revoke('gone-token');

    expect(outcome).toBe('alreadyInvalid');
  });

  test('When a client is made for a researcher, then it holds the refresh token and no access token', () => {
    const client = googleOAuth().clientFor(REFRESH_TOKEN);

    expect(client.credentials).toEqual({ refresh_token: REFRESH_TOKEN });
  });
});
