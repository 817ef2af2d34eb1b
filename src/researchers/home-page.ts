import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { createApiToken } from '../auth/api-token-repository';
import { SESSION_COOKIE } from '../auth/authenticate';
import { readSignedCookie, type CookieSettings } from '../auth/cookies';
import { researcherIdForSession } from '../auth/session-repository';
import { html, type SafeHtml } from '../web/html';
import { renderDocument } from '../web/page-document';
import { findConnection, type GoogleConnection } from '../connections/connection-repository';
import { Forbidden } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { csrfMatches } from '../web/csrf';
import { listStudies } from '../studies/study-repository';
import type { Console } from '../web/console-page';
import { listUpcomingInterviews } from '../bookings/upcoming-interviews';
import type { PushStatus } from '../channels/push-state';
import { findPushStatus } from '../channels/push-state-repository';
import { pushStatusView } from '../console/push-status-view';
import { formatMomentInZone } from '../web/format-time';
import { findResearcher } from './researcher-repository';

export interface HomePageDeps {
  knex: Knex;
  cookies: CookieSettings;
  /** The console's layout for the signed-in page. */
  web: Console;
  /** How often calendars without push are polled (config.pollIntervalMinutes), for the words. */
  pollIntervalMinutes: number;
}

const UPCOMING_DAYS = 7;

const assets = { stylesheet: '/assets/booking-page.css' };

/** Runs a guard in front of a route that also answers signed-out visitors itself. */
function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

/**
 * The researcher's landing page after "Connect with Google", in the console's layout: who is
 * signed in, the state of the calendar connection (and of its push notifications), the
 * interviews of the next days, the studies. API tokens moved to Settings; the old form's
 * post (`/account/api-token`) still answers.
 */
export function registerHomePage(table: RouteTable, deps: HomePageDeps): void {
  table.add({
    method: 'get',
    path: '/',
    summary: "The researcher's home page (HTML)",
    tags: ['researcher'],
    // The console sends signed-out visitors here with the page to come back to: a path on
    // this site, percent-encoded (so plain ASCII); anything else is refused (the sign-in
    // flow checks it again).
    query: z.object({
      returnTo: z
        .string()
        .max(500)
        .regex(/^\/(?![/\\])[\x21-\x7e]*$/, 'must be a path on this site, starting with a single /')
        .optional(),
    }),
    responses: {
      200: { description: 'Home page', contentType: 'text/html' },
      400: { description: 'returnTo is not a path on this site', contentType: 'text/html' },
    },
    handler: async ({ query, req, res }) => {
      const sessionId = readSignedCookie(req, SESSION_COOKIE, deps.cookies);
      const researcherId = sessionId ? await researcherIdForSession(deps.knex, sessionId) : undefined;
      res.setHeader('Cache-Control', 'no-store');
      if (!sessionId || !researcherId) {
        res.type('html').send(renderDocument('Interview scheduler', assets, signedOut(query.returnTo)));
        return;
      }
      // The console's guard sets the session (and its CSRF token) that the layout needs.
      await runMiddleware(deps.web.requireSession, req, res);
      deps.web.sendPage(req, res, {
        title: 'Home',
        current: 'home',
        body: await signedIn(deps, researcherId),
      });
    },
  });

  table.add({
    method: 'post',
    path: '/account/api-token',
    summary: 'Create an API token from the home page (HTML form with CSRF token)',
    tags: ['researcher'],
    body: z.object({ csrf: z.string().max(200) }),
    responses: { 200: { description: 'The token, shown once', contentType: 'text/html' } },
    middleware: [],
    handler: async ({ body, req, res }) => {
      const sessionId = readSignedCookie(req, SESSION_COOKIE, deps.cookies);
      const researcherId = sessionId ? await researcherIdForSession(deps.knex, sessionId) : undefined;
      if (!sessionId || !researcherId || !csrfMatches(deps.cookies, sessionId, body.csrf)) {
        throw new Forbidden('This form has expired. Reload the home page and try again.');
      }
      const created = await createApiToken(deps.knex, researcherId, 'home page');
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(
        renderDocument(
          'Your API token',
          assets,
          html`<main class="page">
            <h1>Your API token</h1>
            <p>Copy it now; it is not shown again. Send it as <code>Authorization: Bearer …</code>.</p>
            <p><code class="token">${created.token}</code></p>
            <p><a href="/">Back</a></p>
          </main>`,
        ),
      );
    },
  });
}

function signedOut(returnTo: string | undefined): SafeHtml {
  const connect = returnTo ? `/auth/google?returnTo=${encodeURIComponent(returnTo)}` : '/auth/google';
  return html`<main class="page">
    <h1>Interview scheduler</h1>
    <p>
      Schedule research interviews on your Google Calendar; participants book from a link and get a Google
      Meet invitation.
    </p>
    <p><a class="button" href="${connect}">Connect with Google</a></p>
  </main>`;
}

async function signedIn(deps: HomePageDeps, researcherId: string): Promise<SafeHtml> {
  const now = new Date();
  const [researcher, connection, push, studies, upcoming] = await Promise.all([
    findResearcher(deps.knex, researcherId),
    findConnection(deps.knex, researcherId),
    findPushStatus(deps.knex, researcherId, now),
    listStudies(deps.knex, researcherId),
    listUpcomingInterviews(deps.knex, researcherId, {
      from: now,
      to: new Date(now.getTime() + UPCOMING_DAYS * 24 * 3600 * 1000),
    }),
  ]);
  return html`<h1>Home</h1>
    <p>Signed in as <strong>${researcher?.name || researcher?.email}</strong> (${researcher?.email}).</p>
    <section class="card">
      <h2>Google Calendar</h2>
      ${connectionState(connection, push, deps.pollIntervalMinutes)}
    </section>
    <section class="card">
      <h2>Upcoming interviews</h2>
      <p class="hint">
        The next ${UPCOMING_DAYS} days, across your studies;
        ${
          researcher?.timeZone
            ? `times in your time zone (${researcher.timeZone}).`
            : html`times in each study's time zone (<a href="/settings#time-zone">choose your own</a>).`
        }
      </p>
      ${
        upcoming.length === 0
          ? html`<p>No interviews booked in the next ${UPCOMING_DAYS} days.</p>`
          : html`<ul class="upcoming">
              ${upcoming.map(
                (interview) =>
                  html`<li>
                    <strong
                      >${formatMomentInZone(interview.start, researcher?.timeZone ?? interview.studyTimeZone)}</strong
                    >
                    ${interview.state === 'pending' ? html`<span class="muted">(being confirmed)</span>` : ''}
                    <span
                      ><a href="/participants/${interview.participantId}">${interview.participantName}</a> ·
                      <a href="/studies/${interview.studyId}">${interview.studyTitle}</a></span
                    >
                    ${interview.meetUrl ? html`<a href="${interview.meetUrl}">Meet link</a>` : ''}
                  </li>`,
              )}
            </ul>`
      }
      <p>
        <a href="/interviews/upcoming">All upcoming interviews</a> ·
        <a href="/interviews/past">Past interviews</a>
      </p>
    </section>
    <section class="card">
      <h2>Your studies</h2>
      ${
        studies.length === 0
          ? html`<p>None yet. The Studies page has <strong>New study</strong> to start one.</p>`
          : html`<ul>
              ${studies.map(
                (study) =>
                  html`<li>
                    <a href="/studies/${study.id}">${study.title}</a>
                    <span class="muted">(${study.status === 'open' ? 'open' : 'closed'})</span>
                  </li>`,
              )}
            </ul>`
      }
      <p>Counts by status are on the Studies page, in the menu above.</p>
    </section>
    <p>
      <a href="/settings">Manage API tokens</a> (for scripts using the JSON API) and the Google connection in
      Settings.
    </p>`;
}

/** Connected, revoked (with a way back), or connected but without push notifications, and why. */
function connectionState(
  connection: GoogleConnection | undefined,
  push: PushStatus,
  pollIntervalMinutes: number,
): SafeHtml {
  if (connection?.state === 'needs_consent') {
    return html`<p>
        <strong>Permission missing</strong>: Google Calendar no longer lets the scheduler see or change your
        events. Participants cannot book, and calendar changes do not reach your studies.
      </p>
      <p><a class="button" href="/auth/google">Reconnect Google Calendar</a></p>`;
  }
  if (!connection || connection.state === 'revoked') {
    return html`<p>
        <strong>${connection ? 'Disconnected' : 'Not connected'}</strong>${
          connection?.revokedReason ? html` (${connection.revokedReason})` : ''
        }:
        participants cannot book, and calendar changes do not reach your studies.
      </p>
      <p><a class="button" href="/auth/google">Reconnect Google Calendar</a></p>`;
  }
  return html`<p>
      Google Calendar is <strong>connected</strong> as ${connection.googleEmail} (calendar
      ${connection.calendarId}).
    </p>
    ${pushStatusView(push, pollIntervalMinutes)}`;
}
