import type { RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { AppError, Unauthorized } from '../http/problem';
import { researcherIdForApiToken } from './api-token-repository';
import { readSignedCookie, type CookieSettings } from './cookies';
import { researcherIdForSession } from './session-repository';

export const SESSION_COOKIE = 'scheduler_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: a bearer API token, or the session cookie. With the cookie, a write must
 * be JSON — a cross-site HTML form cannot send that, which (with SameSite=Lax) is the API's
 * CSRF defence (DESIGN 3).
 */
export function requireResearcher(knex: Knex, cookies: CookieSettings): RequestHandler {
  return async (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const researcherId = match?.[1] ? await researcherIdForApiToken(knex, match[1]) : undefined;
      if (!researcherId) throw new Unauthorized('The API token is not valid.');
      res.locals.researcherId = researcherId;
      return next();
    }
    const sessionId = readSignedCookie(req, SESSION_COOKIE, cookies);
    const researcherId = sessionId ? await researcherIdForSession(knex, sessionId) : undefined;
    if (!researcherId) throw new Unauthorized();
    if (!SAFE_METHODS.has(req.method) && !req.is('application/json')) {
      throw new AppError(415, 'Unsupported Media Type', 'Send writes as application/json.');
    }
    res.locals.researcherId = researcherId;
    res.locals.sessionId = sessionId;
    next();
  };
}

/** The researcher set by requireResearcher. */
export function currentResearcherId(res: Response): string {
  const id: unknown = res.locals.researcherId;
  if (typeof id !== 'string') throw new Unauthorized();
  return id;
}
