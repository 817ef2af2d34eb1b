import { errorSummary } from '../web/error-summary';
import { formatInterval } from '../web/format-time';
import { html, type SafeHtml } from '../web/html';
import type { ManualPageSubject } from './manual-booking-page-html';
import { STATUS_LABELS, type ParticipantStatus } from './status-rules';

/** "Delete logged interview?": which one, and what becomes of the participant's status. */
export interface DeleteLoggedView extends ManualPageSubject {
  interview: {
    id: string;
    start: Date;
    end: Date;
    verdict: ParticipantStatus;
    note: string | null;
    version: number;
  };
  currentStatus: ParticipantStatus;
  /** The status the participant will have once it is deleted (as far as can be told now). */
  statusAfter: ParticipantStatus;
  error?: string | undefined;
}

/**
 * A confirmation page rather than a script dialog: it works without JavaScript, and the
 * researcher reads what the deletion does to the status before deciding.
 */
export function renderDeleteLoggedPage(view: DeleteLoggedView): SafeHtml {
  const { participant, interview, study } = view;
  const when = formatInterval(interview.start, interview.end, study.timeZone);
  const base = `/participants/${participant.id}`;
  const status =
    view.statusAfter === view.currentStatus
      ? html`${participant.name}'s status stays <strong>${STATUS_LABELS[view.currentStatus]}</strong>${
            interview.verdict === view.currentStatus ? '' : ': it changed after this interview was logged'
          }.`
      : html`${participant.name}'s status goes back from ${STATUS_LABELS[view.currentStatus]} to
          <strong>${STATUS_LABELS[view.statusAfter]}</strong>, as before this interview was logged.`;
  return html`<p><a href="${base}">Back to ${participant.name}</a></p>
    <h1>Delete logged interview?</h1>
    ${view.error ? errorSummary('There is a problem', [{ fieldId: 'delete-button', message: view.error }]) : ''}
    <div class="card">
      <dl class="facts">
        <dt>When</dt>
        <dd>${when}</dd>
        <dt>Outcome</dt>
        <dd>${STATUS_LABELS[interview.verdict]}</dd>
        ${
          interview.note
            ? html`<dt>Note</dt>
                <dd>${interview.note}</dd>`
            : ''
        }
      </dl>
      <p>${status} The history keeps a record that you deleted it.</p>
      <form method="post" action="${base}/logged-interviews/${interview.id}/delete">
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <input type="hidden" name="version" value="${interview.version}" />
        <div class="form-actions confirm">
          <button type="submit" id="delete-button" class="danger">Delete logged interview</button>
          <a href="${base}">Keep it</a>
        </div>
      </form>
    </div>`;
}
