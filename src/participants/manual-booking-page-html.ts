import type { CalendarOverlap } from '../bookings/slot-recheck';
import type { AvailabilityAnswer, AvailabilityReason } from '../studies/explain-availability';
import { errorSummary } from '../web/error-summary';
import { formatInterval } from '../web/format-time';
import { html, type SafeHtml } from '../web/html';
import { STATUS_LABELS } from './status-rules';

/** The participant and study the two pages are about. */
export interface ManualPageSubject {
  participant: { id: string; name: string };
  study: { title: string; timeZone: string; durationMinutes: number };
  csrf: string;
}

export interface FieldProblem {
  fieldId: string;
  message: string;
}

/** "Book interview": what was typed, and what the last check or attempt found. */
export interface BookPageView extends ManualPageSubject {
  values: { date: string; time: string; overrideReason: string; confirmOverlap: boolean };
  /** The answer to "is this time offered?", once a time was checked or tried. */
  answer?: AvailabilityAnswer | undefined;
  /** Events Google reported overlapping the time: the "book anyway" box shows. */
  overlaps?: readonly CalendarOverlap[] | undefined;
  errors: readonly FieldProblem[];
}

export interface LogPageView extends ManualPageSubject {
  values: { date: string; time: string; duration: string; status: string; note: string; hostId: string };
  /** The study's team members, who can be named as the host (issue 15). */
  hosts: readonly { id: string; name: string }[];
  errors: readonly FieldProblem[];
  /** Editing a logged interview: the same form, prefilled, saved over that interview. */
  edit?: { loggedInterviewId: string; version: number } | undefined;
}

const back = (subject: ManualPageSubject) =>
  html`<p><a href="/participants/${subject.participant.id}">Back to ${subject.participant.name}</a></p>`;

function errorLine(id: string, error: FieldProblem | undefined): SafeHtml | string {
  return error
    ? html`<p id="${id}-error" class="field-error">
        <span class="visually-hidden">Error:</span> ${error.message}
      </p>`
    : '';
}

function input(
  id: string,
  label: string,
  attributes: { type: string; value: string; hint?: string; maxlength?: number; min?: number; max?: number },
  errors: readonly FieldProblem[],
): SafeHtml {
  const error = errors.find((problem) => problem.fieldId === id);
  const described = [attributes.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="${error ? 'field has-error' : 'field'}">
    <label for="${id}">${label}</label>
    ${attributes.hint ? html`<p id="${id}-hint" class="hint">${attributes.hint}</p>` : ''}
    ${errorLine(id, error)}
    <input
      id="${id}"
      name="${id}"
      type="${attributes.type}"
      value="${attributes.value}"
      ${attributes.maxlength ? html`maxlength="${attributes.maxlength}"` : ''}
      ${attributes.min !== undefined ? html`min="${attributes.min}"` : ''}
      ${attributes.max !== undefined ? html`max="${attributes.max}"` : ''}
      ${described ? html`aria-describedby="${described}"` : ''}
      ${error ? html`aria-invalid="true"` : ''}
    />
  </div>`;
}

/**
 * Book interview: a date and time in the study's zone; "Check time" says whether the
 * booking page offers it and why not; booking a time it does not offer needs a reason,
 * and an overlap Google reports needs the box ticked.
 */
export function renderBookPage(view: BookPageView): SafeHtml {
  const { participant, study, values, errors } = view;
  const overlapError = errors.find((problem) => problem.fieldId === 'confirmOverlap');
  return html`${back(view)}
    <h1>Book interview</h1>
    ${errors.length > 0 ? errorSummary('There is a problem', errors) : ''}
    <p>
      Book ${participant.name} for ${study.title} (${study.durationMinutes} minutes). The participant gets the
      same calendar invitation with Google Meet as when they book themselves; an interview they have is moved.
    </p>
    <form class="manual-form card" method="post" action="/participants/${participant.id}/book" novalidate>
      <input type="hidden" name="csrf" value="${view.csrf}" />
      ${input('date', 'Date', { type: 'date', value: values.date }, errors)}
      ${input('time', `Time (${study.timeZone})`, { type: 'time', value: values.time }, errors)}
      <div class="form-actions">
        <button type="submit" name="intent" value="check" class="secondary">Check time</button>
      </div>
      ${view.answer ? answerView(view.answer, study.timeZone) : ''}
      ${input(
        'overrideReason',
        'Override reason',
        {
          type: 'text',
          value: values.overrideReason,
          maxlength: 500,
          hint: 'Needed only to book a time the study does not offer; kept in the history.',
        },
        errors,
      )}
      ${
        view.overlaps && view.overlaps.length > 0
          ? html`<div class="${overlapError ? 'field radios has-error' : 'field radios'}">
              <p id="overlap-events">
                Your Google Calendar has
                ${view.overlaps.map(
                  (overlap, index) =>
                    html`${index > 0 ? ', ' : ''}“${overlap.title ?? 'Busy'}”
                    (${formatInterval(overlap.start, overlap.end, study.timeZone)})`,
                )}
                at this time.
              </p>
              ${errorLine('confirmOverlap', overlapError)}
              <div class="radio">
                <input
                  type="checkbox"
                  id="confirmOverlap"
                  name="confirmOverlap"
                  value="yes"
                  aria-describedby="overlap-events${overlapError ? ' confirmOverlap-error' : ''}"
                  ${values.confirmOverlap ? html`checked` : ''}
                />
                <label for="confirmOverlap">Book anyway despite the calendar overlap</label>
              </div>
            </div>`
          : ''
      }
      <div class="form-actions">
        <button type="submit" name="intent" value="book">Book interview</button>
      </div>
    </form>`;
}

function answerView(answer: AvailabilityAnswer, timeZone: string): SafeHtml {
  const when = formatInterval(answer.start, answer.end, timeZone);
  if (answer.offered) {
    return html`<div class="why-answer why-answer--offered" role="status">
      <p><strong>Offered.</strong> ${when} is a time the booking page offers.</p>
    </div>`;
  }
  return html`<div class="why-answer" role="status">
    <p><strong>Not offered:</strong> ${when}</p>
    ${reasonList(answer.reasons)}
  </div>`;
}

function reasonList(reasons: readonly AvailabilityReason[]): SafeHtml {
  return html`<ul>
    ${reasons.map((reason) => html`<li data-reason="${reason.code}">${reason.message}</li>`)}
  </ul>`;
}

/** Log past interview: when it was, how long, and its outcome; no calendar event is made. */
export function renderLogPage(view: LogPageView): SafeHtml {
  const { participant, study, values, errors } = view;
  const statusError = errors.find((problem) => problem.fieldId === 'status');
  const choices = [
    ['completed', 'The interview took place.'],
    ['no_show', 'The participant did not come.'],
  ] as const;
  const { edit } = view;
  const action = edit
    ? `/participants/${participant.id}/logged-interviews/${edit.loggedInterviewId}/edit`
    : `/participants/${participant.id}/log-interview`;
  return html`${back(view)}
    <h1>${edit ? 'Edit logged interview' : 'Log past interview'}</h1>
    ${errors.length > 0 ? errorSummary('There is a problem', errors) : ''}
    ${
      edit
        ? html`<p>
            Correct the interview with ${participant.name} that happened elsewhere. A changed outcome becomes
            their status, unless their status changed after this interview was logged.
          </p>`
        : html`<p>
            Record an interview with ${participant.name} that happened elsewhere (by phone, in the lab).
            Nothing is put on a calendar and no time is held; the status becomes the outcome you choose.
          </p>`
    }
    <form class="manual-form card" method="post" action="${action}" novalidate>
      <input type="hidden" name="csrf" value="${view.csrf}" />
      ${edit ? html`<input type="hidden" name="version" value="${edit.version}" />` : ''}
      ${input('date', 'Date', { type: 'date', value: values.date }, errors)}
      ${input('time', `Start time (${study.timeZone})`, { type: 'time', value: values.time }, errors)}
      ${input(
        'duration',
        'Duration in minutes',
        {
          type: 'number',
          value: values.duration,
          min: 1,
          max: 1440,
          hint: `The study's is ${study.durationMinutes}.`,
        },
        errors,
      )}
      <fieldset class="${statusError ? 'field radios has-error' : 'field radios'}">
        <legend>Outcome</legend>
        ${errorLine('status', statusError)}
        ${choices.map(
          ([value, hint], index) =>
            html`<div class="radio">
              <input
                type="radio"
                id="${index === 0 ? 'status' : `status-${value}`}"
                name="status"
                value="${value}"
                aria-describedby="status-${value}-hint"
                ${values.status === value ? html`checked` : ''}
              />
              <label for="${index === 0 ? 'status' : `status-${value}`}">${STATUS_LABELS[value]}</label>
              <p id="status-${value}-hint" class="hint">${hint}</p>
            </div>`,
        )}
      </fieldset>
      ${hostSelect(view)}
      ${input('note', 'Note', { type: 'text', value: values.note, maxlength: 500, hint: 'Optional; shown in the history.' }, errors)}
      <div class="form-actions">
        <button type="submit">${edit ? 'Save changes' : 'Log interview'}</button>
      </div>
    </form>`;
}

/** Who held the interview: one of the study's team members. */
function hostSelect(view: LogPageView): SafeHtml {
  const error = view.errors.find((problem) => problem.fieldId === 'hostId');
  return html`<div class="${error ? 'field has-error' : 'field'}">
    <label for="hostId">Host</label>
    ${errorLine('hostId', error)}
    <select
      id="hostId"
      name="hostId"
      ${error ? html`aria-describedby="hostId-error" aria-invalid="true"` : ''}
    >
      ${view.hosts.map(
        (host) =>
          html`<option value="${host.id}" ${host.id === view.values.hostId ? html`selected` : ''}>
            ${host.name}
          </option>`,
      )}
    </select>
  </div>`;
}
