import type { Request, Response } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/authenticate';
import { redirectToGoogle, type SignInStartDeps } from '../auth/auth-routes';
import { readSignedCookie } from '../auth/cookies';
import { researcherIdForSession } from '../auth/session-repository';
import type { RouteTable } from '../http/route-table';
import { sha256Hex } from '../security/secrets';
import { PAGE_STYLESHEET, renderErrorPage, type ErrorPage } from '../web/error-page';
import { findInvitationByTokenHash } from './invitation-repository';
import { describeInvitation, studiesThatWouldMove, type InvitationView } from './join-team';
import { goneInvitationPage, renderJoinPage, UNKNOWN_INVITATION, type VisitorStanding } from './join-pages';

export type JoinRouteDeps = SignInStartDeps & { now?: () => Date };

// Any string: a malformed link gets the friendly 404 page, not a JSON validation error.
const TokenParams = z.object({ token: z.string().max(200) });

/**
 * The invitation link of a team invitation, public like the booking page: the token in the
 * path is what authorises it (only its SHA-256 is stored). The page shows the invitation;
 * its button starts the sign-in with Google carrying the invitation in the signed state
 * (mail scanners that follow links change nothing: they never come back from Google). Joining itself happens on the
 * callback, once Google has said which account it is.
 */
export function registerJoinRoutes(table: RouteTable, deps: JoinRouteDeps): void {
  const now = deps.now ?? (() => new Date());
  const send = (res: Response, status: number, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.status(status).type('html').send(body);
  };
  const sendError = (res: Response, page: ErrorPage) => send(res, page.status, renderErrorPage(page));
  const invitationOf = async (token: string): Promise<InvitationView | undefined> => {
    const invitation = await findInvitationByTokenHash(deps.knex, sha256Hex(token));
    return invitation ? describeInvitation(deps.knex, invitation, now()) : undefined;
  };
  const visitorOf = async (req: Request, view: InvitationView): Promise<VisitorStanding> => {
    const sessionId = readSignedCookie(req, SESSION_COOKIE, deps.cookies);
    const researcherId = sessionId ? await researcherIdForSession(deps.knex, sessionId) : undefined;
    if (!researcherId) return { kind: 'signedOut' };
    const moving = await studiesThatWouldMove(deps.knex, researcherId, view.team.id);
    return moving.alreadyMember ? { kind: 'alreadyMember' } : { kind: 'moving', ...moving };
  };
  const responses = {
    404: { description: 'Unknown invitation link (friendly page)', contentType: 'text/html' },
    410: {
      description: 'Expired, revoked, replaced or used invitation: a page saying which, and whom to ask',
      contentType: 'text/html',
    },
  };

  table.add({
    method: 'get',
    path: '/join/:token',
    summary: 'A team invitation: who invites you to which team, and "Sign in with Google to join" (HTML)',
    tags: ['teams'],
    params: TokenParams,
    responses: { ...responses, 200: { description: 'The invitation page', contentType: 'text/html' } },
    handler: async ({ params, req, res }) => {
      const view = await invitationOf(params.token);
      if (!view) return sendError(res, UNKNOWN_INVITATION);
      const visitor = await visitorOf(req, view);
      // A member opening a used link again is told they are in; anybody else learns it is used.
      if (view.standing !== 'open' && !(view.standing === 'accepted' && visitor.kind === 'alreadyMember')) {
        return sendError(res, goneInvitationPage(view));
      }
      send(res, 200, renderJoinPage(view, params.token, visitor, PAGE_STYLESHEET));
    },
  });

  table.add({
    method: 'get',
    path: '/join/:token/sign-in',
    summary:
      "The join page's button: starts signing in with Google for this invitation (nothing changes until the callback)",
    tags: ['teams'],
    params: TokenParams,
    responses: { ...responses, 302: { description: "To Google's consent screen" } },
    handler: async ({ params, req, res }) => {
      const view = await invitationOf(params.token);
      if (!view) return sendError(res, UNKNOWN_INVITATION);
      if (view.standing !== 'open' && view.standing !== 'accepted')
        return sendError(res, goneInvitationPage(view));
      await redirectToGoogle(deps, req, res, {
        loginHint: view.invitation.email,
        invitationId: view.invitation.id,
      });
    },
  });
}
