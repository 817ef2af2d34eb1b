import { html, type SafeHtml } from '../web/html';
import { errorLines, errorsFor } from './form-fields';
import type { FormFieldError, OverrideRow, TimeRange } from './study-form-input';

/**
 * The weekly-hours editor: a fieldset per weekday and one for date overrides, with the
 * names readStudyForm reads. Used by the study form and by a host's Your hours page; the
 * study form's script (data-rows) adds and removes rows.
 */

/** The day's ranges plus one spare empty row (the script removes it and offers Add instead). */
export function dayFieldset(
  day: string,
  name: string,
  ranges: TimeRange[],
  errors: FormFieldError[],
): SafeHtml {
  const rows = [...ranges, { start: '', end: '' }];
  return html`<fieldset class="day-ranges" data-rows>
    <legend>${name}</legend>
    <ul class="time-ranges" data-row-list>
      ${rows.map((range, index) => {
        const id = `weekly-${day}-${index}`;
        const mine = errorsFor(errors, `${id}-start`, `${id}-end`);
        return html`<li
          class="${mine.length > 0 ? 'time-range has-error' : 'time-range'}"
          data-row
          ${index === ranges.length ? html`data-spare` : ''}
        >
          ${errorLines(id, mine)}
          <span class="time-input">
            <label for="${id}-start">From<span class="visually-hidden"> (${name})</span></label>
            <input
              type="time"
              id="${id}-start"
              name="weekly[${day}][${index}][start]"
              value="${range.start}"
            />
          </span>
          <span class="time-input">
            <label for="${id}-end">To<span class="visually-hidden"> (${name})</span></label>
            <input type="time" id="${id}-end" name="weekly[${day}][${index}][end]" value="${range.end}" />
          </span>
          <button type="button" class="secondary" data-remove-row hidden>
            Remove<span class="visually-hidden"> this ${name} time range</span>
          </button>
        </li>`;
      })}
    </ul>
    <button type="button" class="secondary" data-add-row hidden>
      Add time range<span class="visually-hidden"> on ${name}</span>
    </button>
  </fieldset>`;
}

export function overrideFieldset(overrides: OverrideRow[], errors: FormFieldError[]): SafeHtml {
  const rows = [...overrides, { date: '', start: '', end: '' }];
  return html`<fieldset class="day-ranges" data-rows>
    <legend>Dates that differ from the week</legend>
    <p class="hint">
      A date without hours is closed all day. A date with hours has only those hours: add a row per time
      range.
    </p>
    <ul class="time-ranges" data-row-list>
      ${rows.map((row, index) => {
        const id = `override-${index}`;
        const mine = errorsFor(errors, `${id}-date`, `${id}-start`, `${id}-end`);
        return html`<li
          class="${mine.length > 0 ? 'time-range has-error' : 'time-range'}"
          data-row
          ${index === overrides.length ? html`data-spare` : ''}
        >
          ${errorLines(id, mine)}
          <span class="time-input">
            <label for="${id}-date">Date</label>
            <input type="date" id="${id}-date" name="overrides[${index}][date]" value="${row.date}" />
          </span>
          <span class="time-input">
            <label for="${id}-start">From<span class="visually-hidden"> (date override)</span></label>
            <input type="time" id="${id}-start" name="overrides[${index}][start]" value="${row.start}" />
          </span>
          <span class="time-input">
            <label for="${id}-end">To<span class="visually-hidden"> (date override)</span></label>
            <input type="time" id="${id}-end" name="overrides[${index}][end]" value="${row.end}" />
          </span>
          <button type="button" class="secondary" data-remove-row hidden>
            Remove<span class="visually-hidden"> this date override</span>
          </button>
        </li>`;
      })}
    </ul>
    <button type="button" class="secondary" data-add-row hidden>Add date</button>
  </fieldset>`;
}
