import { checkedWebUrl, emailDocument, escapeHtml } from './html';
import { oneLine } from './one-line';

export interface InvitationEmailInput {
  participantName: string;
  studyTitle: string;
  durationMinutes: number;
  researcherName: string;
  /** The participant's personal booking link (it carries the booking token). */
  bookingUrl: string;
  /** A re-invitation replaces an earlier link, which stops working. */
  kind: 'invitation' | 'reinvitation';
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The email that brings a participant to the booking page: the study, how long the interview
 * takes and the link, as plain text and as simple, accessible HTML. No images, no tracking
 * pixels, no rewritten links — the link in the email is the booking link itself.
 */
export function renderInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  const url = checkedWebUrl(input.bookingUrl);
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes <= 0) {
    throw new Error('durationMinutes must be a positive whole number');
  }
  const title = oneLine(input.studyTitle);
  const participant = oneLine(input.participantName);
  const researcher = oneLine(input.researcherName) || 'The research team';
  const duration = `${input.durationMinutes} minute${input.durationMinutes === 1 ? '' : 's'}`;
  const reinvitation = input.kind === 'reinvitation';

  const subject = reinvitation
    ? `New link to choose your interview time: ${title}`
    : `Choose a time for your interview: ${title}`;
  const greeting = participant ? `Hello ${participant},` : 'Hello,';
  const opening = reinvitation
    ? `${researcher} has sent you a new link to choose a time for your interview for the study “${title}”. Any earlier link no longer works.`
    : `${researcher} invites you to an interview for the study “${title}”.`;
  const length = `The interview takes ${duration}. You choose the time yourself; times are shown in your own time zone.`;
  const after =
    'Once you have picked a time, you will receive a calendar invitation with a link to join the video call.';
  const ignore = 'If you did not expect this email, you can ignore it.';

  const text =
    [greeting, opening, length, `Choose a time:\n${url}`, after, ignore, researcher].join('\n\n') + '\n';

  const e = escapeHtml;
  const html = emailDocument(
    subject,
    `<p>${e(greeting)}</p>
<p>${e(opening)}</p>
<p>${e(length)}</p>
<p><a href="${e(url)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;">Choose a time</a></p>
<p>If the button does not work, copy this address into your browser:<br><a href="${e(url)}" style="color:#1a56db;word-break:break-all;">${e(url)}</a></p>
<p>${e(after)}</p>
<p style="color:#555555;font-size:14px;">${e(ignore)}</p>
<p>${e(researcher)}</p>`,
  );
  return { subject, text, html };
}
