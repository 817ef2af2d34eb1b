import type { ConsentStanding } from '../consent/consent-standing';
import type { OutboxEmail } from '../mail/outbox-repository';
import { nameOf } from '../studies/study-hosting';
import { hostWarningText, type HostWarning } from '../sync/host-responses';
import { formatInterval, formatMoment } from '../web/format-time';
import { errorSummary } from '../web/error-summary';
import { html, type SafeHtml } from '../web/html';
import type { TimelineResult } from './participant-timeline';
import type { ParticipantListItem } from './participant-repository';
import { PARTICIPANT_STATUSES, STATUS_LABELS, type ParticipantStatus } from './status-rules';

/** Everything the participant page shows, read through the same functions as the JSON API. */
export interface ParticipantPageView {
  participant: ParticipantListItem;
  study: { id: string; title: string; timeZone: string };
  /** The signed-in researcher. */
  researcher: { id: string; name: string };
  /** The activity timeline's newest page, as `GET /api/participants/:id/timeline` gives it. */
  timeline: TimelineResult;
  emails: OutboxEmail[];
  /** Whether a booking link is stored (participants added before it was kept have none). */
  hasStoredLink: boolean;
  /** The consent to show beside the interview, and whether it covers it. */
  consent: ConsentStanding;
  csrf: string;
  /** The zone every time on the page is written in: the researcher's own, else the study's. */
  timeZone: string;
  researcherChoseZone: boolean;
  /** For live updates: the page polls this and replaces the `data-live` parts. */
  version: string;
  /** When the participant unsubscribed from reminder emails; null while they get them. */
  remindersUnsubscribedAt?: Date | null;
  /** The interviews held elsewhere that were logged, the latest first. */
  loggedInterviews?: readonly LoggedInterviewSummary[] | undefined;
  /** A collective interview's hosts who declined or were taken off the event (issue 15). */
  hostWarnings?: readonly HostWarning[];
  /** Who holds the booked interview, organizer first: in a team it is not always the reader. */
  bookingHosts?: readonly { name: string; email: string }[];
}

/** What the page shows of a logged interview, with Edit and Delete. */
export interface LoggedInterviewSummary {
  id: string;
  start: Date;
  end: Date;
  verdict: ParticipantStatus;
  note: string | null;
  /** Who held it (issue 15): a member of the study's team. */
  hostName: string;
}

export type ActionPanel = 'status' | 'cancel' | 'reinvite';

/** A refused form: the message beside its field and in the summary at the top (GOV.UK). */
export interface FormError {
  panel: ActionPanel;
  /** The id of the field (or button) the summary links to. */
  fieldId: string;
  message: string;
  /** What was posted, shown again. */
  values?: { status?: string; reason?: string };
}

const base = (view: ParticipantPageView) => `/participants/${view.participant.id}`;

export function renderParticipantBody(view: ParticipantPageView, error?: FormError): SafeHtml {
  const { participant } = view;
  return html`<div data-live-url="${base(view)}/live" data-live-version="${view.version}">
    <div class="page-title">
      <h1>${participant.name}</h1>
      ${actionsMenu(view)}
    </div>
    ${error ? errorSummary('There is a problem', [error]) : ''}
    <section class="card" aria-labelledby="overview-heading">
      <h2 id="overview-heading" class="visually-hidden">Overview</h2>
      <div data-live="overview">${overviewPart(view)}</div>
    </section>
    <section class="card" aria-labelledby="interview-heading">
      <h2 id="interview-heading">Interview</h2>
      <div data-live="interview">${interviewPart(view)}</div>
    </section>
    <section class="card" aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails</h2>
      <div data-live="emails">${emailsPart(view)}</div>
    </section>
    <section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <p>
        Everything that happened, newest first: emails, bookings, moves, answers in Google Calendar and
        statuses. Times in
        ${view.researcherChoseZone ? `your time zone, ${view.timeZone}` : `the study's time zone, ${view.timeZone}`}.
      </p>
      <div data-live="timeline">${timelinePart(view)}</div>
    </section>
    ${actionPanels(view, error)}
  </div>`;
}

/** The parts the live updates replace, each rendered exactly as on the page. */
export function liveParts(view: ParticipantPageView): Record<string, string> {
  return {
    menu: menuPart(view).safeHtml,
    cancel: cancelPart(view).safeHtml,
    overview: overviewPart(view).safeHtml,
    interview: interviewPart(view).safeHtml,
    emails: emailsPart(view).safeHtml,
    timeline: timelinePart(view).safeHtml,
  };
}

function overviewPart(view: ParticipantPageView): SafeHtml {
  const { participant, study } = view;
  return html`<dl class="facts">
    <dt>Status</dt>
    <dd>
      <span class="status-label" data-status="${participant.status}"
        >${STATUS_LABELS[participant.status]}</span
      >
    </dd>
    <dt>Email</dt>
    <dd><a href="mailto:${participant.email}">${participant.email}</a></dd>
    <dt>Study</dt>
    <dd><a href="/studies/${study.id}">${study.title}</a></dd>
    ${
      view.remindersUnsubscribedAt
        ? html`<dt>Reminders</dt>
            <dd>
              Unsubscribed from reminders on ${formatMoment(view.remindersUnsubscribedAt, view.timeZone)}
            </dd>`
        : ''
    }
  </dl>`;
}

function interviewPart(view: ParticipantPageView): SafeHtml {
  const booking = view.participant.booking;
  if (!booking)
    return html`<p>No interview booked.</p>
      ${loggedPart(view)} ${consentPart(view)}`;
  return html`<dl class="facts">
      <dt>Time</dt>
      <dd>${formatInterval(booking.start, booking.end, view.timeZone)}</dd>
      ${hostsPart(view.bookingHosts ?? [])}
      <dt>Google Meet</dt>
      <dd>
        ${booking.meetUrl ? html`<a href="${booking.meetUrl}">${booking.meetUrl}</a>` : 'Not created yet'}
      </dd>
      <dt>Calendar event</dt>
      <dd>
        ${
          booking.state === 'confirmed'
            ? html`On Google
              Calendar${booking.htmlLink ? html` (<a href="${booking.htmlLink}">open the event</a>)` : ''}`
            : 'Being added to Google Calendar'
        }
      </dd>
    </dl>
    ${hostWarningsPart(view.hostWarnings ?? [])} ${loggedPart(view)} ${consentPart(view)}`;
}

/** "Host" or "Hosts" with their names; with several, the first organizes the calendar event. */
function hostsPart(hosts: readonly { name: string; email: string }[]): SafeHtml | string {
  if (hosts.length === 0) return '';
  const names = hosts.map((host, index) =>
    index === 0 && hosts.length > 1 ? `${nameOf(host)} (organizer)` : nameOf(host),
  );
  return html`<dt>${hosts.length > 1 ? 'Hosts' : 'Host'}</dt>
    <dd>${names.join(', ')}</dd>`;
}

/**
 * The interviews held elsewhere that were logged, each with Edit and Delete. The links'
 * accessible names say which interview they act on: a page with two logged interviews has
 * two "Edit" links that a screen reader's list of links must tell apart.
 */
function loggedPart(view: ParticipantPageView): SafeHtml | string {
  const logged = view.loggedInterviews ?? [];
  if (logged.length === 0) return '';
  return html`<h3 id="logged-heading">Interviews held elsewhere (logged)</h3>
    <ul class="logged-interviews" aria-labelledby="logged-heading">
      ${logged.map((interview) => {
        const when = formatInterval(interview.start, interview.end, view.timeZone);
        const href = `${base(view)}/logged-interviews/${interview.id}`;
        return html`<li>
          <p>
            ${when}: <strong>${STATUS_LABELS[interview.verdict]}</strong>${
              interview.hostName ? html` · held by ${interview.hostName}` : ''
            }
          </p>
          ${interview.note ? html`<p>Note: ${interview.note}</p>` : ''}
          <p class="logged-actions">
            <a href="${href}/edit" aria-label="Edit logged interview of ${when}">Edit</a>
            <a href="${href}/delete" aria-label="Delete logged interview of ${when}">Delete</a>
          </p>
        </li>`;
      })}
    </ul>`;
}

/**
 * What the participant agreed to, and whether it covers the interview shown: only a consent
 * given for this booking to the study's current words does. The exact words of that version.
 */
function consentPart(view: ParticipantPageView): SafeHtml | string {
  const { consent, forCurrentInterview, current, required, currentVersion } = view.consent;
  const booked = view.participant.booking !== null;
  if (!consent) {
    return booked && required
      ? html`<p class="consent-missing">No consent recorded for this interview.</p>`
      : '';
  }
  const on = `Consent given on ${formatMoment(consent.consentedAt, view.timeZone)}`;
  const given = !forCurrentInterview
    ? `${on} for an earlier interview (version ${consent.version})`
    : current
      ? `${on} (version ${consent.version})`
      : `${on} for this interview, to older words (version ${consent.version}; the study now asks for version ${currentVersion})`;
  return html`<div class="consent-given">
    <p>${given}</p>
    ${booked && required && !forCurrentInterview ? html`<p>No consent recorded for this interview.</p>` : ''}
    <details>
      <summary>Consent text they agreed to</summary>
      <p class="consent-text">${consent.text}</p>
    </details>
  </div>`;
}

const EMAIL_KINDS: Record<string, string> = {
  invitation: 'Invitation',
  reinvitation: 'Re-invitation',
  reminder: 'Reminder',
  confirmation: 'Confirmation',
  update: 'Update (new time)',
  cancellation: 'Cancellation notice',
};

function emailsPart(view: ParticipantPageView): SafeHtml {
  if (view.emails.length === 0) return html`<p>No emails yet.</p>`;
  const zone = view.timeZone;
  return html`<ul>
    ${view.emails.map((email) => {
      const kind = EMAIL_KINDS[email.kind] ?? email.kind;
      switch (email.state) {
        case 'sent':
          return html`<li>${kind}: sent ${email.sentAt ? formatMoment(email.sentAt, zone) : ''}</li>`;
        case 'failed':
          return html`<li class="email-failed">
            ${kind}: not delivered after ${email.attempts}
            attempt${email.attempts === 1 ? '' : 's'}${email.lastError ? html` — ${email.lastError}` : ''}
          </li>`;
        case 'superseded':
          // One overtaken says why (a reminder for a moved interview, a confirmation for a
          // cancelled one…); an invitation replaced by a re-invitation leaves no reason.
          return email.lastError
            ? html`<li>${kind}: not sent — ${email.lastError}</li>`
            : html`<li>${kind}: replaced by a re-invitation before it was sent</li>`;
        default:
          return html`<li>
            ${kind}: waiting to be sent (queued
            ${formatMoment(email.createdAt, zone)})${
              email.lastError
                ? html`<span class="email-failed"> — last attempt failed: ${email.lastError}</span>`
                : ''
            }
          </li>`;
      }
    })}
  </ul>`;
}

/**
 * The timeline's items as the API words them; a failed email stands out, and a reason
 * (the researcher's own text, or the calendar's explanation) gets a line of its own.
 */
function timelinePart(view: ParticipantPageView): SafeHtml {
  const { items, next } = view.timeline;
  if (items.length === 0) return html`<p>Nothing yet.</p>`;
  return html`<ol class="timeline">
      ${items.map((item) => {
        const failed = item.kind === 'email' && item.details.state === 'failed';
        const reason = typeof item.details.reason === 'string' ? item.details.reason : '';
        return html`<li data-kind="${item.kind}" ${failed ? html`class="timeline-failed"` : ''}>
          <time datetime="${item.at.toISOString()}">${formatMoment(item.at, view.timeZone)}</time>
          <p class="change ${failed ? 'email-failed' : ''}">${item.summary}</p>
          ${reason ? html`<p>Reason: ${reason}</p>` : ''}
        </li>`;
      })}
    </ol>
    ${next ? html`<p>Showing the latest ${items.length} entries.</p>` : ''}`;
}

function menuItem(
  label: string,
  attributes: { opens?: string; copyFrom?: string; disabledBecause?: string; id: string },
): SafeHtml {
  const note = attributes.disabledBecause;
  return html`<li role="none">
    <button
      type="button"
      role="menuitem"
      tabindex="-1"
      id="${attributes.id}"
      ${attributes.opens && !note ? html`data-opens="${attributes.opens}"` : ''}
      ${attributes.copyFrom && !note ? html`data-copy-from="${attributes.copyFrom}"` : ''}
      ${note ? html`aria-disabled="true" aria-describedby="${attributes.id}-note"` : ''}
    >
      ${label}${note ? html`<span class="menu-note" aria-hidden="true">${note}</span>` : ''}
    </button>
  </li>`;
}

/** An item that opens a page of its own (a form too long for a dialog). */
function menuLink(label: string, id: string, href: string): SafeHtml {
  return html`<li role="none"><a role="menuitem" tabindex="-1" id="${id}" href="${href}">${label}</a></li>`;
}

/** Why an item is disabled: its description, kept out of its name (which stays the label). */
function disabledNotes(notes: Record<string, string | undefined>): SafeHtml[] {
  return Object.entries(notes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([id, note]) => html`<span class="visually-hidden" id="${id}-note">${note}</span>`);
}

/** Hidden until the script runs: without it, the action panels below are plain forms. */
function actionsMenu(view: ParticipantPageView): SafeHtml {
  return html`<div class="actions-menu">
    <button
      type="button"
      id="actions-button"
      aria-haspopup="menu"
      aria-expanded="false"
      aria-controls="actions-menu"
      hidden
    >
      Actions <span aria-hidden="true">▾</span>
    </button>
    <div data-live="menu">${menuPart(view)}</div>
  </div>`;
}

/** The menu and why items are disabled: live, as a booking or a stored link comes and goes. */
function menuPart(view: ParticipantPageView): SafeHtml {
  const booked = view.participant.booking !== null;
  const notes = {
    'menu-cancel': booked ? undefined : 'No interview booked',
    'menu-copy': view.hasStoredLink ? undefined : 'No link stored: re-invite to make a new one',
  };
  return html`<ul id="actions-menu" role="menu" aria-labelledby="actions-button" hidden>
      ${menuItem('Update Participant Status', { id: 'menu-status', opens: 'status-panel' })}
      ${menuItem('Cancel interview', {
        id: 'menu-cancel',
        opens: 'cancel-panel',
        ...(notes['menu-cancel'] ? { disabledBecause: notes['menu-cancel'] } : {}),
      })}
      ${menuLink('Book interview', 'menu-book', `${base(view)}/book`)}
      ${menuLink('Log past interview', 'menu-log', `${base(view)}/log-interview`)}
      ${menuItem('Re-invite', { id: 'menu-reinvite', opens: 'reinvite-panel' })}
      ${menuItem('Copy booking link', {
        id: 'menu-copy',
        copyFrom: `${base(view)}/booking-link`,
        ...(notes['menu-copy'] ? { disabledBecause: notes['menu-copy'] } : {}),
      })}
    </ul>
    ${disabledNotes(notes)}`;
}

/** The cancel confirmation names the interview: live, so it never names a time that moved. */
function cancelPart(view: ParticipantPageView): SafeHtml {
  const { participant } = view;
  const booking = participant.booking;
  if (!booking) return html`<p>No interview is booked, so there is nothing to cancel.</p>`;
  return html`<p>
      Cancel the interview with ${participant.name} on
      ${formatInterval(booking.start, booking.end, view.timeZone)}? The participant and guests are told by
      Google.
    </p>
    <form method="post" action="${base(view)}/cancel">
      <input type="hidden" name="csrf" value="${view.csrf}" />
      <input type="hidden" name="bookingId" value="${booking.id}" />
      <div class="form-actions">
        <button type="submit" class="danger" id="cancel-submit">Cancel interview</button>
        <button type="button" class="secondary" data-close hidden>Keep the interview</button>
      </div>
    </form>`;
}

function actionPanels(view: ParticipantPageView, error: FormError | undefined): SafeHtml {
  const { participant } = view;
  const csrf = html`<input type="hidden" name="csrf" value="${view.csrf}" />`;
  const inline = (panel: ActionPanel) => (error?.panel === panel ? html`data-keep-inline` : '');
  const back = html`<button type="button" class="secondary" data-close hidden>Back</button>`;
  const statusError = error?.panel === 'status' && error.fieldId === 'status' ? error : undefined;
  const reasonError = error?.panel === 'status' && error.fieldId === 'reason' ? error : undefined;
  const chosen = error?.values?.status ?? participant.status;
  return html`<section class="action-panels" data-action-panels aria-labelledby="actions-heading">
    <h2 id="actions-heading">Actions</h2>
    <div class="card" id="status-panel" data-action-panel ${inline('status')}>
      <h2 id="status-panel-title">Update Participant Status</h2>
      <form method="post" action="${base(view)}/status" novalidate>
        ${csrf}
        <div class="field ${statusError ? 'has-error' : ''}">
          <label for="status">Status</label>
          ${statusError ? html`<p class="field-error" id="status-error">${statusError.message}</p>` : ''}
          <select
            id="status"
            name="status"
            ${statusError ? html`aria-describedby="status-error" aria-invalid="true"` : ''}
          >
            ${PARTICIPANT_STATUSES.map(
              (status) =>
                html`<option value="${status}" ${status === chosen ? 'selected' : ''}>
                  ${STATUS_LABELS[status]}
                </option>`,
            )}
          </select>
        </div>
        <div class="field ${reasonError ? 'has-error' : ''}">
          <label for="reason">Reason</label>
          <p class="hint" id="reason-hint">Optional; shown in the history.</p>
          ${reasonError ? html`<p class="field-error" id="reason-error">${reasonError.message}</p>` : ''}
          <input
            type="text"
            id="reason"
            name="reason"
            maxlength="500"
            value="${error?.values?.reason ?? ''}"
            aria-describedby="reason-hint${reasonError ? ' reason-error' : ''}"
          />
        </div>
        <div class="form-actions">
          <button type="submit">Update status</button>
          ${back}
        </div>
      </form>
    </div>
    <div class="card" id="cancel-panel" data-action-panel ${inline('cancel')}>
      <h2 id="cancel-panel-title">Cancel interview</h2>
      <div data-live="cancel">${cancelPart(view)}</div>
    </div>
    <div class="card" id="reinvite-panel" data-action-panel ${inline('reinvite')}>
      <h2 id="reinvite-panel-title">Re-invite</h2>
      ${error?.panel === 'reinvite' ? html`<p class="field-error" id="reinvite-error">${error.message}</p>` : ''}
      <p>
        Make a new booking link for ${participant.name} and email it to ${participant.email}? The current link
        stops working.
      </p>
      <form method="post" action="${base(view)}/reinvite">
        ${csrf}
        <div class="form-actions">
          <button type="submit" id="reinvite-submit">Re-invite</button>
          ${back}
        </div>
      </form>
    </div>
    <section class="card" aria-labelledby="interview-actions-title">
      <h2 id="interview-actions-title">Book or log an interview</h2>
      <p>
        <a href="${base(view)}/book">Book interview</a> at a time you choose, or
        <a href="${base(view)}/log-interview">Log past interview</a> held elsewhere.
      </p>
    </section>
    <section class="card" aria-labelledby="link-panel-title">
      <h2 id="link-panel-title">Booking link</h2>
      ${
        view.hasStoredLink
          ? html`<p><a href="${base(view)}/booking-link">Show the booking link</a></p>`
          : html`<p>No link stored: re-invite to make a new one.</p>`
      }
    </section>
  </section>`;
}

/** The flash after re-invite: the new link, with a copy button the script shows. */
export function bookingLinkFlash(message: string, bookingUrl: string | undefined): SafeHtml {
  return html`<p>${message}</p>
    ${
      bookingUrl
        ? html`<div class="link-box">
            <code>${bookingUrl}</code>
            <button type="button" class="secondary" data-copy-text="${bookingUrl}" hidden>Copy link</button>
          </div>`
        : ''
    }`;
}

/** The page that reveals the stored link (no script needed). */
export function renderBookingLinkBody(
  participant: { id: string; name: string },
  bookingUrl: string | undefined,
): SafeHtml {
  return html`<p><a href="/participants/${participant.id}">Back to ${participant.name}</a></p>
    <h1>Booking link of ${participant.name}</h1>
    ${
      bookingUrl
        ? html`<p>Anyone with this link can book, move or cancel ${participant.name}'s interview.</p>
            <div class="link-box">
              <code>${bookingUrl}</code>
              <button type="button" class="secondary" data-copy-text="${bookingUrl}" hidden>Copy link</button>
            </div>`
        : html`<p>No link stored: re-invite to make a new one.</p>`
    }`;
}

/** Hosts the interview goes ahead without; the same words as the interviews list. */
export function hostWarningsPart(warnings: readonly HostWarning[]): SafeHtml | string {
  if (warnings.length === 0) return '';
  return html`<ul class="host-warnings">
    ${warnings.map((warning) => html`<li class="host-warning"><strong>Warning:</strong> ${hostWarningText(warning)}</li>`)}
  </ul>`;
}
