import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { SESSION_COOKIE } from '../auth/authenticate';
import { readSignedCookie, type CookieSettings } from '../auth/cookies';
import { sessionResearcher } from '../auth/session-repository';
import { csrfMatches, csrfToken } from './csrf';
import { sendErrorPage } from './error-page';

/** Who a console page is for, and the CSRF token its forms carry. */
export interface PageSession {
  researcherId: string;
  sessionId: string;
  csrf: string;
  /** The zone the researcher chose to read times in; null: each study's own. */
  timeZone: string | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The console's guard, in front of every console route: the session cookie names the
 * researcher; signed out, the browser goes to the sign-in page (`/`), which brings it back
 * here afterwards. A form post must carry the session's `csrf` field, or nothing happens.
 */
export function requirePageSession(knex: Knex, cookies: CookieSettings): RequestHandler {
  return async (req, res, next) => {
    const sessionId = readSignedCookie(req, SESSION_COOKIE, cookies);
    const researcher = sessionId ? await sessionResearcher(knex, sessionId) : undefined;
    res.setHeader('Cache-Control', 'no-store');
    if (!sessionId || !researcher) {
      // A form posted after the session ended cannot be replayed; the page it came from can.
      res.redirect(303, SAFE_METHODS.has(req.method) ? signInPath(req.originalUrl) : '/');
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(cookies, sessionId, formField(req, 'csrf'))) {
      sendErrorPage(res, {
        status: 403,
        heading: 'This form has expired',
        message: 'Nothing was changed. Go back, reload the page and try again.',
        links: [{ href: '/', label: 'Home' }],
      });
      return;
    }
    const session: PageSession = {
      researcherId: researcher.researcherId,
      timeZone: researcher.timeZone,
      sessionId,
      csrf: csrfToken(cookies, sessionId),
    };
    res.locals.pageSession = session;
    next();
  };
}

/** The session set by requirePageSession. */
export function currentPageSession(res: Response): PageSession {
  const session = res.locals.pageSession as PageSession | undefined;
  if (!session) throw new Error('requirePageSession must run before this route');
  return session;
}

/** `/` with the page to come back to after signing in (the sign-in flow checks it again). */
export function signInPath(returnTo: string): string {
  return returnTo === '/' ? '/' : `/?returnTo=${encodeURIComponent(returnTo)}`;
}

function formField(req: Request, name: string): unknown {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * The console's "not found": also what another team's ids get (studies and all under them
 * belong to the team; API tokens to the account), so nothing leaks.
 */
export function sendNotFoundPage(res: Response, what: string, within: 'team' | 'account' = 'team'): void {
  sendErrorPage(res, {
    status: 404,
    heading: 'This page does not exist',
    message: `No such ${what} in your ${within}.`,
    links: [{ href: '/studies', label: 'Your studies' }],
  });
}
