import { html, type SafeHtml } from '../web/html';
import type { FormFieldError } from './study-form-input';

/** Pieces of the console's forms: an error beside its field, and a group of radios. */

/** The messages for fields whose id starts with `prefix` (a range row has two inputs). */
export function errorsFor(errors: FormFieldError[], ...fields: string[]): FormFieldError[] {
  return errors.filter((error) => fields.includes(error.field));
}

export function errorLines(id: string, errors: FormFieldError[]): SafeHtml | '' {
  if (errors.length === 0) return '';
  return html`<div id="${id}-error" class="field-error">
    ${errors.map((error) => html`<p><span class="visually-hidden">Error:</span> ${error.message}</p>`)}
  </div>`;
}

export function radios(
  name: string,
  legend: string,
  checked: string,
  choices: [string, string, string][],
  errors: FormFieldError[],
): SafeHtml {
  const mine = errorsFor(errors, name);
  return html`<fieldset class="${mine.length > 0 ? 'field radios has-error' : 'field radios'}">
    <legend>${legend}</legend>
    ${errorLines(name, mine)}
    ${choices.map(
      ([value, label, hint], index) =>
        html`<div class="radio">
          <input
            type="radio"
            id="${index === 0 ? name : `${name}-${value}`}"
            name="${name}"
            value="${value}"
            aria-describedby="${name}-${value}-hint"
            ${checked === value ? html`checked` : ''}
          />
          <label for="${index === 0 ? name : `${name}-${value}`}">${label}</label>
          <p id="${name}-${value}-hint" class="hint">${hint}</p>
        </div>`,
    )}
  </fieldset>`;
}
