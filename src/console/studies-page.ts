import type { Knex } from 'knex';
import type { RouteTable } from '../http/route-table';
import { PARTICIPANT_STATUSES, STATUS_LABELS } from '../participants/status-rules';
import {
  countParticipantsByStatus,
  listStudies,
  type StatusCounts,
  type Study,
} from '../studies/study-repository';
import type { Console } from '../web/console-page';
import { PAGE_RESPONSES } from './page-responses';
import { html, type SafeHtml } from '../web/html';
import { formatMinutes } from './console-format';
import { listHostsOfStudies, type StudyHost } from '../studies/study-host-repository';
import { hostsMark } from './hosts-panel';

export interface StudiesPageDeps {
  knex: Knex;
  web: Console;
}

/** `/studies`: each study as a card with its participants by status (reads at 360 px). */
export function registerStudiesPage(table: RouteTable, deps: StudiesPageDeps): void {
  table.add({
    method: 'get',
    path: '/studies',
    summary: "The team's studies with their participants by status (HTML)",
    tags: ['console'],
    middleware: [deps.web.requireSession],
    responses: {
      ...PAGE_RESPONSES,
      200: { description: 'Studies page', contentType: 'text/html' },
    },
    handler: async ({ req, res }) => {
      const { researcherId } = deps.web.session(res);
      const studies = await listStudies(deps.knex, researcherId);
      const counts = await countParticipantsByStatus(
        deps.knex,
        researcherId,
        studies.map((study) => study.id),
      );
      const hosts = await listHostsOfStudies(
        deps.knex,
        studies.map((study) => study.id),
      );
      deps.web.sendPage(req, res, {
        title: 'Studies',
        current: 'studies',
        body: html`<div class="page-title">
            <h1>Studies</h1>
            <a class="button" href="/studies/new">New study</a>
          </div>
          ${
            studies.length === 0
              ? html`<div class="card empty-state">
                  <h2>No studies yet</h2>
                  <p>
                    A study holds your availability and the people you invite; each gets a link to book an
                    interview on your Google Calendar. Start with <a href="/studies/new">a new study</a>.
                  </p>
                </div>`
              : html`<ul class="study-cards">
                  ${studies.map((study) => studyCard(study, counts.get(study.id), hosts.get(study.id) ?? []))}
                </ul>`
          }`,
      });
    },
  });
}

function studyCard(study: Study, counts: StatusCounts | undefined, hosts: StudyHost[]): SafeHtml {
  const total = PARTICIPANT_STATUSES.reduce((sum, status) => sum + (counts?.[status] ?? 0), 0);
  return html`<li class="card study-card">
    <h2><a href="/studies/${study.id}">${study.title}</a></h2>
    <p class="study-meta">
      <span class="state state--${study.status}">${study.status === 'open' ? 'Open' : 'Closed'}</span>
      <span>${formatMinutes(study.durationMinutes)}</span>
      <span>${total === 1 ? '1 participant' : `${total} participants`}</span>
      ${hostsMark(study, hosts)}
    </p>
    <dl class="status-counts">
      ${PARTICIPANT_STATUSES.map(
        (status) =>
          html`<div>
            <dt>${STATUS_LABELS[status]}</dt>
            <dd>${counts?.[status] ?? 0}</dd>
          </div>`,
      )}
    </dl>
  </li>`;
}
