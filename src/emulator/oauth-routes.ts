import express, { type Request, type Response, type Router } from 'express';
import { consentPage, oauthErrorPage } from './consent-page';
import type { EmulatorContext } from './context';
import { authError, defaultOAuthDescription, OAuthError } from './errors';
import { bearerToken, field, sendApiError, sendFailure, sendOAuthError } from './http';
import { decodeClaims } from './id-token';
import { authenticateClient, findClient, requireRegisteredRedirect } from './oauth-clients';
import {
  approve,
  authenticate,
  denialRedirect,
  exchangeCode,
  parseAuthorizationRequest,
  refreshAccessToken,
  revokeToken,
  type TokenContext,
} from './oauth-store';
import { ensureUser, findUser } from './users';

/** The fault operation of each grant: a fault for `oauth.token` covers both. */
const TOKEN_OPERATIONS: Record<string, string> = {
  authorization_code: 'oauth.token.exchange',
  refresh_token: 'oauth.token.refresh',
};

/** OAuth 2.0 at Google's own paths: consent, token, revoke, tokeninfo, userinfo, certificates. */
export function oauthRoutes(context: EmulatorContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false });
  const json = express.json();
  const tokenContext = (): TokenContext => ({
    state: context.state,
    nowMs: context.clock.nowMs(),
    accessTokenTtlSeconds: context.accessTokenTtlSeconds,
    ...(context.refreshTokenMaxAgeSeconds !== undefined
      ? { refreshTokenMaxAgeSeconds: context.refreshTokenMaxAgeSeconds }
      : {}),
    signer: context.signer,
  });

  const AUTH_PATH = '/o/oauth2/v2/auth';

  router.get(AUTH_PATH, (req, res) => {
    const params = stringParams(req.query);
    const request = parseOrShowError(params, res, context);
    if (!request) return;
    if (context.autoApprove && request.loginHint) {
      const { user } = ensureUser(context.state, context.clock.now(), { email: request.loginHint });
      // The admin API may have said what this user leaves ticked (POST /_emulator/users/:email/grant).
      const granted = context.nextConsent.get(user.email);
      context.nextConsent.delete(user.email);
      return res.redirect(302, approve(context.state, context.clock.nowMs(), request, user, granted));
    }
    res
      .type('html')
      .send(consentPage({ action: AUTH_PATH, params, request, users: Object.values(context.state.users) }));
  });

  router.post(AUTH_PATH, form, (req, res) => {
    const params = stringParams(req.body);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- taken out of the request's fields
    const { decision, granular, grant, new_email, new_name, ...rest } = params;
    const { email: chosen, name: chosenName, ...authParams } = rest;
    const request = parseOrShowError(authParams, res, context);
    if (!request) return;
    if (decision === 'deny') return res.redirect(303, denialRedirect(request));
    // The page's account buttons send `email`; its create form `decision=create` with new_*;
    // a plain `decision=allow&email=…&name=…` post works too.
    const email = decision === 'create' ? new_email : chosen;
    const name = decision === 'create' ? new_name : chosenName;
    const allowed = decision === 'create' || decision === 'allow' || (decision === undefined && chosen);
    if (!allowed || !email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
      return res
        .status(400)
        .type('html')
        .send(oauthErrorPage('invalid_request', 'Choose or create an account.'));
    }
    const user =
      findUser(context.state, email) ??
      ensureUser(context.state, context.clock.now(), { email, ...(name ? { name } : {}) }).user;
    // Unticked boxes are not sent: with the page's marker, only the ticked scopes are granted.
    const granted = granular === '1' ? allValues(req.body, 'grant') : undefined;
    res.redirect(303, approve(context.state, context.clock.nowMs(), request, user, granted));
  });

  router.post('/token', form, json, async (req, res) => {
    try {
      const grantType = field(req.body, 'grant_type');
      const failure = await context.faults.before(TOKEN_OPERATIONS[grantType ?? ''] ?? 'oauth.token');
      if (failure) {
        const error = failure.reason ?? (failure.status >= 500 ? 'internal_failure' : 'invalid_grant');
        throw new OAuthError(
          failure.status,
          error,
          failure.message ?? defaultOAuthDescription(failure.status, error),
        );
      }
      const credentials = clientCredentials(req);
      const client = authenticateClient(context.clients, credentials.clientId, credentials.clientSecret);
      const response =
        grantType === 'authorization_code'
          ? exchangeCode(tokenContext(), {
              clientId: client.clientId,
              ...optional('code', field(req.body, 'code')),
              ...optional('redirectUri', field(req.body, 'redirect_uri')),
              ...optional('codeVerifier', field(req.body, 'code_verifier')),
            })
          : grantType === 'refresh_token'
            ? refreshAccessToken(tokenContext(), {
                clientId: client.clientId,
                ...optional('refreshToken', field(req.body, 'refresh_token')),
              })
            : unsupportedGrant(grantType);
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(response);
    } catch (failure) {
      sendFailure(res, failure, context.logger);
    }
  });

  router.post('/revoke', form, json, (req, res) => {
    const token = field(req.query, 'token') ?? field(req.body, 'token');
    if (!token)
      return sendOAuthError(res, new OAuthError(400, 'invalid_request', 'Missing required parameter: token'));
    if (!revokeToken(context.state, context.clock.nowMs(), token)) {
      return sendOAuthError(res, new OAuthError(400, 'invalid_token', 'Token expired or revoked'));
    }
    res.status(200).json({});
  });

  const tokenInfo = (req: Request, res: Response) => {
    const idToken = field(req.query, 'id_token') ?? field(req.body, 'id_token');
    if (idToken) {
      const claims = decodeClaims(idToken);
      if (!claims) return sendOAuthError(res, new OAuthError(400, 'invalid_token', 'Invalid Value'));
      return res.json(Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, String(value)])));
    }
    const accessToken =
      field(req.query, 'access_token') ?? field(req.body, 'access_token') ?? bearerToken(req);
    const nowMs = context.clock.nowMs();
    const auth = accessToken ? authenticate(context.state, nowMs, accessToken) : undefined;
    if (!auth) return sendOAuthError(res, new OAuthError(400, 'invalid_token', 'Invalid Value'));
    const hasEmail = auth.grant.scopes.includes('https://www.googleapis.com/auth/userinfo.email');
    res.json({
      azp: auth.grant.clientId,
      aud: auth.grant.clientId,
      sub: auth.user.sub,
      scope: auth.grant.scopes.join(' '),
      exp: String(Math.floor(auth.expiresAt / 1000)),
      expires_in: String(Math.max(0, Math.floor((auth.expiresAt - nowMs) / 1000))),
      ...(hasEmail ? { email: auth.user.email, email_verified: 'true' } : {}),
      access_type: auth.grant.refreshToken ? 'offline' : 'online',
    });
  };
  router.get('/tokeninfo', tokenInfo);
  router.post('/tokeninfo', form, json, tokenInfo);

  const userinfo = (req: Request, res: Response) => {
    const token = bearerToken(req);
    const auth = token ? authenticate(context.state, context.clock.nowMs(), token) : undefined;
    if (!auth) return sendApiError(res, authError());
    const [givenName, ...rest] = auth.user.name.split(' ');
    res.json({
      id: auth.user.sub,
      email: auth.user.email,
      verified_email: true,
      name: auth.user.name,
      given_name: givenName,
      ...(rest.length > 0 ? { family_name: rest.join(' ') } : {}),
      picture: `https://lh3.googleusercontent.com/a/default-user=s96-c`,
    });
  };
  router.get('/oauth2/v2/userinfo', userinfo);
  router.get('/oauth2/v1/userinfo', userinfo);

  // Short cache lifetime: a restarted emulator without a state file signs with a new key.
  router.get('/oauth2/v1/certs', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=60').json(context.signer.pemCerts());
  });
  router.get('/oauth2/v3/certs', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=60').json(context.signer.jwks());
  });

  return router;
}

/** A malformed request, an unknown client or an unregistered redirect URI: Google's error page. */
function parseOrShowError(params: Record<string, string>, res: Response, context: EmulatorContext) {
  try {
    const request = parseAuthorizationRequest(params);
    requireRegisteredRedirect(findClient(context.clients, request.clientId), request.redirectUri);
    return request;
  } catch (failure) {
    if (!(failure instanceof OAuthError)) throw failure;
    res
      .status(failure.status)
      .type('html')
      .send(oauthErrorPage(failure.error, failure.description, failure.status));
    return undefined;
  }
}

function stringParams(source: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (typeof source !== 'object' || source === null) return params;
  for (const key of Object.keys(source)) {
    const value = field(source, key);
    if (value !== undefined) params[key] = value;
  }
  return params;
}

/** Client id and secret from the form body or HTTP Basic; the caller checks them. */
function clientCredentials(req: Request): { clientId: string; clientSecret: string } {
  let clientId = field(req.body, 'client_id');
  let clientSecret = field(req.body, 'client_secret');
  const header = req.get('authorization');
  const basic = header ? /^Basic\s+(.+)$/i.exec(header) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at > 0) {
      clientId = decodeURIComponent(decoded.slice(0, at));
      clientSecret = decodeURIComponent(decoded.slice(at + 1));
    }
  }
  if (!clientId) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (!clientSecret) throw new OAuthError(400, 'invalid_request', 'client_secret is missing.');
  return { clientId, clientSecret };
}

function allValues(source: unknown, name: string): string[] {
  if (typeof source !== 'object' || source === null) return [];
  const value = (source as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((entry): entry is string => typeof entry === 'string');
}

function unsupportedGrant(grantType: string | undefined): never {
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
