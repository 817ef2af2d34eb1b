import { listHostWarnings } from '../sync/host-response-repository';
import type { Knex } from 'knex';
import { z } from 'zod';
import { PAGE_RESPONSES } from '../console/page-responses';
import type { RouteTable } from '../http/route-table';
import type { Console } from '../web/console-page';
import { sendErrorPage } from '../web/error-page';
import {
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  INTERVIEW_LISTS,
  listInterviews,
  type InterviewList,
} from './interview-list';
import { INTERVIEW_PAGE_TITLES, renderInterviewsBody } from './interviews-page-html';

export interface InterviewsPageDeps {
  knex: Knex;
  web: Console;
  now?: () => Date;
}

const Query = z.object({ cursor: z.string().max(300).optional() });

/**
 * `/interviews/upcoming` and `/interviews/past`: the researcher's interviews across all
 * their studies, on the same listing as GET /api/interviews. The quick actions post to the
 * participant page's own routes (same use cases), which come back here afterwards.
 */
export function registerInterviewsPage(table: RouteTable, deps: InterviewsPageDeps): void {
  const { knex, web } = deps;
  const now = deps.now ?? (() => new Date());

  table.add({
    method: 'get',
    path: '/interviews',
    summary: 'The interviews pages: to Upcoming interviews',
    tags: ['console'],
    middleware: [web.requireSession],
    responses: { ...PAGE_RESPONSES, 302: { description: 'To /interviews/upcoming' } },
    handler: ({ res }) => res.redirect(302, '/interviews/upcoming'),
  });

  for (const when of INTERVIEW_LISTS) register(when);

  function register(when: InterviewList): void {
    table.add({
      method: 'get',
      path: `/interviews/${when}`,
      summary: `${INTERVIEW_PAGE_TITLES[when]} across the researcher's studies, with quick actions (HTML)`,
      tags: ['console'],
      middleware: [web.requireSession],
      query: Query,
      responses: { ...PAGE_RESPONSES, 200: { description: 'The page', contentType: 'text/html' } },
      handler: async ({ query, req, res }) => {
        const session = web.session(res);
        const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
        if (query.cursor && !cursor) {
          return sendErrorPage(res, {
            status: 400,
            heading: 'This page of interviews does not exist',
            message: 'The address names a page this service did not make.',
            links: [{ href: `/interviews/${when}`, label: INTERVIEW_PAGE_TITLES[when] }],
          });
        }
        const page = await listInterviews(knex, session.researcherId, {
          when,
          now: now(),
          cursor,
          limit: DEFAULT_PAGE_SIZE,
        });
        // Upcoming collective interviews whose hosts declined: warned about on each card.
        const hostWarnings =
          when === 'upcoming'
            ? await listHostWarnings(
                knex,
                page.interviews.map((interview) => interview.bookingId),
              )
            : new Map();
        const path = `/interviews/${when}`;
        web.sendPage(req, res, {
          title: INTERVIEW_PAGE_TITLES[when],
          current: 'interviews',
          body: renderInterviewsBody({
            when,
            interviews: page.interviews,
            hostWarnings,
            nextHref: page.nextCursor ? `${path}?cursor=${page.nextCursor}` : null,
            paged: cursor !== undefined,
            researcherZone: session.timeZone,
            csrf: session.csrf,
            returnTo: query.cursor ? `${path}?cursor=${query.cursor}` : path,
          }),
        });
      },
    });
  }
}
