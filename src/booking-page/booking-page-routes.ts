import type { Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import type { Logger } from '../logger';
import { resolveBookingLink } from '../bookings/booking-link';
import { hostsNamedToParticipant } from '../bookings/booking-organizer';
import { databaseUnavailableReason } from '../db/unavailable';
import { DATABASE_RETRY_AFTER_SECONDS, Gone, NotFound } from '../http/problem';
import { LinkReplaced, type BookingLink } from '../bookings/booking-link';
import { renderBookingPage, type IntroState } from './booking-page-html';
import { problemPage, renderProblemPage, type LinkProblem } from './problem-pages';
import { CATALOGUES, pickLanguage, type Language } from './strings';
import path from 'node:path';
import { loadAsset, registerAsset, versionedUrl } from '../web/static-assets';

export interface BookingPageDeps {
  knex: Knex;
  /** With a logger, an unexpected failure is logged and answered with a friendly page. */
  logger?: Logger;
  now?: () => Date;
}

const ASSET_DIR = path.join(__dirname, 'assets');

// Any string: a malformed token gets the friendly 404 page, not a JSON validation error.
const TokenParams = z.object({ token: z.string() });

/**
 * The participant's booking page and its two static files. The page itself only checks that
 * the link is usable and renders the frame; everything else goes through the JSON API
 * (`/api/booking/:token`). The token is never logged: the request log names the route
 * pattern, not the URL.
 */
export function registerBookingPageRoutes(table: RouteTable, deps: BookingPageDeps): void {
  const javascript = 'text/javascript; charset=utf-8';
  const script = loadAsset(ASSET_DIR, 'booking-page.js', '/assets/booking-page.js', javascript);
  // The modules the script imports (relative to it, so without a version: they revalidate).
  const modules = ['booking-api.js', 'booking-dom.js', 'booking-strings.js', 'booking-time.js'].map((file) =>
    loadAsset(ASSET_DIR, file, `/assets/${file}`, javascript),
  );
  const stylesheet = loadAsset(
    ASSET_DIR,
    'booking-page.css',
    '/assets/booking-page.css',
    'text/css; charset=utf-8',
  );
  const assets = {
    stylesheet: versionedUrl(stylesheet),
    script: versionedUrl(script),
    modules: modules.map((module) => module.path),
  };
  const now = deps.now ?? (() => new Date());

  const sendPage = (res: Response, status: number, body: string) => {
    // The page is personal (a name, a study); no shared cache may keep it.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.status(status).type('html').send(body);
  };
  const sendProblemPage = (res: Response, problem: LinkProblem, language: Language) => {
    const page = problemPage(problem, language);
    sendPage(res, page.status, renderProblemPage(page, assets));
  };

  table.add({
    method: 'get',
    path: '/book/:token',
    summary: 'The booking page a participant opens from the invitation email',
    tags: ['booking'],
    params: TokenParams,
    responses: {
      200: {
        description:
          "The booking page, in the browser's language (Accept-Language: English, German, French or Spanish; else English). `?step=reschedule` opens it at picking a new time for the current booking, `?step=cancel` at the cancel confirmation",
        contentType: 'text/html',
      },
      404: { description: 'Unknown booking link (friendly page)', contentType: 'text/html' },
      410: {
        description: 'Expired link, closed study, or a link a re-invite replaced (friendly page)',
        contentType: 'text/html',
      },
      503: {
        description: 'The database is unavailable; see Retry-After (friendly page)',
        contentType: 'text/html',
      },
    },
    handler: async ({ params, req, res }) => {
      const language = pickLanguage(req.headers['accept-language']);
      // The page's words depend on the browser's language: caches must know.
      res.setHeader('Vary', 'Accept-Language');
      try {
        // The same lookup and rules as the booking API, so page and API cannot disagree.
        let link: BookingLink;
        try {
          link = await resolveBookingLink(deps.knex, params.token, now());
        } catch (error) {
          const problem = linkProblemOf(error);
          if (problem) return sendProblemPage(res, problem, language);
          throw error;
        }
        const { participant, study } = link;
        const hosts = await hostsNamedToParticipant(deps.knex, link);
        const view = {
          studyTitle: study.title,
          durationMinutes: study.durationMinutes,
          researcherName: hosts.name,
          hostNames: hosts.hostNames,
          participantName: participant.name,
          apiPath: `/api/booking/${encodeURIComponent(params.token)}`,
          intro: introState(link),
          language,
          strings: CATALOGUES[language],
        };
        sendPage(res, 200, renderBookingPage(view, assets));
      } catch (error) {
        const databaseAway = databaseUnavailableReason(error);
        if (databaseAway) {
          deps.logger?.warn(
            { err: error, requestId: res.locals.requestId, reason: databaseAway },
            'database unavailable',
          );
          res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
          return sendProblemPage(res, { kind: 'unavailable' }, language);
        }
        if (!deps.logger) throw error;
        deps.logger.error({ err: error, requestId: res.locals.requestId }, 'booking page failed');
        sendProblemPage(res, { kind: 'failure' }, language);
      }
    },
  });

  registerAsset(table, script, 'The booking page script', 'booking');
  for (const module of modules)
    registerAsset(table, module, 'A module of the booking page script', 'booking');
  registerAsset(table, stylesheet, 'The booking page stylesheet', 'booking');
}

/** The friendly page for a link the booking rules refuse, if that is what `error` is. */
function linkProblemOf(error: unknown): LinkProblem | undefined {
  if (error instanceof NotFound) return { kind: 'unknown' };
  if (error instanceof LinkReplaced) {
    return { kind: 'replaced', newLinkSentAt: error.newLinkSentAt, timeZone: error.timeZone };
  }
  if (error instanceof Gone) {
    return { kind: error.problemType.endsWith('study-closed') ? 'closed' : 'expired' };
  }
  return undefined;
}

/** What the intro says before the script runs, so a booked participant never reads "Pick a time". */
function introState(link: BookingLink): IntroState {
  const status = link.participant.status;
  if (status === 'no_show' || status === 'completed') return 'locked';
  const booking = link.liveBooking;
  if (booking) return booking.state === 'confirmed' ? 'booked' : 'pending';
  return status === 'canceled' ? 'cancelled' : 'pick';
}
