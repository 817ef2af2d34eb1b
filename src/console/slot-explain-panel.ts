import { z } from 'zod';
import { isCalendarDate, resolveWallTime } from '../availability/local-time';
import type { AvailabilityAnswer } from '../studies/explain-availability';
import type { Study } from '../studies/study-repository';
import { formatInterval } from '../web/format-time';
import { html, type SafeHtml } from '../web/html';

/**
 * The study page's "Why is this time not offered?" form: a plain GET form (date and time
 * in the study's zone) whose answer the page shows, from the same use case as
 * GET /api/studies/:id/availability/explain.
 */
export const ExplainFields = {
  whyDate: z.string().max(40).optional().catch(undefined),
  whyTime: z.string().max(40).optional().catch(undefined),
};

export type ExplainInput =
  | { kind: 'none' }
  | { kind: 'start'; date: string; time: string; start: Date }
  | { kind: 'invalid'; date: string; time: string; errors: { fieldId: string; message: string }[] };

/** The typed date and time, read in the study's zone; nothing asked when both are absent. */
export function readExplainInput(
  study: Pick<Study, 'timeZone'>,
  query: { whyDate?: string | undefined; whyTime?: string | undefined },
): ExplainInput {
  if (query.whyDate === undefined && query.whyTime === undefined) return { kind: 'none' };
  const date = (query.whyDate ?? '').trim();
  const time = (query.whyTime ?? '').trim();
  const errors: { fieldId: string; message: string }[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isCalendarDate(date)) {
    errors.push({ fieldId: 'why-date', message: 'Enter a date, for example 2026-12-08' });
  }
  const clock = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!clock)
    errors.push({ fieldId: 'why-time', message: 'Enter a time in 24-hour format, for example 14:30' });
  if (errors.length > 0 || !clock) return { kind: 'invalid', date, time, errors };
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, Number(clock[1]), Number(clock[2]));
  // A time the clocks skip is read as the moment they jump; a repeated one as its first occurrence.
  return { kind: 'start', date, time, start: new Date(resolveWallTime(study.timeZone, wall).instant) };
}

export function explainPanel(
  study: Study,
  input: ExplainInput,
  answer: AvailabilityAnswer | undefined,
): SafeHtml {
  const errors = input.kind === 'invalid' ? input.errors : [];
  const errorFor = (fieldId: string) => errors.find((error) => error.fieldId === fieldId);
  const typed = input.kind === 'none' ? { date: '', time: '' } : input;
  const field = (id: string, name: string, label: string, type: string, value: string) => {
    const error = errorFor(id);
    return html`<div class="${error ? 'field has-error' : 'field'}">
      <label for="${id}">${label}</label>
      ${
        error
          ? html`<p id="${id}-error" class="field-error">
              <span class="visually-hidden">Error:</span> ${error.message}
            </p>`
          : ''
      }
      <input
        id="${id}"
        name="${name}"
        type="${type}"
        value="${value}"
        ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ''}
      />
    </div>`;
  };
  return html`<section class="card why-panel" aria-labelledby="why-heading">
    <h2 id="why-heading">Why is this time not offered?</h2>
    <p id="why-hint" class="hint">
      Pick a date and time in the study's time zone, ${study.timeZone}, to see every rule that keeps it off
      the booking page. Calendar event titles are shown to you only.
    </p>
    <form class="why-form" method="get" action="/studies/${study.id}#why-heading" aria-describedby="why-hint">
      ${field('why-date', 'whyDate', 'Date', 'date', typed.date)}
      ${field('why-time', 'whyTime', `Time (${study.timeZone})`, 'time', typed.time)}
      <div class="form-actions"><button type="submit">Explain</button></div>
    </form>
    ${answer ? answerView(study, answer) : ''}
  </section>`;
}

function answerView(study: Study, answer: AvailabilityAnswer): SafeHtml {
  const when = formatInterval(answer.start, answer.end, study.timeZone);
  if (answer.offered) {
    return html`<div class="why-answer why-answer--offered" role="status">
      <p><strong>Offered.</strong> Participants can book ${when}.</p>
    </div>`;
  }
  return html`<div class="why-answer" role="status">
    <p><strong>Not offered:</strong> ${when}</p>
    <ul>
      ${answer.reasons.map((reason) => html`<li data-reason="${reason.code}">${reason.message}</li>`)}
    </ul>
  </div>`;
}
