import { describeTimeZone } from '../web/time-zone-name';
import { checkedWebUrl, escapeHtml } from './html';
import { dateTimeFormat } from '../availability/date-time-formats';

/** What every email about a booked interview tells the participant. */
export interface InterviewDetails {
  start: Date;
  end: Date;
  /** The participant's zone (their browser's when they booked), else the study's. */
  timeZone: string;
  /** Null while Google is still creating the Meet conference, or when there is none. */
  meetUrl: string | null;
  /** The participant's booking link; the reschedule and cancel links open it at that step. */
  bookingUrl: string | null;
}

export interface RenderedDetails {
  /** Plain-text lines, one fact each. */
  text: string[];
  /** The same facts as an HTML fragment (a definition list), every value escaped. */
  html: string;
}

/** The booking page opened at one step: what the Reschedule and Cancel links point to. */
export function bookingStepUrl(bookingUrl: string, step: 'reschedule' | 'cancel'): string {
  const url = new URL(bookingUrl);
  url.searchParams.set('step', step);
  return url.href;
}

/**
 * "Tuesday, 8 December 2026, 10:00–10:45" in the zone, the zone in words with its offset on
 * that date, the Meet link, and the links to move or cancel — the same block in the
 * confirmation, update and reminder emails.
 */
export function renderInterviewDetails(details: InterviewDetails): RenderedDetails {
  const when = formatWhen(details.start, details.end, details.timeZone);
  const zone = describeTimeZone(details.timeZone, details.start).label;
  const join = details.meetUrl ? checkedWebUrl(details.meetUrl) : null;
  const links = details.bookingUrl
    ? {
        reschedule: bookingStepUrl(checkedWebUrl(details.bookingUrl), 'reschedule'),
        cancel: bookingStepUrl(checkedWebUrl(details.bookingUrl), 'cancel'),
      }
    : null;

  const text = [`When: ${when}`, `Time zone: ${zone}`];
  text.push(
    join
      ? `Join with Google Meet: ${join}`
      : 'Video call: the link is in the calendar invitation from Google.',
  );
  if (links)
    text.push(
      `Need another time? Reschedule: ${links.reschedule}`,
      `Cannot make it? Cancel: ${links.cancel}`,
    );

  const e = escapeHtml;
  const link = (href: string, label: string) => `<a href="${e(href)}" style="color:#1a56db;">${e(label)}</a>`;
  const rows: [string, string][] = [
    ['When', e(when)],
    ['Time zone', e(zone)],
    ['Video call', join ? link(join, join) : 'The link is in the calendar invitation from Google.'],
  ];
  const html = [
    '<dl style="margin:16px 0;">',
    ...rows.map(
      ([term, value]) =>
        `<dt style="font-weight:bold;">${term}</dt><dd style="margin:0 0 8px 0;word-break:break-word;">${value}</dd>`,
    ),
    '</dl>',
    links ? `<p>${link(links.reschedule, 'Reschedule')} · ${link(links.cancel, 'Cancel')}</p>` : '',
  ].join('\n');
  return { text, html };
}

/** "Tuesday, 8 December 2026, 10:00–10:45"; an interview across midnight names both days. */
export function formatWhen(start: Date, end: Date, timeZone: string): string {
  const day = (at: Date) =>
    dateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }).format(at);
  const time = (at: Date) =>
    dateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
  return day(start) === day(end)
    ? `${day(start)}, ${time(start)}–${time(end)}`
    : `${day(start)}, ${time(start)} – ${day(end)}, ${time(end)}`;
}
