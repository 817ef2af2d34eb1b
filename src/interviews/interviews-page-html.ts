import { hostWarningsPart } from '../participants/participant-page-html';
import { PARTICIPANT_STATUSES, STATUS_LABELS } from '../participants/status-rules';
import type { HostWarning } from '../sync/host-responses';
import { formatInterval } from '../web/format-time';
import { html, type SafeHtml } from '../web/html';
import type { InterviewList, ListedInterview } from './interview-list';

/** What the Upcoming and Past interviews pages show. */
export interface InterviewsPageView {
  when: InterviewList;
  interviews: ListedInterview[];
  /** Hosts an upcoming collective interview goes ahead without, by booking id (issue 15). */
  hostWarnings?: ReadonlyMap<string, readonly HostWarning[]>;
  /** The next page's address, when there is one. */
  nextHref: string | null;
  /** Whether this is a later page (offer the way back to the first). */
  paged: boolean;
  /** The researcher's own zone; null: each interview in its study's zone. */
  researcherZone: string | null;
  csrf: string;
  /** This page's path and query: the forms bring the researcher back here. */
  returnTo: string;
}

export const INTERVIEW_PAGE_TITLES: Record<InterviewList, string> = {
  upcoming: 'Upcoming interviews',
  past: 'Past interviews',
};

/**
 * The list as cards (they read on a phone, where a table of six columns would not). Each
 * card's quick actions are those of the participant page, with the same names: Join Meet,
 * Copy link, and an Actions menu button with Update Participant Status and Cancel
 * interview, whose panels the console script turns into dialogs. Without the script the
 * panels are plain forms behind a "Actions" disclosure, and Copy link is a link to the page
 * that shows the booking link.
 */
export function renderInterviewsBody(view: InterviewsPageView): SafeHtml {
  const title = INTERVIEW_PAGE_TITLES[view.when];
  return html`<div class="page-title"><h1>${title}</h1></div>
    <nav aria-label="Interviews" class="tabs">
      <ul>
        ${(['upcoming', 'past'] as const).map(
          (when) =>
            html`<li>
              <a href="/interviews/${when}" ${when === view.when ? html`aria-current="page"` : ''}
                >${when === 'upcoming' ? 'Upcoming' : 'Past'}</a
              >
            </li>`,
        )}
      </ul>
    </nav>
    <p class="hint">
      ${view.when === 'upcoming' ? 'Soonest first' : 'Newest first'}; times in
      ${view.researcherZone ? `your time zone, ${view.researcherZone}` : "each study's time zone"}.
    </p>
    ${
      view.interviews.length === 0
        ? html`<div class="card empty-state">
            <p>
              ${
                view.paged
                  ? 'No more interviews.'
                  : view.when === 'upcoming'
                    ? 'No upcoming interviews. Participants book from the link in their invitation.'
                    : 'No past interviews yet.'
              }
            </p>
          </div>`
        : html`<ol class="interview-list">
            ${view.interviews.map((interview) => interviewCard(view, interview))}
          </ol>`
    }
    <nav aria-label="Pages" class="pager">
      ${view.paged ? html`<a href="/interviews/${view.when}">First page</a>` : ''}
      ${
        view.nextHref
          ? html`<a class="button secondary" href="${view.nextHref}"
              >${view.when === 'upcoming' ? 'Later interviews' : 'Earlier interviews'}</a
            >`
          : ''
      }
    </nav>`;
}

function interviewCard(view: InterviewsPageView, interview: ListedInterview) {
  const id = interview.bookingId;
  const zone = view.researcherZone ?? interview.study.timeZone;
  const upcoming = view.when === 'upcoming';
  const participantUrl = `/participants/${interview.participant.id}`;
  return html`<li class="card interview-card" data-booking="${id}">
    <p class="interview-time">
      <time datetime="${interview.start.toISOString()}"
        >${formatInterval(interview.start, interview.end, zone)}</time
      >
      ${interview.state === 'pending' ? html`<span class="muted">(being confirmed)</span>` : ''}
      ${interview.state === 'logged' ? html`<span class="muted">(held elsewhere, logged)</span>` : ''}
    </p>
    <h2 id="who-${id}" class="interview-who">
      <a href="${participantUrl}">${interview.participant.name}</a>
    </h2>
    <p class="interview-meta">
      <span>Study: <a href="/studies/${interview.study.id}">${interview.study.title}</a></span>
      <span
        >Status:
        <span class="status-label" data-status="${interview.participant.status}"
          >${STATUS_LABELS[interview.participant.status]}</span
        ></span
      >
      ${interview.heldBy ? html`<span>Held by ${interview.heldBy}</span>` : ''}
    </p>
    ${hostWarningsPart(view.hostWarnings?.get(id) ?? [])}
    <div class="quick-actions">
      ${upcoming && interview.meetUrl ? html`<a class="button" href="${interview.meetUrl}">Join Meet</a>` : ''}
      ${interview.hasStoredLink ? copyLink(id, participantUrl) : ''}
      <div class="actions-menu">
        <button
          type="button"
          id="actions-${id}"
          aria-haspopup="menu"
          aria-expanded="false"
          aria-controls="actions-menu-${id}"
          aria-describedby="who-${id}"
          hidden
        >
          Actions <span aria-hidden="true">▾</span>
        </button>
        <ul id="actions-menu-${id}" role="menu" aria-labelledby="actions-${id}" hidden>
          ${menuItem(`menu-status-${id}`, `status-panel-${id}`, 'Update Participant Status')}
          ${upcoming ? menuItem(`menu-cancel-${id}`, `cancel-panel-${id}`, 'Cancel interview') : ''}
        </ul>
      </div>
    </div>
    <details class="row-panels" data-action-panels>
      <summary>Actions<span class="visually-hidden"> for ${interview.participant.name}</span></summary>
      ${statusPanel(view, interview)} ${upcoming ? cancelPanel(view, interview, zone) : ''}
    </details>
  </li>`;
}

function menuItem(id: string, opens: string, label: string): SafeHtml {
  return html`<li role="none">
    <button type="button" role="menuitem" tabindex="-1" id="${id}" data-opens="${opens}">${label}</button>
  </li>`;
}

/**
 * Copies the participant's booking link (read from the participant page's booking-link
 * route, which decrypts it for this researcher only) and says so beside the button. The
 * button shows only with the script; without it, the link opens the page that shows it.
 */
function copyLink(id: string, participantUrl: string): SafeHtml {
  const source = `${participantUrl}/booking-link`;
  return html`<span class="copy-link">
    <button
      type="button"
      class="secondary"
      data-copy-link="${source}"
      data-copy-status="copied-${id}"
      aria-describedby="who-${id}"
      hidden
    >
      Copy link
    </button>
    <a href="${source}" data-copy-fallback
      >Show booking link<span class="visually-hidden"> of this participant</span></a
    >
    <span id="copied-${id}" class="copy-status" role="status"></span>
  </span>`;
}

function returnField(view: InterviewsPageView): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${view.csrf}" />
    <input type="hidden" name="returnTo" value="${view.returnTo}" />`;
}

/** The participant page's status form, posting to the same route, with ids of this card. */
function statusPanel(view: InterviewsPageView, interview: ListedInterview): SafeHtml {
  const id = interview.bookingId;
  return html`<div class="card" id="status-panel-${id}" data-action-panel>
    <h2 id="status-panel-${id}-title">Update Participant Status</h2>
    <p>${interview.participant.name}, ${interview.study.title}</p>
    <form method="post" action="/participants/${interview.participant.id}/status" novalidate>
      ${returnField(view)}
      <label for="status-${id}">Status</label>
      <select id="status-${id}" name="status">
        ${PARTICIPANT_STATUSES.map(
          (status) =>
            html`<option value="${status}" ${status === interview.participant.status ? 'selected' : ''}>
              ${STATUS_LABELS[status]}
            </option>`,
        )}
      </select>
      <label for="reason-${id}">Reason</label>
      <p class="hint" id="reason-hint-${id}">Optional; shown in the history.</p>
      <input
        type="text"
        id="reason-${id}"
        name="reason"
        maxlength="500"
        aria-describedby="reason-hint-${id}"
      />
      <div class="form-actions">
        <button type="submit">Update status</button>
        <button type="button" class="secondary" data-close hidden>Back</button>
      </div>
    </form>
  </div>`;
}

/** The confirm step of the participant page's cancel, naming the interview. */
function cancelPanel(view: InterviewsPageView, interview: ListedInterview, zone: string): SafeHtml {
  const id = interview.bookingId;
  return html`<div class="card" id="cancel-panel-${id}" data-action-panel>
    <h2 id="cancel-panel-${id}-title">Cancel interview</h2>
    <p>
      Cancel the interview with ${interview.participant.name} on
      ${formatInterval(interview.start, interview.end, zone)}? The participant and guests are told by Google.
    </p>
    <form method="post" action="/participants/${interview.participant.id}/cancel">
      ${returnField(view)}
      <input type="hidden" name="bookingId" value="${id}" />
      <div class="form-actions">
        <button type="submit" class="danger">Cancel interview</button>
        <button type="button" class="secondary" data-close hidden>Keep the interview</button>
      </div>
    </form>
  </div>`;
}
