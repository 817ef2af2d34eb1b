import { html, type SafeHtml } from './html';

/**
 * A refused form's summary at the top of the page (GOV.UK pattern): what is wrong, each
 * message a link to its field. The console's script moves the focus to it.
 */
export function errorSummary(
  heading: string,
  problems: readonly { fieldId: string; message: string }[],
): SafeHtml {
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">${heading}</h2>
    <ul>
      ${problems.map((problem) => html`<li><a href="#${problem.fieldId}">${problem.message}</a></li>`)}
    </ul>
  </div>`;
}
