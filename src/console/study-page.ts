import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { Conflict, NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { addParticipants, type AddParticipantsDeps } from '../participants/add-participants';
import {
  listParticipants,
  studyParticipantsVersion,
  type ParticipantListItem,
} from '../participants/participant-repository';
import { MAX_PARTICIPANTS_PER_PASTE } from '../participants/participant-routes';
import { PARTICIPANT_STATUSES, ParticipantStatusSchema, STATUS_LABELS } from '../participants/status-rules';
import { findStudy, type Study } from '../studies/study-repository';
import { findResearcher } from '../researchers/researcher-repository';
import { listStudyHosts } from '../studies/study-host-repository';
import { hostsPanel } from './hosts-panel';
import type { Console } from '../web/console-page';
import { FORM_RESPONSES, PAGE_RESPONSES } from './page-responses';
import { errorSummary } from '../web/error-summary';
import { html, type SafeHtml } from '../web/html';
import { sendNotFoundPage } from '../web/page-session';
import { formatMomentInZone } from '../web/format-time';
import { formatMinutes } from './console-format';
import { parseParticipantPaste, type PasteError } from './participant-paste';
import { selectParticipants, type TableView } from './participant-table';
import { explainPanel, ExplainFields, readExplainInput, type ExplainInput } from './slot-explain-panel';
import type { GoogleAccess } from '../connections/google-access';
import { explainAvailability, type AvailabilityAnswer } from '../studies/explain-availability';

export interface StudyPageDeps {
  knex: Knex;
  web: Console;
  add: AddParticipantsDeps;
  /** For "Why is this time not offered?", which reads event titles from Google. */
  access: GoogleAccess;
}

/** Ids that are not ids are "not found", as another researcher's are. */
const Params = z.object({ id: z.string().max(100) });
const isId = (id: string) => z.uuid().safeParse(id).success;

// A filter that does not parse is no filter: the page still shows, with every row.
const ViewQuery = z.object({
  status: ParticipantStatusSchema.optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  sort: z.enum(['added', 'interview']).default('added').catch('added'),
  ...ExplainFields,
});

const AddForm = z.object({ csrf: z.string(), participants: z.string().max(200_000).default('') });

/** What the page shows after a post: the people just added, or why nothing was. */
type AddOutcome =
  | { kind: 'added'; added: { id: string; name: string; email: string; bookingUrl: string }[] }
  | { kind: 'refused'; typed: string; errors: PasteError[] };

/**
 * `/studies/:id`: the participants table (filter, search and sort as a plain GET form) and
 * the Add participants form, which posts the pasted lines to the same use case as
 * POST /api/studies/:id/participants, all or nothing.
 */
export function registerStudyPage(table: RouteTable, deps: StudyPageDeps): void {
  const { web } = deps;

  table.add({
    method: 'get',
    path: '/studies/:id',
    summary:
      'A study: its participants, filter and search, the form to add participants, and "Why is this time not offered?" (whyDate, whyTime) (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    query: ViewQuery,
    responses: {
      ...PAGE_RESPONSES,
      200: { description: 'Study page', contentType: 'text/html' },
      400: { description: 'The date or time to explain is not valid', contentType: 'text/html' },
      404: { description: 'No such study in this team', contentType: 'text/html' },
    },
    handler: async ({ params, query, req, res }) => {
      await showStudy(req, res, params.id, query, undefined, 200, query);
    },
  });

  table.add({
    method: 'get',
    path: '/studies/:id/live',
    summary: "The study page's participants table, when it changed since `since` (JSON)",
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    query: ViewQuery.extend({ since: z.string().max(100).optional() }),
    responses: {
      200: {
        description: 'The table as the page shows it now',
        schema: z.object({
          version: z.string(),
          parts: z.record(z.string(), z.string()),
          announcement: z.string(),
        }),
      },
      204: { description: 'Nothing changed' },
      404: { description: 'No such study in this team' },
    },
    handler: async ({ params, query, res }) => {
      const { researcherId } = web.session(res);
      // One query per poll: the fingerprint, which also tells whether the study is theirs.
      const version = isId(params.id)
        ? await studyParticipantsVersion(deps.knex, researcherId, params.id)
        : undefined;
      if (version === undefined) throw new NotFound('No such study.');
      if (version === query.since) return void res.status(204).end();
      const study = await findStudy(deps.knex, researcherId, params.id);
      if (!study) throw new NotFound('No such study.');
      const everyone = await listParticipants(deps.knex, researcherId, study.id, { limit: 5000, offset: 0 });
      res.json({
        version,
        parts: { participants: participantRows(study, everyone, query, web.session(res).timeZone).safeHtml },
        announcement: 'The participants table was updated.',
      });
    },
  });

  table.add({
    method: 'post',
    path: '/studies/:id/participants',
    summary: 'Add the pasted participants (HTML form with CSRF token; all or nothing)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    body: AddForm,
    responses: {
      ...FORM_RESPONSES,
      200: { description: 'Added: the study page with each new booking link', contentType: 'text/html' },
      400: { description: 'Lines that are not participants; nothing added', contentType: 'text/html' },
      404: { description: 'No such study in this team', contentType: 'text/html' },
      409: { description: 'Already in the study; nothing added', contentType: 'text/html' },
    },
    handler: async ({ params, body, req, res }) => {
      const { researcherId } = web.session(res);
      const view: TableView = { sort: 'added' };
      if (!isId(params.id) || !(await findStudy(deps.knex, researcherId, params.id))) {
        sendNotFoundPage(res, 'study');
        return;
      }
      const typed = body.participants;
      const parsed = parseParticipantPaste(typed, { maxParticipants: MAX_PARTICIPANTS_PER_PASTE });
      if (parsed.kind === 'errors') {
        await showStudy(req, res, params.id, view, { kind: 'refused', typed, errors: parsed.errors }, 400);
        return;
      }
      try {
        const added = await addParticipants(deps.add, researcherId, params.id, parsed.participants);
        await showStudy(req, res, params.id, view, { kind: 'added', added });
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
        const errors = [{ line: null, message: error.message }];
        await showStudy(req, res, params.id, view, { kind: 'refused', typed, errors }, 409);
      }
    },
  });

  async function showStudy(
    req: Request,
    res: Response,
    id: string,
    view: TableView,
    outcome: AddOutcome | undefined,
    status = 200,
    why: { whyDate?: string | undefined; whyTime?: string | undefined } = {},
  ): Promise<void> {
    const { researcherId } = web.session(res);
    const study = isId(id) ? await findStudy(deps.knex, researcherId, id) : undefined;
    if (!study) {
      sendNotFoundPage(res, 'study');
      return;
    }
    const whyInput: ExplainInput = readExplainInput(study, why);
    const whyAnswer: AvailabilityAnswer | undefined =
      whyInput.kind === 'start'
        ? await explainAvailability(deps, researcherId, study.id, whyInput.start)
        : undefined;
    if (whyInput.kind === 'invalid') status = 400;
    const [everyone, version, creator, hosts] = await Promise.all([
      listParticipants(deps.knex, researcherId, study.id, { limit: 5000, offset: 0 }),
      studyParticipantsVersion(deps.knex, researcherId, study.id),
      findResearcher(deps.knex, study.researcherId),
      listStudyHosts(deps.knex, study.id),
    ]);
    const refused = outcome?.kind === 'refused' ? outcome : undefined;
    web.sendPage(
      req,
      res,
      {
        title: refused || whyInput.kind === 'invalid' ? `Error: ${study.title}` : study.title,
        current: 'studies',
        body: html`${
            refused
              ? errorSummary(
                  'There is a problem; nobody was added',
                  refused.errors.map((error) => ({ fieldId: 'participants', message: error.message })),
                )
              : ''
          }
          ${
            whyInput.kind === 'invalid'
              ? errorSummary('There is a problem with the time to explain', whyInput.errors)
              : ''
          }
          <p><a href="/studies">Back to studies</a></p>
          <div class="page-title"><h1>${study.title}</h1></div>
          <p class="study-meta">
            <span class="state state--${study.status}">${study.status === 'open' ? 'Open' : 'Closed'}</span>
            <span>Interviews last ${formatMinutes(study.durationMinutes)}</span>
            <span>${zoneNote(study, web.session(res).timeZone)}</span>
            <span>Created by ${creator?.name || creator?.email || 'a former member'}</span>
            <a href="/studies/${study.id}/edit">Edit study</a>
          </p>
          ${outcome?.kind === 'added' ? addedPanel(outcome.added) : ''} ${hostsPanel(study, hosts)}
          <section data-live-url="${liveUrl(study, view)}" data-live-version="${version ?? ''}">
            <h2 id="participants-heading">Participants</h2>
            ${everyone.length === 0 ? '' : filterForm(study, view)}
            <div data-live="participants">
              ${participantRows(study, everyone, view, web.session(res).timeZone)}
            </div>
          </section>
          ${addForm(study, web.session(res).csrf, refused)} ${explainPanel(study, whyInput, whyAnswer)}`,
      },
      status,
    );
  }
}

function addedPanel(added: { id: string; name: string; bookingUrl: string }[]): SafeHtml {
  return html`<section class="card added-panel">
    <h2 id="added-heading">Added ${added.length === 1 ? '1 participant' : `${added.length} participants`}</h2>
    <p>
      Each gets an invitation email with their booking link. The links are shown only now: copy one to send it
      yourself.
    </p>
    <ul class="booking-links">
      ${added.map(
        (person) =>
          html`<li>
            <a href="/participants/${person.id}">${person.name}</a>
            <div class="link-box">
              <code>${person.bookingUrl}</code>
              <button type="button" class="secondary" data-copy-text="${person.bookingUrl}" hidden>
                Copy<span class="visually-hidden"> booking link for ${person.name}</span>
              </button>
            </div>
          </li>`,
      )}
    </ul>
  </section>`;
}

/** The live endpoint with the page's own filter, so an update keeps what the researcher chose. */
function liveUrl(study: Study, view: TableView): string {
  const query = new URLSearchParams({ sort: view.sort });
  if (view.status) query.set('status', view.status);
  if (view.q) query.set('q', view.q);
  return `/studies/${study.id}/live?${query.toString()}`;
}

function filterForm(study: Study, view: TableView): SafeHtml {
  return html`<form class="table-filter" method="get" action="/studies/${study.id}" role="search">
    <div>
      <label for="filter-status">Filter by status</label>
      <select id="filter-status" name="status">
        <option value="">All statuses</option>
        ${PARTICIPANT_STATUSES.map(
          (status) =>
            html`<option value="${status}" ${view.status === status ? html`selected` : ''}>
              ${STATUS_LABELS[status]}
            </option>`,
        )}
      </select>
    </div>
    <div>
      <label for="filter-q">Search by name or email</label>
      <input id="filter-q" type="text" name="q" value="${view.q ?? ''}" />
    </div>
    <div>
      <label for="filter-sort">Sort by</label>
      <select id="filter-sort" name="sort">
        <option value="added" ${view.sort === 'added' ? html`selected` : ''}>Date added</option>
        <option value="interview" ${view.sort === 'interview' ? html`selected` : ''}>Interview time</option>
      </select>
    </div>
    <button type="submit">Show</button>
  </form>`;
}

/** The count and the table: the part live updates replace (never the filter being typed in). */
/** Which zone the table's times are in: the researcher's own, or the study's until they choose one. */
function zoneNote(study: Study, researcherZone: string | null): SafeHtml {
  return researcherZone
    ? html`Times in your time zone, ${researcherZone}`
    : html`Times in the study's time zone, ${study.timeZone} (<a href="/settings#time-zone">choose yours</a
        >)`;
}

function participantRows(
  study: Study,
  everyone: ParticipantListItem[],
  view: TableView,
  researcherZone: string | null,
): SafeHtml {
  const zone = researcherZone ?? study.timeZone;
  if (everyone.length === 0) return html`<p>Nobody yet: add participants below.</p>`;
  const shown = selectParticipants(everyone, view);
  return html`<p class="table-count">Showing ${shown.length} of ${everyone.length}</p>
    ${
      shown.length === 0
        ? html`<p>No participant matches. <a href="/studies/${study.id}">Show everyone</a></p>`
        : html`<table class="participants">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Interview</th>
              </tr>
            </thead>
            <tbody>
              ${shown.map(
                (participant) =>
                  html`<tr>
                    <th scope="row" data-label="Name">
                      <a href="/participants/${participant.id}">${participant.name}</a>
                    </th>
                    <td data-label="Email">${participant.email}</td>
                    <td data-label="Status">
                      <span class="status-label">${STATUS_LABELS[participant.status]}</span>
                    </td>
                    <td data-label="Interview">${interview(zone, participant)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

function interview(zone: string, participant: ParticipantListItem): SafeHtml | string {
  const booking = participant.booking;
  if (!booking) return '—';
  return html`${formatMomentInZone(booking.start, zone)}
  ${booking.state === 'pending' ? html`<span class="muted">(being confirmed)</span>` : ''}
  ${booking.meetUrl ? html`<br /><a href="${booking.meetUrl}">Meet link</a>` : ''}`;
}

function addForm(
  study: Study,
  csrf: string,
  refused: { typed: string; errors: PasteError[] } | undefined,
): SafeHtml {
  return html`<section class="card">
    <h2 id="add-heading">Add participants</h2>
    <form method="post" action="/studies/${study.id}/participants" novalidate>
      <input type="hidden" name="csrf" value="${csrf}" />
      <div class="${refused ? 'field has-error' : 'field'}">
        <label for="participants">Participants</label>
        <p id="participants-hint" class="hint">
          One <code>Name &lt;email&gt;</code> per line, or paste CSV with name and email columns (a header row
          naming them). Each person gets an invitation email with their own booking link.
        </p>
        ${
          refused
            ? html`<div id="participants-error" class="field-error">
                ${refused.errors.map((error) => html`<p><span class="visually-hidden">Error:</span> ${error.message}</p>`)}
              </div>`
            : ''
        }
        <textarea
          id="participants"
          name="participants"
          rows="6"
          spellcheck="false"
          aria-describedby="participants-hint${refused ? ' participants-error' : ''}"
        >
${refused?.typed ?? ''}</textarea>
      </div>
      <div class="form-actions"><button type="submit">Add participants</button></div>
    </form>
  </section>`;
}
