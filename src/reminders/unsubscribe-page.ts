import { html, type SafeHtml } from '../web/html';
import { renderDocument } from '../web/page-document';

/** The page behind a reminder's unsubscribe link: a question first, the answer after the POST. */
export function renderUnsubscribePage(
  view: { studyTitle: string; state: 'asking' | 'unsubscribed'; action: string },
  stylesheet: string,
): string {
  const body: SafeHtml =
    view.state === 'unsubscribed'
      ? html`<h1>You are unsubscribed</h1>
          <p role="status">You will get no more reminders for this study.</p>
          <p>Study: ${view.studyTitle}</p>
          <p>
            Your interview itself is not changed: the calendar invitation and your booking link still work.
          </p>`
      : html`<h1>Stop interview reminders?</h1>
          <p>Study: ${view.studyTitle}</p>
          <p>
            We send reminder emails before your interview. If you unsubscribe, you will get no more reminders
            for this study. Your interview itself is not changed.
          </p>
          <form method="post" action="${view.action}">
            <button type="submit" class="button">Unsubscribe from reminders</button>
          </form>`;
  return renderDocument(
    view.state === 'unsubscribed' ? 'Unsubscribed from reminders' : 'Stop interview reminders?',
    { stylesheet },
    html`<main id="main" class="page">${body}</main>`,
  );
}
