import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { findConnection } from '../connections/connection-repository';
import { GoogleApiError, missingPermissions as missingPermissionsOf, type GoogleOAuth } from '../google';
import { Invalid, Unavailable } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { randomToken } from '../security/secrets';
import { signState, verifyState } from '../security/signed-state';
import { SESSION_COOKIE } from './authenticate';
import {
  connectGoogle,
  MissingPermissions,
  type ConnectDeps,
  type ConnectedResearcher,
} from './connect-google';
import { clearCookie, readSignedCookie, setSignedCookie, type CookieSettings } from './cookies';
import { createSession, deleteSession, researcherIdForSession, SESSION_TTL_DAYS } from './session-repository';
import {
  clientRejected,
  expiredSignIn,
  googleRefused,
  missingCode,
  missingPermissions,
  usedCode,
  type SignInFailure,
} from './sign-in-failures';
import { prefersHtml, sendErrorPage } from '../web/error-page';
import { setFlash } from '../web/flash';
import { JoinRefused } from '../teams/join-team';
import { joinedMessage, joinRefusedPage, joinRefusedProblem, TEAM_PAGE_PATH } from '../teams/join-pages';

export interface AuthRouteDeps {
  knex: Knex;
  oauth: GoogleOAuth;
  connect: ConnectDeps;
  cookies: CookieSettings;
}

const NONCE_COOKIE = 'oauth_nonce';
const STATE_TTL_MS = 10 * 60_000;

/** Only a path on this site: an open redirect through the sign-in flow would be a phishing aid. */
const ReturnToSchema = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, 'must be a path on this site, starting with a single /');

const StartQuery = z.object({
  login_hint: z.email('must be an email address').max(320).optional(),
  returnTo: ReturnToSchema.optional(),
});

// Everything optional: a callback without a state is an expired sign-in, said as such.
const CallbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(2048).optional(),
  error: z.string().max(200).optional(),
  scope: z.string().max(2048).optional(),
});

/** What starting a sign-in needs; the join page starts one too. */
export type SignInStartDeps = Pick<AuthRouteDeps, 'knex' | 'oauth' | 'cookies'>;

/**
 * Sends the browser to Google's consent screen with a signed, expiring state. An invitation
 * id rides in the state (signed: only a route that checked the invitation's link puts one
 * there), so the callback puts the researcher in that team.
 */
export async function redirectToGoogle(
  deps: SignInStartDeps,
  req: Request,
  res: Response,
  start: { loginHint?: string; returnTo?: string; invitationId?: string },
): Promise<void> {
  // The nonce ties the state to this browser: a state (or code) captured elsewhere cannot
  // be used to sign a victim into the attacker's account (login CSRF).
  const nonce = randomToken(16);
  const state = signState(
    deps.cookies.secret,
    {
      nonce,
      ...(start.returnTo ? { returnTo: start.returnTo } : {}),
      ...(start.invitationId ? { invitation: start.invitationId } : {}),
    },
    new Date(Date.now() + STATE_TTL_MS),
  );
  setSignedCookie(res, NONCE_COOKIE, nonce, deps.cookies, STATE_TTL_MS);
  res.redirect(
    302,
    deps.oauth.authorizationUrl({
      state,
      ...(start.loginHint ? { loginHint: start.loginHint } : {}),
      forceConsent: await needsConsentScreen(deps.knex, readSignedCookie(req, SESSION_COOKIE, deps.cookies)),
    }),
  );
}

export function registerAuthRoutes(table: RouteTable, deps: AuthRouteDeps): void {
  table.add({
    method: 'get',
    path: '/auth/google',
    summary: "Start connecting the researcher's Google account (redirects to Google's consent screen)",
    tags: ['researcher'],
    query: StartQuery,
    responses: {
      302: { description: 'Redirect to Google' },
      400: {
        description: 'Invalid start (e.g. returnTo): an HTML page for browsers, problem+json otherwise',
        contentType: 'text/html',
      },
    },
    handler: async ({ query, req, res }) => {
      await redirectToGoogle(deps, req, res, {
        ...(query.login_hint ? { loginHint: query.login_hint } : {}),
        ...(query.returnTo ? { returnTo: query.returnTo } : {}),
      });
    },
  });

  table.add({
    method: 'get',
    path: '/auth/google/callback',
    summary: 'Where Google sends the researcher back: exchanges the code, signs the researcher in',
    tags: ['researcher'],
    query: CallbackQuery,
    responses: {
      303: { description: 'Signed in; redirect to the page the flow started from' },
      400: {
        description:
          'Invalid, expired or denied sign-in (Cancel on the consent screen, a calendar permission unticked): an HTML page with "Try again" for browsers, problem+json for API clients',
        contentType: 'text/html',
      },
      503: {
        description:
          "Google refuses the service's own OAuth client (a wrong or rotated secret): an HTML page for browsers, problem+json for API clients",
        contentType: 'text/html',
      },
    },
    handler: async ({ query, req, res }) => {
      const state = query.state ? verifyState(deps.cookies.secret, query.state, new Date()) : undefined;
      const nonce = readSignedCookie(req, NONCE_COOKIE, deps.cookies);
      if (!state || !nonce || state.nonce !== nonce) return refuseSignIn(req, res, expiredSignIn());
      clearCookie(res, NONCE_COOKIE, deps.cookies);
      if (query.error) return refuseSignIn(req, res, googleRefused(query.error, state.returnTo));
      if (!query.code) return refuseSignIn(req, res, missingCode(state.returnTo));
      let researcher: ConnectedResearcher;
      try {
        researcher = await connectGoogle(deps.connect, query.code, { invitationId: state.invitation });
      } catch (error) {
        if (error instanceof JoinRefused) {
          if (!prefersHtml(req)) throw joinRefusedProblem(error.refusal);
          return sendErrorPage(res, joinRefusedPage(error.refusal));
        }
        if (error instanceof GoogleApiError && error.failure.kind === 'revoked') {
          return refuseSignIn(req, res, usedCode(state.returnTo));
        }
        if (error instanceof MissingPermissions) {
          return refuseSignIn(req, res, missingPermissions(error.permissions, state.returnTo));
        }
        if (error instanceof GoogleApiError && error.failure.kind === 'clientRejected') {
          // Our misconfiguration (reported to /readyz by the OAuth layer), not the researcher's.
          const failure = clientRejected(state.returnTo);
          if (!prefersHtml(req)) throw new Unavailable(failure.detail, 'google-client-rejected');
          return sendErrorPage(res, failure.page);
        }
        throw error;
      }
      const sessionId = await createSession(deps.knex, researcher.id);
      setSignedCookie(res, SESSION_COOKIE, sessionId, deps.cookies, SESSION_TTL_DAYS * 86_400_000);
      if (researcher.joined) {
        setFlash(res, deps.cookies, { message: joinedMessage(researcher.joined) });
        return res.redirect(303, TEAM_PAGE_PATH);
      }
      res.redirect(303, state.returnTo ?? '/');
    },
  });

  table.add({
    method: 'post',
    path: '/auth/logout',
    summary: 'End the session',
    tags: ['researcher'],
    responses: {
      204: { description: 'Signed out' },
      303: { description: 'Signed out (HTML form): back home' },
    },
    handler: async ({ req, res }) => {
      const sessionId = readSignedCookie(req, SESSION_COOKIE, deps.cookies);
      if (sessionId) await deleteSession(deps.knex, sessionId);
      clearCookie(res, SESSION_COOKIE, deps.cookies);
      // The home page's form goes back home; API clients get a plain 204.
      if (req.is('application/x-www-form-urlencoded')) res.redirect(303, '/');
      else res.status(204).end();
    },
  });
}

/**
 * `prompt=consent` only when it is needed: nobody signed in here (we cannot know what they
 * granted), no working connection with a refresh token, or a permission missing. A signed-in
 * researcher whose grant is complete goes through Google without the screen again.
 */
async function needsConsentScreen(knex: Knex, sessionId: string | undefined): Promise<boolean> {
  const researcherId = sessionId ? await researcherIdForSession(knex, sessionId) : undefined;
  const connection = researcherId ? await findConnection(knex, researcherId) : undefined;
  return (
    !connection || connection.state !== 'connected' || missingPermissionsOf(connection.scopes).length > 0
  );
}

/** The researcher's browser gets a page with a way on; API clients the problem they always got. */
function refuseSignIn(req: Request, res: Response, failure: SignInFailure): void {
  if (!prefersHtml(req)) throw new Invalid(failure.detail);
  sendErrorPage(res, failure.page);
}
