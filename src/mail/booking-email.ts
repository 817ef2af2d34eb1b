import { describeTimeZone } from '../web/time-zone-name';
import { buildIcs } from './ics';
import { checkedWebUrl, emailDocument, escapeHtml } from './html';
import { formatWhen, renderInterviewDetails } from './interview-details';
import type { RenderedEmail } from './invitation-email';
import { oneLine } from './one-line';
import { revivalWording, WORDING, type BookingEmailKind } from './booking-email-wording';

/** Everything one email about a booked interview is made of, as it stands at send time. */
export interface BookingEmailFacts {
  kind: BookingEmailKind;
  participantName: string;
  studyTitle: string;
  researcherName: string;
  start: Date;
  end: Date;
  /** The participant's zone, else the study's. */
  timeZone: string;
  meetUrl: string | null;
  /** The participant's booking link; null when none is kept (then no links are offered). */
  bookingUrl: string | null;
  /** Update: the time the interview had before the move. */
  previous?: { start: Date; end: Date } | undefined;
  /** Cancellation: whether a new time can still be booked (the study is open). */
  studyOpen: boolean;
  /** Confirmation: the calendar brought the cancelled interview back. */
  revived?: boolean;
  /** The calendar file's identity and content (a cancellation's file removes the event). */
  calendar: { uid: string; sequence: number; summary: string; description: string; stamp: Date };
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface RenderedBookingEmail extends RenderedEmail {
  attachments: Attachment[];
}

/**
 * The confirmation, update or cancellation email, as plain text and simple HTML: the
 * kind's wording, then the interview block (time in the participant's zone with the zone
 * named, Meet link, Reschedule and Cancel links), and the `.ics` file. A cancellation offers
 * "book a new time" (the booking link itself) while the study is open, and a calendar file
 * that removes the event.
 */
export function renderBookingEmail(facts: BookingEmailFacts): RenderedBookingEmail {
  const participant = oneLine(facts.participantName);
  const researcher = oneLine(facts.researcherName) || 'The research team';
  const wording = (facts.revived ? revivalWording : WORDING[facts.kind])({
    participantName: participant,
    studyTitle: oneLine(facts.studyTitle),
    researcherName: researcher,
    when: formatWhen(facts.start, facts.end, facts.timeZone),
    ...(facts.previous
      ? { previousWhen: formatWhen(facts.previous.start, facts.previous.end, facts.timeZone) }
      : {}),
  });
  const subject = oneLine(wording.subject);
  const greeting = participant ? `Hello ${participant},` : 'Hello,';
  const e = escapeHtml;

  let textBlocks: string[];
  let htmlBlocks: string[];
  if (facts.kind === 'cancellation') {
    const rebook = facts.studyOpen && facts.bookingUrl ? checkedWebUrl(facts.bookingUrl) : null;
    const after = rebook
      ? 'You can book a new time whenever suits you:'
      : 'No interview is booked for you now. Reply to the research team if you have questions.';
    // The time that is off, in the participant's zone and with the zone named, as elsewhere.
    const when = formatWhen(facts.start, facts.end, facts.timeZone);
    const zone = describeTimeZone(facts.timeZone, facts.start).label;
    textBlocks = [`Was: ${when}\nTime zone: ${zone}`, rebook ? `${after}\n${rebook}` : after];
    htmlBlocks = [
      `<dl style="margin:16px 0;"><dt style="font-weight:bold;">Was</dt><dd style="margin:0 0 8px 0;">${e(when)}</dd><dt style="font-weight:bold;">Time zone</dt><dd style="margin:0 0 8px 0;">${e(zone)}</dd></dl>`,
      `<p>${e(after)}</p>`,
      ...(rebook
        ? [
            `<p><a href="${e(rebook)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;">Book a new time</a></p>`,
          ]
        : []),
    ];
  } else {
    const details = renderInterviewDetails({
      start: facts.start,
      end: facts.end,
      timeZone: facts.timeZone,
      meetUrl: facts.meetUrl,
      bookingUrl: facts.bookingUrl,
    });
    const calendarNote = 'The attached calendar file (invite.ics) adds the interview to any calendar.';
    textBlocks = [details.text.join('\n'), calendarNote];
    htmlBlocks = [details.html, `<p>${e(calendarNote)}</p>`];
  }

  const text = [greeting, wording.intro, ...textBlocks, researcher].join('\n\n') + '\n';
  const html = emailDocument(
    subject,
    `<p>${e(greeting)}</p>
<p>${e(wording.intro)}</p>
${htmlBlocks.join('\n')}
<p>${e(researcher)}</p>`,
  );
  return { subject, text, html, attachments: calendarAttachments(facts) };
}

/**
 * The `.ics`: the event for a confirmation or an update; for a cancellation the same UID
 * cancelled (METHOD:CANCEL), so a participant who imported the earlier file can remove it.
 */
export function calendarAttachments(facts: BookingEmailFacts): Attachment[] {
  const cancelled = facts.kind === 'cancellation';
  return [
    {
      filename: 'invite.ics',
      contentType: `text/calendar; charset=utf-8; method=${cancelled ? 'CANCEL' : 'PUBLISH'}`,
      content: buildIcs({
        ...facts.calendar,
        start: facts.start,
        end: facts.end,
        meetUrl: facts.meetUrl ? checkedWebUrl(facts.meetUrl) : null,
        cancelled,
      }),
    },
  ];
}
