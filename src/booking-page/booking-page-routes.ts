import type { Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import type { Logger } from '../logger';
import { resolveBookingLink } from '../bookings/booking-link';
import { databaseUnavailableReason } from '../db/unavailable';
import { DATABASE_RETRY_AFTER_SECONDS, Gone, NotFound } from '../http/problem';
import { renderBookingPage } from './booking-page-html';
import {
  closedStudyPage,
  expiredLinkPage,
  failurePage,
  renderProblemPage,
  unavailablePage,
  unknownLinkPage,
  type ProblemPage,
} from './problem-pages';
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
  const modules = ['booking-api.js', 'booking-dom.js', 'booking-time.js'].map((file) =>
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
  const sendProblemPage = (res: Response, page: ProblemPage) =>
    sendPage(res, page.status, renderProblemPage(page, assets));

  table.add({
    method: 'get',
    path: '/book/:token',
    summary: 'The booking page a participant opens from the invitation email',
    tags: ['booking'],
    params: TokenParams,
    responses: {
      200: { description: 'The booking page', contentType: 'text/html' },
      404: { description: 'Unknown booking link (friendly page)', contentType: 'text/html' },
      410: { description: 'Expired link or closed study (friendly page)', contentType: 'text/html' },
      503: {
        description: 'The database is unavailable; see Retry-After (friendly page)',
        contentType: 'text/html',
      },
    },
    handler: async ({ params, res }) => {
      try {
        // The same lookup and rules as the booking API, so page and API cannot disagree.
        let link;
        try {
          link = await resolveBookingLink(deps.knex, params.token, now());
        } catch (error) {
          if (error instanceof NotFound) return sendProblemPage(res, unknownLinkPage);
          if (error instanceof Gone) {
            return sendProblemPage(
              res,
              error.problemType.endsWith('study-closed') ? closedStudyPage : expiredLinkPage,
            );
          }
          throw error;
        }
        const { participant, study, researcher } = link;
        const view = {
          studyTitle: study.title,
          durationMinutes: study.durationMinutes,
          researcherName: researcher.name,
          participantName: participant.name,
          apiPath: `/api/booking/${encodeURIComponent(params.token)}`,
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
          return sendProblemPage(res, unavailablePage);
        }
        if (!deps.logger) throw error;
        deps.logger.error({ err: error, requestId: res.locals.requestId }, 'booking page failed');
        sendProblemPage(res, failurePage);
      }
    },
  });

  registerAsset(table, script, 'The booking page script', 'booking');
  for (const module of modules)
    registerAsset(table, module, 'A module of the booking page script', 'booking');
  registerAsset(table, stylesheet, 'The booking page stylesheet', 'booking');
}
