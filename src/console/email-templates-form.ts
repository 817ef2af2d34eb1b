import {
  DEFAULT_EMAIL_TEMPLATES,
  EMAIL_KIND_LABELS,
  EMAIL_PLACEHOLDERS,
  EMAIL_TEMPLATE_KINDS,
  REQUIRED_PLACEHOLDERS,
  checkEmailTemplate,
  emailHtmlBody,
  renderEmailTemplate,
  type EmailTemplateKind,
  type EmailTemplateValues,
} from '../mail/email-templates';
import { formatInterval } from '../web/format-time';
import { html, type SafeHtml } from '../web/html';
import { emailFieldId, type FormFieldError, type StudyFormValues } from './study-form-input';
import { dateTimeFormat } from '../availability/date-time-formats';

/** What the kinds are for, in the researcher's words. */
const KIND_HINTS: Record<EmailTemplateKind, string> = {
  invitation: 'Sent when you add or re-invite a participant: the link to choose a time.',
  confirmation: 'Sent when a participant books.',
  update: 'Sent when an interview moves.',
  cancellation: 'Sent when an interview is cancelled.',
  reminder: 'Sent before an interview.',
};

/** A preview asked for from the form: the kind, and the settings as typed. */
export interface EmailPreviewRequest {
  kind: EmailTemplateKind;
  values: StudyFormValues;
  researcherName: string;
  publicUrl: string;
  now: Date;
}

/**
 * The study form's "Emails to participants": one collapsed fieldset per kind (opened when it
 * has the study's own words, an error, or the preview), each with its Subject and Body, the
 * placeholders it may use, the built-in wording to start from, and a Preview button. Preview
 * posts the whole form to the preview address (nothing is saved), so it works without script.
 */
export function emailTemplatesSection(
  values: StudyFormValues,
  errors: FormFieldError[],
  previewAction: string,
  preview: EmailPreviewRequest | undefined,
): SafeHtml {
  return html`<section class="card" aria-labelledby="emails-heading">
    <h2 id="emails-heading">Emails to participants</h2>
    <p class="hint">
      Leave an email’s subject and body empty to send the built-in wording. Placeholders in double braces are
      filled in for each participant; the HTML version of each email is made from your text, and links become
      clickable.
    </p>
    ${EMAIL_TEMPLATE_KINDS.map((kind) =>
      kindFieldset(kind, values, errors, previewAction, preview?.kind === kind ? preview : undefined),
    )}
  </section>`;
}

function kindFieldset(
  kind: EmailTemplateKind,
  values: StudyFormValues,
  errors: FormFieldError[],
  previewAction: string,
  preview: EmailPreviewRequest | undefined,
): SafeHtml {
  const typed = values.emailTemplates[kind];
  const subjectId = emailFieldId(kind, 'subject');
  const bodyId = emailFieldId(kind, 'body');
  const subjectErrors = errors.filter((error) => error.field === subjectId);
  const bodyErrors = errors.filter((error) => error.field === bodyId);
  const open =
    typed.subject !== '' || typed.body !== '' || subjectErrors.length + bodyErrors.length > 0 || !!preview;
  const label = `${EMAIL_KIND_LABELS[kind]} email`;
  const required = REQUIRED_PLACEHOLDERS[kind] as readonly string[];
  const defaults = DEFAULT_EMAIL_TEMPLATES[kind];
  return html`<details class="email-template" id="email-${kind}" ${open ? 'open' : ''}>
    <summary>${label}${typed.subject !== '' || typed.body !== '' ? ' (your wording)' : ''}</summary>
    <fieldset>
      <legend class="visually-hidden">${label}</legend>
      <p class="hint">${KIND_HINTS[kind]}</p>
      <p class="hint" id="email-${kind}-placeholders">
        Placeholders: ${EMAIL_PLACEHOLDERS[kind].map((name) => html`<code>{{${name}}}</code>`)}
        ${
          required.length > 0
            ? html`<br />The body must contain: ${required.map((name) => html`<code>{{${name}}}</code>`)}`
            : ''
        }
      </p>
      ${field(
        subjectId,
        'Subject',
        subjectErrors,
        (described) =>
          html`<input
            type="text"
            id="${subjectId}"
            name="${subjectId}"
            value="${typed.subject}"
            maxlength="200"
            aria-describedby="${described}"
          />`,
      )}
      ${field(
        bodyId,
        'Body',
        bodyErrors,
        (described) =>
          html`<textarea id="${bodyId}" name="${bodyId}" rows="10" aria-describedby="${described}">
${typed.body}</textarea>`,
      )}
      <details class="built-in">
        <summary>The built-in ${label.toLowerCase()}, to start from</summary>
        <pre>
${defaults.subject}

${defaults.body}</pre>
      </details>
      <div class="form-actions">
        <button
          type="submit"
          class="secondary"
          formaction="${previewAction}#email-preview"
          name="previewKind"
          value="${kind}"
        >
          Preview ${label.toLowerCase()}
        </button>
      </div>
      ${preview ? previewCard(preview) : ''}
    </fieldset>
  </details>`;

  function field(
    id: string,
    name: string,
    mine: FormFieldError[],
    control: (described: string) => SafeHtml,
  ): SafeHtml {
    const described = [`email-${kind}-placeholders`, mine.length > 0 ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="${mine.length > 0 ? 'field has-error' : 'field'}">
      <label for="${id}">${name}<span class="visually-hidden"> of the ${label.toLowerCase()}</span></label>
      ${
        mine.length > 0
          ? html`<div id="${id}-error" class="field-error">
              ${mine.map((error) => html`<p><span class="visually-hidden">Error:</span> ${error.message}</p>`)}
            </div>`
          : ''
      }
      ${control(described)}
    </div>`;
  }
}

/**
 * The email as a participant would get it, with sample values: subject, plain text and the
 * HTML made from it (the same markup the email carries, shown in the page). The typed wording
 * is checked first; a refusal lists what to change instead.
 */
function previewCard(preview: EmailPreviewRequest): SafeHtml {
  const { kind } = preview;
  const typed = preview.values.emailTemplates[kind];
  const own = typed.subject.trim() !== '' || typed.body.trim() !== '';
  const template = own ? { subject: typed.subject.trim(), body: typed.body } : undefined;
  const problems = template ? checkEmailTemplate(kind, template) : [];
  const heading = html`<h3 id="email-preview-heading">
    Preview: ${EMAIL_KIND_LABELS[kind].toLowerCase()}
    email${own ? ' as typed (not saved yet)' : ', built-in wording'}
  </h3>`;
  if (problems.length > 0) {
    return html`<section
      class="email-preview"
      id="email-preview"
      aria-labelledby="email-preview-heading"
      tabindex="-1"
    >
      ${heading}
      <p>The preview shows once the email is complete:</p>
      <ul>
        ${problems.map(
          (problem) => html`<li><a href="#${emailFieldId(kind, problem.part)}">${problem.message}</a></li>`,
        )}
      </ul>
    </section>`;
  }
  const rendered = renderEmailTemplate(kind, template, sampleValues(preview) as never);
  return html`<section
    class="email-preview"
    id="email-preview"
    aria-labelledby="email-preview-heading"
    tabindex="-1"
  >
    ${heading}
    <p class="hint">With sample values; the links are examples and lead nowhere.</p>
    <dl class="facts">
      <dt>Subject</dt>
      <dd data-preview-subject>${rendered.subject}</dd>
    </dl>
    <h4>Plain text</h4>
    <pre class="email-preview-text" data-preview-text>${rendered.text}</pre>
    <h4>HTML</h4>
    <div class="email-preview-html" data-preview-html>${{ safeHtml: emailHtmlBody(rendered.text) }}</div>
  </section>`;
}

/** Sample values for every placeholder of every kind, from the study as typed where it can. */
function sampleValues(
  preview: EmailPreviewRequest,
): EmailTemplateValues<'reminder'> &
  EmailTemplateValues<'update'> &
  EmailTemplateValues<'cancellation'> &
  EmailTemplateValues<'invitation'> {
  const { values, publicUrl, now } = preview;
  const minutes = /^\d{1,3}$/.test(values.durationMinutes.trim()) ? values.durationMinutes.trim() : '45';
  const zone = isZone(values.timeZone.trim()) ? values.timeZone.trim() : 'UTC';
  const start = new Date(Math.ceil((now.getTime() + 86_400_000) / 3_600_000) * 3_600_000);
  const end = new Date(start.getTime() + Number(minutes) * 60_000);
  const earlier = new Date(start.getTime() - 86_400_000);
  const link = `${publicUrl}/book/SAMPLE-LINK`;
  const when = (from: Date, to: Date) => formatInterval(from, to, zone).replace(/ \([^)]*\)$/, '');
  return {
    participantName: 'Alex Example',
    studyTitle: values.title.trim() || 'Your study',
    durationMinutes: minutes,
    researcherName: preview.researcherName || 'The research team',
    bookingUrl: link,
    interviewTime: when(start, end),
    previousInterviewTime: when(earlier, new Date(earlier.getTime() + Number(minutes) * 60_000)),
    timeZone: zone,
    meetUrl: 'https://meet.google.com/abc-defg-hij',
    rescheduleUrl: `${link}?step=reschedule`,
    cancelUrl: `${link}?step=cancel`,
    unsubscribeUrl: `${link}/reminders/off`,
  };
}

function isZone(zone: string): boolean {
  try {
    dateTimeFormat('en', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}
