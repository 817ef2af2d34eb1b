import type { Knex } from 'knex';
import { z } from 'zod';
import { createApiToken } from '../auth/api-token-repository';
import { SESSION_COOKIE } from '../auth/authenticate';
import { readSignedCookie, type CookieSettings } from '../auth/cookies';
import { researcherIdForSession } from '../auth/session-repository';
import { html, type SafeHtml } from '../web/html';
import { renderDocument } from '../web/page-document';
import { findConnection } from '../connections/connection-repository';
import { Forbidden } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { STATUS_LABELS, PARTICIPANT_STATUSES } from '../participants/status-rules';
import { csrfMatches, csrfToken } from '../web/csrf';
import { countParticipantsByStatus, listStudies } from '../studies/study-repository';
import { findResearcher } from './researcher-repository';

export interface HomePageDeps {
  knex: Knex;
  cookies: CookieSettings;
}

const assets = { stylesheet: '/assets/booking-page.css' };

/**
 * The researcher's landing page after "Connect with Google": who is signed in, the state of
 * the calendar connection, the studies with their participants by status, and a way to get
 * an API token for the JSON API (which is where studies and participants are managed).
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
      res
        .type('html')
        .send(renderDocument('Interview scheduler', assets, await signedIn(deps, researcherId, sessionId)));
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

async function signedIn(deps: HomePageDeps, researcherId: string, sessionId: string): Promise<SafeHtml> {
  const [researcher, connection, studies] = await Promise.all([
    findResearcher(deps.knex, researcherId),
    findConnection(deps.knex, researcherId),
    listStudies(deps.knex, researcherId),
  ]);
  const counts = await countParticipantsByStatus(
    deps.knex,
    researcherId,
    studies.map((study) => study.id),
  );
  const connected = connection?.state === 'connected';
  return html`<main class="page">
    <h1>Interview scheduler</h1>
    <p>Signed in as <strong>${researcher?.name || researcher?.email}</strong> (${researcher?.email}).</p>
    <p>
      Google Calendar:
      ${
        connected
          ? html`<strong>connected</strong> (${connection?.calendarId})`
          : html`<strong>not connected</strong> — <a href="/auth/google">connect again</a>`
      }
    </p>
    <h2>Studies</h2>
    ${
      studies.length === 0
        ? html`<p>
            No studies yet. Create one with <code>POST /api/studies</code> (see
            <a href="/openapi.json">the API</a>).
          </p>`
        : html`<table>
            <caption>
              Participants by status
            </caption>
            <thead>
              <tr>
                <th scope="col">Study</th>
                <th scope="col">Open</th>
                ${PARTICIPANT_STATUSES.map((status) => html`<th scope="col">${STATUS_LABELS[status]}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${studies.map(
                (study) =>
                  html`<tr>
                    <th scope="row">${study.title}</th>
                    <td>${study.status === 'open' ? 'yes' : 'no'}</td>
                    ${PARTICIPANT_STATUSES.map((status) => html`<td>${counts.get(study.id)?.[status] ?? 0}</td>`)}
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h2>API</h2>
    <form method="post" action="/account/api-token">
      <input type="hidden" name="csrf" value="${csrfToken(deps.cookies, sessionId)}" />
      <button type="submit">Create an API token</button>
    </form>
    <form method="post" action="/auth/logout">
      <button type="submit">Sign out</button>
    </form>
  </main>`;
}
