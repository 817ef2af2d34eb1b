import crypto from 'node:crypto';
import { OAuthError } from './errors';
import { accessTokenHash, type IdTokenSigner } from './id-token';
import { randomToken } from './ids';
import { normalizeEmail, type EmulatorState, type GrantRecord, type UserRecord } from './state';

/**
 * The OAuth 2.0 web-server flow as Google runs it: single-use codes bound to client and
 * redirect URI, refresh tokens only for offline access on a first (or forced) consent,
 * expiring access tokens, and revocation that kills a whole grant.
 */

export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  offline: boolean;
  forceConsent: boolean;
  includeGrantedScopes: boolean;
  loginHint?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface TokenContext {
  state: EmulatorState;
  nowMs: number;
  accessTokenTtlSeconds: number;
  /** Refresh tokens older than this are `invalid_grant` (unset: they do not age). */
  refreshTokenMaxAgeSeconds?: number;
  signer: IdTokenSigner;
}

/** Google answers with the long form of the identity shorthands. */
const SCOPE_ALIASES: Record<string, string> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

export function normalizeScopes(scopeParam: string): string[] {
  const scopes = scopeParam
    .split(/[\s+]+/)
    .filter((scope) => scope.length > 0)
    .map((scope) => SCOPE_ALIASES[scope] ?? scope);
  return [...new Set(scopes)];
}

/** Scopes granted with the sign-in itself; Google gives every other scope a checkbox. */
export function isSignInScope(scope: string): boolean {
  return scope === 'openid' || Object.values(SCOPE_ALIASES).includes(scope);
}

export function isKnownScope(scope: string): boolean {
  return scope === 'openid' || scope.startsWith('https://www.googleapis.com/auth/');
}

/** Validates the query of `GET /o/oauth2/v2/auth`; an error is shown to the user, never redirected. */
export function parseAuthorizationRequest(query: Record<string, unknown>): AuthorizationRequest {
  const text = (name: string) => {
    const value = query[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const clientId = text('client_id');
  if (!clientId) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: client_id');
  const redirectUri = text('redirect_uri');
  if (!redirectUri) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: redirect_uri');
  if (!isAbsoluteHttpUrl(redirectUri)) {
    throw new OAuthError(400, 'redirect_uri_mismatch', `Invalid redirect_uri: ${redirectUri}`);
  }
  const responseType = text('response_type');
  if (!responseType)
    throw new OAuthError(400, 'invalid_request', 'Missing required parameter: response_type');
  if (responseType !== 'code') {
    throw new OAuthError(400, 'unsupported_response_type', `Unsupported response_type: ${responseType}`);
  }
  const scopeParam = text('scope');
  if (!scopeParam) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: scope');
  const scopes = normalizeScopes(scopeParam);
  const unknown = scopes.find((scope) => !isKnownScope(scope));
  if (unknown) throw new OAuthError(400, 'invalid_scope', `Some requested scopes were invalid: ${unknown}`);
  const accessType = text('access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') {
    throw new OAuthError(400, 'invalid_request', `Invalid access_type: ${accessType}`);
  }
  const method = text('code_challenge_method') ?? (text('code_challenge') ? 'plain' : undefined);
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    throw new OAuthError(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
  }
  const optional = <K extends string>(key: K, value: string | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, string>);
  return {
    clientId,
    redirectUri,
    scopes,
    offline: accessType === 'offline',
    forceConsent: (text('prompt') ?? '').split(' ').includes('consent'),
    includeGrantedScopes: text('include_granted_scopes') === 'true',
    ...optional('state', text('state')),
    ...optional('loginHint', text('login_hint')),
    ...optional('nonce', text('nonce')),
    ...optional('codeChallenge', text('code_challenge')),
    ...(method ? { codeChallengeMethod: method } : {}),
  };
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}

function liveGrants(state: EmulatorState, clientId: string, email: string): GrantRecord[] {
  return Object.values(state.grants).filter(
    (grant) => grant.clientId === clientId && grant.email === email && !grant.revokedAt,
  );
}

/**
 * The user consented: a code to redirect with (`redirect_uri?code=…&scope=…&state=…`).
 * `granted` lists the non-sign-in scopes the user left ticked (all of them when undefined).
 */
export function approve(
  state: EmulatorState,
  nowMs: number,
  request: AuthorizationRequest,
  user: UserRecord,
  granted?: readonly string[],
): string {
  const previous = liveGrants(state, request.clientId, user.email).filter(
    (grant) => !grant.refreshTokenExpiredAt,
  );
  const consented = request.scopes.filter(
    (scope) => granted === undefined || isSignInScope(scope) || granted.includes(scope),
  );
  const scopes = request.includeGrantedScopes
    ? [...new Set([...previous.flatMap((grant) => grant.scopes), ...consented])]
    : consented;
  // Google hands out a refresh token on the first offline consent; a later consent repeats
  // it only when prompt=consent forced the screen again.
  const hasRefreshToken = previous.some((grant) => grant.refreshToken !== undefined);
  const code = `4/0${randomToken(36)}`;
  state.codes[code] = {
    code,
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    email: user.email,
    scopes,
    issueRefreshToken: request.offline && (request.forceConsent || !hasRefreshToken),
    expiresAt: nowMs + CODE_LIFETIME_MS,
    used: false,
    ...(request.nonce ? { nonce: request.nonce } : {}),
    ...(request.codeChallenge
      ? { codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod ?? 'plain' }
      : {}),
  };
  return redirectWith(request.redirectUri, {
    ...(request.state !== undefined ? { state: request.state } : {}),
    code,
    scope: scopes.join(' '),
    authuser: '0',
    prompt: 'consent',
  });
}

export function denialRedirect(request: AuthorizationRequest): string {
  return redirectWith(request.redirectUri, {
    error: 'access_denied',
    ...(request.state !== undefined ? { state: request.state } : {}),
  });
}

function redirectWith(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function exchangeCode(
  context: TokenContext,
  input: { code?: string; clientId: string; redirectUri?: string; codeVerifier?: string },
): TokenResponse {
  const { state, nowMs } = context;
  if (!input.code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
  const record = state.codes[input.code];
  if (!record) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
  if (record.used) throw new OAuthError(400, 'invalid_grant', 'Bad Request: the code was already redeemed.');
  if (record.expiresAt <= nowMs)
    throw new OAuthError(400, 'invalid_grant', 'Bad Request: the code has expired.');
  if (record.clientId !== input.clientId) {
    throw new OAuthError(400, 'invalid_grant', 'Bad Request: the code was issued to another client.');
  }
  if (record.redirectUri !== input.redirectUri) {
    throw new OAuthError(
      400,
      'invalid_grant',
      'Bad Request: redirect_uri does not match the authorization request.',
    );
  }
  if (record.codeChallenge !== undefined) {
    if (!input.codeVerifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
    const expected =
      record.codeChallengeMethod === 'S256'
        ? crypto.createHash('sha256').update(input.codeVerifier).digest('base64url')
        : input.codeVerifier;
    if (expected !== record.codeChallenge)
      throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
  }
  record.used = true;
  pruneExpired(state, nowMs);
  const user = state.users[record.email];
  if (!user) throw new OAuthError(400, 'invalid_grant', 'Bad Request: the account no longer exists.');
  const grant: GrantRecord = {
    id: randomToken(12),
    clientId: record.clientId,
    email: record.email,
    scopes: record.scopes,
    createdAt: new Date(nowMs).toISOString(),
    ...(record.issueRefreshToken ? { refreshToken: `1//0${randomToken(48)}` } : {}),
  };
  state.grants[grant.id] = grant;
  if (grant.refreshToken) state.refreshTokens[grant.refreshToken] = grant.id;
  return mintTokens(context, grant, user, { includeRefreshToken: true, nonce: record.nonce });
}

export function refreshAccessToken(
  context: TokenContext,
  input: { refreshToken?: string; clientId: string },
): TokenResponse {
  const { state } = context;
  if (!input.refreshToken)
    throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grantId = state.refreshTokens[input.refreshToken];
  const grant = grantId ? state.grants[grantId] : undefined;
  if (!grant || grant.revokedAt)
    throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  if (grant.clientId !== input.clientId) throw new OAuthError(401, 'unauthorized_client', 'Unauthorized');
  expireAgedRefreshToken(grant, context);
  if (grant.refreshTokenExpiredAt)
    throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  const user = state.users[grant.email];
  if (!user) throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  pruneExpired(state, context.nowMs);
  return mintTokens(context, grant, user, { includeRefreshToken: false, nonce: undefined });
}

function mintTokens(
  context: TokenContext,
  grant: GrantRecord,
  user: UserRecord,
  options: { includeRefreshToken: boolean; nonce: string | undefined },
): TokenResponse {
  const accessToken = `ya29.${randomToken(48)}`;
  context.state.accessTokens[accessToken] = {
    grantId: grant.id,
    expiresAt: context.nowMs + context.accessTokenTtlSeconds * 1000,
  };
  const response: TokenResponse = {
    access_token: accessToken,
    expires_in: context.accessTokenTtlSeconds,
    token_type: 'Bearer',
    scope: grant.scopes.join(' '),
  };
  if (options.includeRefreshToken && grant.refreshToken) response.refresh_token = grant.refreshToken;
  if (grant.scopes.includes('openid')) {
    response.id_token = context.signer.sign(idTokenClaims(grant, user, accessToken, options.nonce));
  }
  return response;
}

function idTokenClaims(grant: GrantRecord, user: UserRecord, accessToken: string, nonce: string | undefined) {
  // The verifier (google-auth-library) checks iat/exp against the machine's real clock, so
  // the id_token uses it too, even while the emulator's clock has been moved for tests.
  const iat = Math.floor(Date.now() / 1000);
  const withEmail = grant.scopes.includes(SCOPE_ALIASES.email!);
  const withProfile = grant.scopes.includes(SCOPE_ALIASES.profile!);
  const [givenName, ...rest] = user.name.split(' ');
  return {
    iss: 'https://accounts.google.com',
    azp: grant.clientId,
    aud: grant.clientId,
    sub: user.sub,
    ...(withEmail ? { email: user.email, email_verified: true } : {}),
    at_hash: accessTokenHash(accessToken),
    ...(withProfile
      ? { name: user.name, given_name: givenName, family_name: rest.join(' ') || undefined }
      : {}),
    ...(nonce ? { nonce } : {}),
    iat,
    exp: iat + 3600,
  };
}

export interface AuthenticatedToken {
  grant: GrantRecord;
  user: UserRecord;
  expiresAt: number;
}

/** The live grant behind an access token, or undefined when unknown, expired or revoked. */
export function authenticate(
  state: EmulatorState,
  nowMs: number,
  accessToken: string,
): AuthenticatedToken | undefined {
  const record = state.accessTokens[accessToken];
  if (!record || record.expiresAt <= nowMs) return undefined;
  const grant = state.grants[record.grantId];
  if (!grant || grant.revokedAt) return undefined;
  const user = state.users[grant.email];
  return user ? { grant, user, expiresAt: record.expiresAt } : undefined;
}

/** A refresh token past the configured age expires for good (a new consent gets a new one). */
function expireAgedRefreshToken(grant: GrantRecord, context: TokenContext): void {
  const maxAgeSeconds = context.refreshTokenMaxAgeSeconds;
  if (grant.refreshTokenExpiredAt || maxAgeSeconds === undefined) return;
  const expiresAtMs = Date.parse(grant.createdAt) + maxAgeSeconds * 1000;
  if (expiresAtMs <= context.nowMs) grant.refreshTokenExpiredAt = new Date(expiresAtMs).toISOString();
}

/**
 * The admin API's "the refresh tokens expired now" (the 7-day limit of an app in Testing,
 * 6 months unused): refreshing answers `invalid_grant`; access tokens work until they expire.
 */
export function expireRefreshTokens(state: EmulatorState, nowMs: number, email: string): number {
  const grants = Object.values(state.grants).filter(
    (grant) =>
      grant.email === normalizeEmail(email) &&
      grant.refreshToken !== undefined &&
      !grant.revokedAt &&
      !grant.refreshTokenExpiredAt,
  );
  for (const grant of grants) grant.refreshTokenExpiredAt = new Date(nowMs).toISOString();
  return grants.length;
}

/** `POST /revoke`: either token kills the whole grant, as at Google. False when unknown. */
export function revokeToken(state: EmulatorState, nowMs: number, token: string): boolean {
  const grantId = state.refreshTokens[token] ?? state.accessTokens[token]?.grantId;
  const grant = grantId ? state.grants[grantId] : undefined;
  if (!grant || grant.revokedAt) return false;
  if (!state.refreshTokens[token] && (state.accessTokens[token]?.expiresAt ?? 0) <= nowMs) return false;
  revokeGrant(state, grant, nowMs);
  return true;
}

/** The user removed the app's access in their Google account: every grant of theirs dies. */
export function revokeUser(state: EmulatorState, nowMs: number, email: string): number {
  const grants = Object.values(state.grants).filter(
    (grant) => grant.email === normalizeEmail(email) && !grant.revokedAt,
  );
  for (const grant of grants) revokeGrant(state, grant, nowMs);
  return grants.length;
}

function revokeGrant(state: EmulatorState, grant: GrantRecord, nowMs: number): void {
  grant.revokedAt = new Date(nowMs).toISOString();
  if (grant.refreshToken) delete state.refreshTokens[grant.refreshToken];
  for (const [token, record] of Object.entries(state.accessTokens)) {
    if (record.grantId === grant.id) delete state.accessTokens[token];
  }
}

/** Keeps the state small: spent codes and long-expired access tokens are forgotten. */
function pruneExpired(state: EmulatorState, nowMs: number): void {
  for (const [code, record] of Object.entries(state.codes)) {
    if (record.expiresAt + CODE_LIFETIME_MS < nowMs) delete state.codes[code];
  }
  for (const [token, record] of Object.entries(state.accessTokens)) {
    if (record.expiresAt + 24 * 3600 * 1000 < nowMs) delete state.accessTokens[token];
  }
}
