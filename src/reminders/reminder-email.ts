import { checkedWebUrl, emailDocument, escapeHtml } from '../mail/html';
import { oneLine } from '../mail/one-line';
import { renderInterviewDetails, type InterviewDetails } from '../mail/interview-details';
import type { RenderedEmail } from '../mail/invitation-email';
import { reminderLead } from './reminder-plan';

export interface ReminderEmailInput {
  participantName: string;
  studyTitle: string;
  researcherName: string;
  minutesBefore: number;
  details: InterviewDetails;
  /** One click stops reminders for this study (also in the List-Unsubscribe header). */
  unsubscribeUrl: string;
}

export interface ReminderWording {
  subject: string;
  intro: string;
}

/**
 * The subject and first paragraph, kept apart from the layout: the one place per-study
 * templates will replace (the rest — details, links, unsubscribe — stays the service's).
 */
export function reminderWording(input: {
  participantName: string;
  studyTitle: string;
  minutesBefore: number;
}): ReminderWording {
  const lead = reminderLead(input.minutesBefore);
  const title = oneLine(input.studyTitle);
  return {
    subject: `Reminder: your interview is ${lead} — ${title}`,
    intro: `This is a reminder that your interview for the study “${title}” is ${lead}.`,
  };
}

/** A reminder: wording, the interview details block, and how to stop reminders. */
export function renderReminderEmail(
  input: ReminderEmailInput,
  wording: ReminderWording = reminderWording(input),
): RenderedEmail & { headers: Record<string, string> } {
  const unsubscribe = checkedWebUrl(input.unsubscribeUrl);
  const details = renderInterviewDetails(input.details);
  const participant = oneLine(input.participantName);
  const researcher = oneLine(input.researcherName) || 'The research team';
  const subject = oneLine(wording.subject);
  const greeting = participant ? `Hello ${participant},` : 'Hello,';
  const stop =
    'You get this email because you booked this interview. To get no more reminders for this study:';

  const text =
    [greeting, wording.intro, details.text.join('\n'), researcher, `${stop}\n${unsubscribe}`].join('\n\n') +
    '\n';

  const e = escapeHtml;
  const html = emailDocument(
    subject,
    `<p>${e(greeting)}</p>
<p>${e(wording.intro)}</p>
${details.html}
<p>${e(researcher)}</p>
<p style="color:#555555;font-size:14px;">${e(stop)} <a href="${e(unsubscribe)}" style="color:#1a56db;">Unsubscribe from reminders</a></p>`,
  );
  return {
    subject,
    text,
    html,
    // RFC 2369 and RFC 8058: mail programs offer their own "Unsubscribe" button, which POSTs
    // `List-Unsubscribe=One-Click` to this address without opening a page.
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
