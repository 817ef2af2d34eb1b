import { emailDocument, escapeHtml } from './html';
import { oneLine } from './one-line';

/**
 * The emails the service sends participants, each with a subject and a plain-text body a
 * study may override, written with `{{placeholders}}`. Pure: what may be written, the
 * built-in wording, the checks a study's override passes on save, and rendering.
 *
 * The researcher only ever writes text. The HTML part is made from the rendered text here
 * (every character escaped, blank lines as paragraphs, web addresses as links), so nothing a
 * researcher, a participant or a study title contains can become markup in an email.
 */
export const EMAIL_TEMPLATE_KINDS = [
  'invitation',
  'confirmation',
  'update',
  'cancellation',
  'reminder',
] as const;
export type EmailTemplateKind = (typeof EMAIL_TEMPLATE_KINDS)[number];

const COMMON = ['participantName', 'studyTitle', 'durationMinutes', 'researcherName'] as const;
/** An interview that is booked: when (in the participant's zone, named), where, and the links. */
const BOOKED = ['interviewTime', 'timeZone', 'meetUrl', 'rescheduleUrl', 'cancelUrl'] as const;

/** What each kind's subject and body may use. */
export const EMAIL_PLACEHOLDERS = {
  invitation: [...COMMON, 'bookingUrl'],
  confirmation: [...COMMON, ...BOOKED],
  update: [...COMMON, ...BOOKED, 'previousInterviewTime'],
  cancellation: [...COMMON, 'interviewTime', 'timeZone', 'bookingUrl'],
  reminder: [...COMMON, ...BOOKED, 'unsubscribeUrl'],
} as const satisfies Record<EmailTemplateKind, readonly string[]>;

export type EmailPlaceholder<K extends EmailTemplateKind> = (typeof EMAIL_PLACEHOLDERS)[K][number];
/**
 * The values a send fills in, all text: `durationMinutes` is the number ("45"), times are
 * already formatted in the participant's zone, `timeZone` names that zone in words. An empty
 * value means "not available" (no Meet link yet, the study closed): see renderEmailTemplate.
 */
export type EmailTemplateValues<K extends EmailTemplateKind> = Record<EmailPlaceholder<K>, string>;

/**
 * The links without which the email fails its purpose: a participant who cannot reach the
 * booking page cannot book, move, cancel or stop reminders. A body without them is refused
 * on save; one stored before a rule was added gets them appended when rendered.
 */
export const REQUIRED_PLACEHOLDERS: { [K in EmailTemplateKind]: readonly EmailPlaceholder<K>[] } = {
  invitation: ['bookingUrl'],
  confirmation: ['rescheduleUrl', 'cancelUrl'],
  update: ['rescheduleUrl', 'cancelUrl'],
  cancellation: [],
  reminder: ['rescheduleUrl', 'cancelUrl', 'unsubscribeUrl'],
};

/** Placeholders that hold web addresses: checked to be http(s) when rendered. */
const URL_PLACEHOLDERS = new Set(['bookingUrl', 'meetUrl', 'rescheduleUrl', 'cancelUrl', 'unsubscribeUrl']);

/** How an appended required link is introduced. */
const LINK_LABELS: Record<string, string> = {
  bookingUrl: 'Choose a time',
  rescheduleUrl: 'Choose another time',
  cancelUrl: 'Cancel the interview',
  unsubscribeUrl: 'Stop these reminders',
};

/** One kind's override, as a study stores it. */
export interface EmailTemplate {
  subject: string;
  body: string;
}
export type StudyEmailTemplates = { [K in EmailTemplateKind]?: EmailTemplate };

export const EMAIL_KIND_LABELS: Record<EmailTemplateKind, string> = {
  invitation: 'Invitation',
  confirmation: 'Confirmation',
  update: 'Update',
  cancellation: 'Cancellation',
  reminder: 'Reminder',
};

export const MAX_SUBJECT_LENGTH = 200;
export const MAX_BODY_LENGTH = 10_000;

/** The built-in wording; the invitation's is exactly what renderInvitationEmail writes. */
export const DEFAULT_EMAIL_TEMPLATES: { [K in EmailTemplateKind]: EmailTemplate } = {
  invitation: {
    subject: 'Choose a time for your interview: {{studyTitle}}',
    body: `Hello {{participantName}},

{{researcherName}} invites you to an interview for the study “{{studyTitle}}”.

The interview takes {{durationMinutes}} minutes. You choose the time yourself; times are shown in your own time zone.

Choose a time:
{{bookingUrl}}

Once you have picked a time, you will receive a calendar invitation with a link to join the video call.

If you did not expect this email, you can ignore it.

{{researcherName}}`,
  },
  confirmation: {
    subject: 'Your interview is booked: {{studyTitle}}, {{interviewTime}}',
    body: `Hello {{participantName}},

Your interview for the study “{{studyTitle}}” is booked for {{interviewTime}} ({{timeZone}}). It takes {{durationMinutes}} minutes.

Join with Google Meet: {{meetUrl}}

Need another time? {{rescheduleUrl}}
Cannot make it? Cancel here: {{cancelUrl}}

{{researcherName}}`,
  },
  update: {
    subject: 'Your interview has moved: {{studyTitle}}, {{interviewTime}}',
    body: `Hello {{participantName}},

Your interview for the study “{{studyTitle}}” now takes place at {{interviewTime}} ({{timeZone}}).
It was at {{previousInterviewTime}}.

Join with Google Meet: {{meetUrl}}

Need another time? {{rescheduleUrl}}
Cannot make it? Cancel here: {{cancelUrl}}

{{researcherName}}`,
  },
  cancellation: {
    subject: 'Your interview was cancelled: {{studyTitle}}',
    body: `Hello {{participantName}},

Your interview for the study “{{studyTitle}}” at {{interviewTime}} ({{timeZone}}) was cancelled.

Book a new time: {{bookingUrl}}

{{researcherName}}`,
  },
  reminder: {
    subject: 'Reminder: your interview at {{interviewTime}}: {{studyTitle}}',
    body: `Hello {{participantName}},

This is a reminder of your interview for the study “{{studyTitle}}” at {{interviewTime}} ({{timeZone}}). It takes {{durationMinutes}} minutes.

Join with Google Meet: {{meetUrl}}

Need another time? {{rescheduleUrl}}
Cannot make it? Cancel here: {{cancelUrl}}

{{researcherName}}

Stop these reminders: {{unsubscribeUrl}}`,
  },
};

/** `{{ name }}`: what is filled in. */
const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
/** Anything in double braces, to catch `{{booking_url}}` and `{{ }}` as mistakes too. */
const BRACED = /\{\{([^{}]{0,60})\}\}/g;

export type TemplatePart = 'subject' | 'body';

/** What is wrong with an override, on the part a person has to change. */
export interface TemplateProblem {
  part: TemplatePart;
  message: string;
  /** The placeholder the problem is about, when it is about one. */
  placeholder?: string;
}

const braces = (name: string) => `{{${name}}}`;

/** The checks a study's override passes on save; messages name the email and the placeholder. */
export function checkEmailTemplate(kind: EmailTemplateKind, template: EmailTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const email = `The ${kind} email`;
  const allowed = new Set<string>(EMAIL_PLACEHOLDERS[kind]);
  const list = EMAIL_PLACEHOLDERS[kind].map(braces).join(', ');

  if (template.subject.trim() === '') problems.push({ part: 'subject', message: `${email} needs a subject` });
  if (/[\r\n]/.test(template.subject)) {
    problems.push({ part: 'subject', message: `${email}'s subject must be one line` });
  }
  if (template.body.trim() === '') problems.push({ part: 'body', message: `${email} needs a body` });

  for (const part of ['subject', 'body'] as const) {
    const seen = new Set<string>();
    for (const match of template[part].matchAll(BRACED)) {
      const name = (match[1] ?? '').trim();
      if (allowed.has(name) || seen.has(name)) continue;
      seen.add(name);
      problems.push({
        part,
        placeholder: name,
        message: `${email}'s ${part} has an unknown placeholder {{${name}}}; use ${list}`,
      });
    }
  }

  const used = new Set(usedPlaceholders(template.body));
  for (const name of REQUIRED_PLACEHOLDERS[kind] as readonly string[]) {
    if (used.has(name)) continue;
    problems.push({
      part: 'body',
      placeholder: name,
      message: `${email}'s body must contain ${braces(name)}: without it the participant has no link to ${LINK_LABELS[name]?.toLowerCase() ?? name}`,
    });
  }
  return problems;
}

function usedPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

export interface RenderedTemplate {
  subject: string;
  text: string;
  html: string;
}

/**
 * The email of `kind` for one participant: the study's override, or the built-in wording.
 * Values are filled in once (a value that looks like a placeholder stays as typed), and made
 * one line each. A body line whose placeholder has an empty value is left out, so "Join with
 * Google Meet: " never goes out without its link. A required link the body lacks (an override
 * older than the rule) is appended: a participant always gets their link.
 */
export function renderEmailTemplate<K extends EmailTemplateKind>(
  kind: K,
  override: EmailTemplate | undefined,
  values: EmailTemplateValues<K>,
): RenderedTemplate {
  const template = override ?? DEFAULT_EMAIL_TEMPLATES[kind];
  const filled = cleanValues(values as Record<string, string>);

  const subject =
    oneLine(fill(template.subject, filled)) || oneLine(fill(DEFAULT_EMAIL_TEMPLATES[kind].subject, filled));

  const lines = template.body.replace(/\r\n?/g, '\n').split('\n');
  const used = new Set(usedPlaceholders(template.body));
  for (const name of REQUIRED_PLACEHOLDERS[kind] as readonly string[]) {
    if (!filled[name]) throw new Error(`${name} is required for the ${kind} email`);
    if (!used.has(name)) lines.push('', `${LINK_LABELS[name] ?? name}:`, braces(name));
  }
  const kept = lines
    .filter((line) => usedPlaceholders(line).every((name) => filled[name] !== ''))
    .map((line) => fill(line, filled).trimEnd());
  const text = `${kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;

  return { subject, text, html: renderEmailHtml(subject, text) };
}

/** Values made one line; a web address must be http(s), or it is a mistake of the caller. */
function cleanValues(values: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const line = oneLine(value);
    if (line !== '' && URL_PLACEHOLDERS.has(name) && !isWebAddress(line)) {
      throw new Error(`${name} must be an http(s) URL`);
    }
    clean[name] = line;
  }
  return clean;
}

function fill(text: string, values: Record<string, string>): string {
  // One pass: a filled-in value is never read again for placeholders.
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

function isWebAddress(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

/** http(s) addresses in running text; punctuation that ends a sentence is not part of one. */
const WEB_ADDRESS = /https?:\/\/[^\s<>"]+/g;
const TRAILING = /[.,;:!?)\]}'’”»]+$/;

/** The HTML inside `<main>`: paragraphs from blank lines, line breaks kept, links made. */
export function emailHtmlBody(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(linkedLine).join('<br>\n')}</p>`)
    .join('\n');
}

function linkedLine(line: string): string {
  let out = '';
  let at = 0;
  for (const match of line.matchAll(WEB_ADDRESS)) {
    const found = match[0];
    const address = found.replace(TRAILING, '');
    const start = match.index;
    out += escapeHtml(line.slice(at, start));
    if (isWebAddress(address)) {
      out += `<a href="${escapeHtml(address)}" style="color:#1a56db;word-break:break-all;">${escapeHtml(address)}</a>`;
    } else {
      out += escapeHtml(address);
    }
    at = start + address.length;
  }
  return out + escapeHtml(line.slice(at));
}

/** The whole HTML part of an email, from its subject and rendered text. */
export function renderEmailHtml(subject: string, text: string): string {
  return emailDocument(subject, `${emailHtmlBody(text)}`);
}
