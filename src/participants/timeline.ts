import { formatInterval, formatMoment } from '../web/format-time';
import { isParticipantStatus, STATUS_LABELS } from './status-rules';
import type { TimelineCursor, TimelineRow } from './timeline-repository';

/**
 * The participant's activity timeline as the researcher reads it (API and console alike):
 * each stored row becomes `{ at, kind, summary, details }`, the summary in words with times
 * in the researcher's zone. Pure: the rows come from `readTimeline`, the zone with them.
 */

export const TIMELINE_KINDS = [
  'invited',
  'reinvited',
  'booked',
  'moved',
  'canceled',
  'restored',
  'status',
  'interview_logged',
  'logged_interview_edited',
  'logged_interview_deleted',
  'booking_failed',
  'organizer_changed',
  'rsvp',
  'event_changed',
  'host_response',
  'email',
  'other',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineItem {
  at: Date;
  kind: TimelineKind;
  summary: string;
  details: Record<string, unknown>;
}

/** Email kinds the service sends; any other kind still shows, under a generic label. */
export const EMAIL_LABELS: Readonly<Record<string, string>> = {
  invitation: 'Invitation email',
  reinvitation: 'Re-invitation email',
  confirmation: 'Confirmation email',
  update: 'Update email',
  cancellation: 'Cancellation email',
  reminder: 'Reminder email',
};

const BY: Readonly<Record<string, string>> = {
  researcher: 'the researcher',
  participant: 'the participant',
  calendar: 'Google Calendar',
  system: 'the service',
};

const ANSWERS: Readonly<Record<string, string>> = {
  accepted: 'Yes (accepted)',
  tentative: 'Maybe (tentative)',
  declined: 'No (declined)',
};

const FIELDS: Readonly<Record<string, string>> = {
  title: 'title',
  location: 'location',
  meet: 'Google Meet link',
};

export function describeRow(row: TimelineRow, timeZone: string): TimelineItem {
  const item = (kind: TimelineKind, summary: string, details: Record<string, unknown>): TimelineItem => ({
    at: row.at,
    kind,
    summary,
    details,
  });
  if (row.origin === 'email') return describeEmail(row);
  if (row.origin === 'activity') return describeActivity(row, item);
  return describeHistory(row, timeZone, item);
}

type Make = (kind: TimelineKind, summary: string, details: Record<string, unknown>) => TimelineItem;

/**
 * Who made a change, in words: the researcher by name. A reason is kept out of the summary
 * (it is the researcher's own text, or the calendar's explanation) and given in `details`.
 */
function whoDid(row: TimelineRow): string {
  if (row.source === 'researcher') return row.actorName ?? 'a researcher';
  return BY[row.source ?? ''] ?? 'the service';
}

function describeHistory(row: TimelineRow, timeZone: string, item: Make): TimelineItem {
  const by = whoDid(row);
  const common = {
    source: row.source,
    actor: row.actor,
    ...(row.actorName ? { actorName: row.actorName } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(typeof row.details.bookingId === 'string' ? { bookingId: row.details.bookingId } : {}),
  };
  switch (row.kind) {
    case 'invited':
      return row.fromStatus === null
        ? item(
            'invited',
            row.actorName ? `Invited to the study by ${row.actorName}` : 'Invited to the study',
            common,
          )
        : item('reinvited', `Re-invited by ${by}: a new booking link replaces the old one`, {
            ...common,
            from: row.fromStatus,
          });
    case 'rescheduled': {
      const from = range(row.details.fromStart, row.details.fromEnd);
      const to = range(row.details.toStart, row.details.toEnd);
      return item('moved', `Interview moved by ${by}: ${when(from, timeZone)} → ${when(to, timeZone)}`, {
        ...common,
        from: iso(from),
        to: iso(to),
      });
    }
    case 'booking_failed': {
      const slot = range(row.details.start, row.details.end);
      return item(
        'booking_failed',
        `Booking failed: ${when(slot, timeZone)} could not be put on the calendar; the time was released`,
        { ...common, interview: iso(slot) },
      );
    }
    case 'organizer_changed': {
      const to = typeof row.details.to === 'string' ? row.details.to : 'another calendar';
      return item('organizer_changed', `The event is now organised by ${to} in Google Calendar`, {
        ...common,
        from: row.details.from ?? null,
        to,
      });
    }
    case 'status':
      return describeStatus(row, timeZone, item, common, by);
    default:
      return item('other', `${row.kind}: ${label(row.fromStatus)} → ${label(row.toStatus)}`, common);
  }
}

const label = (status: string | null) => (isParticipantStatus(status) ? STATUS_LABELS[status] : 'none');

function describeStatus(
  row: TimelineRow,
  timeZone: string,
  item: Make,
  common: Record<string, unknown>,
  by: string,
): TimelineItem {
  const change = { ...common, from: row.fromStatus, to: row.toStatus };
  if (row.toStatus === 'scheduled' && (row.source === 'system' || row.details.bookedBy === 'researcher')) {
    const slot = range(row.details.start, row.details.end);
    // A researcher's booking from the console names them (and any override reason, in details).
    const byWhom = row.source === 'researcher' ? ` by ${by}` : '';
    return item('booked', `Interview booked${byWhom} for ${when(slot, timeZone)}`, {
      ...change,
      interview: iso(slot),
    });
  }
  if (typeof row.details.loggedInterviewId === 'string' && row.details.loggedInterviewChange) {
    return describeLoggedChange(row, timeZone, item, change, by);
  }
  if (typeof row.details.loggedInterviewId === 'string') {
    const slot = range(row.details.start, row.details.end);
    return item(
      'interview_logged',
      `Interview held elsewhere logged by ${by}: ${when(slot, timeZone)}, ${label(row.toStatus)}`,
      { ...change, interview: iso(slot), loggedInterviewId: row.details.loggedInterviewId },
    );
  }
  if (row.toStatus === 'scheduled' && row.source !== 'researcher') {
    return item('restored', `Interview restored by ${by}`, change);
  }
  if (row.toStatus === 'canceled') return item('canceled', `Interview canceled by ${by}`, change);
  return item(
    'status',
    `Status changed: ${label(row.fromStatus)} → ${label(row.toStatus)}, by ${by}`,
    change,
  );
}

/**
 * An edit or deletion of a logged interview: what it is now (or was), and what happened to
 * the status — changed, back to the earlier one, or kept because it changed since.
 */
function describeLoggedChange(
  row: TimelineRow,
  timeZone: string,
  item: Make,
  change: Record<string, unknown>,
  by: string,
): TimelineItem {
  const slot = range(row.details.start, row.details.end);
  const verdict = label(typeof row.details.verdict === 'string' ? row.details.verdict : null);
  const details = {
    ...change,
    interview: iso(slot),
    loggedInterviewId: row.details.loggedInterviewId,
    ...(row.details.statusKept === true ? { statusKept: true } : {}),
  };
  const moved = row.fromStatus !== row.toStatus;
  if (row.details.loggedInterviewChange === 'deleted') {
    const status = moved
      ? `the status is back to ${label(row.toStatus)}`
      : row.details.statusKept === true
        ? `the status stays ${label(row.toStatus)}${typeof row.details.keptBecause === 'string' ? `: ${row.details.keptBecause}` : ''}`
        : `the status stays ${label(row.toStatus)}`;
    return item(
      'logged_interview_deleted',
      `Logged interview deleted by ${by}: ${when(slot, timeZone)}, ${verdict}; ${status}`,
      details,
    );
  }
  const was =
    typeof row.details.was === 'object' && row.details.was !== null
      ? (row.details.was as Record<string, unknown>)
      : {};
  const before = range(was.start, was.end);
  const wasVerdict = label(typeof was.verdict === 'string' ? was.verdict : null);
  const status = moved
    ? `status ${label(row.fromStatus)} → ${label(row.toStatus)}`
    : row.details.statusKept === true && wasVerdict !== verdict
      ? `the status stays ${label(row.toStatus)}: it changed after this interview was logged`
      : `the status stays ${label(row.toStatus)}`;
  return item(
    'logged_interview_edited',
    `Logged interview edited by ${by}: now ${when(slot, timeZone)}, ${verdict} (was ${when(before, timeZone)}, ${wasVerdict}); ${status}`,
    { ...details, was: { interview: iso(before), verdict: was.verdict ?? null, note: was.note ?? null } },
  );
}

function describeActivity(row: TimelineRow, item: Make): TimelineItem {
  const details = { source: row.source, ...row.details };
  if (row.kind === 'rsvp') {
    const to = String(row.details.to ?? '');
    const from = String(row.details.from ?? '');
    const again = to === 'accepted' && (from === 'tentative' || from === 'declined') ? ' again' : '';
    if (to === 'needsAction') {
      return item('rsvp', 'The participant has no answer in Google Calendar any more', details);
    }
    const answer = ANSWERS[to] ?? to;
    return item('rsvp', `The participant answered ${answer}${again} in Google Calendar`, details);
  }
  if (row.kind === 'event_changed') {
    const field = FIELDS[String(row.details.field)] ?? String(row.details.field);
    const text = (value: unknown) => (typeof value === 'string' ? `“${value}”` : 'none');
    const summary =
      row.details.to === null
        ? `The event's ${field} was removed in Google Calendar (was ${text(row.details.from)})`
        : `The event's ${field} changed in Google Calendar: ${text(row.details.from)} → ${text(row.details.to)}`;
    return item('event_changed', summary, details);
  }
  if (row.kind === 'host_response') return item('host_response', hostResponseSummary(row.details), details);
  return item('other', row.kind, details);
}

/** A collective interview's other host answered the organizer's event (issue 15). */
function hostResponseSummary(details: Record<string, unknown>): string {
  const host = typeof details.hostName === 'string' && details.hostName !== '' ? details.hostName : 'A host';
  const from = String(details.from ?? '');
  const was = from === 'declined' || from === 'removed';
  switch (details.to) {
    case 'declined':
      return `${host} declined the interview invitation`;
    case 'removed':
      return `${host} was taken off the interview's guest list in Google Calendar`;
    case 'accepted':
      return from === 'removed'
        ? `${host} is back on the interview's guest list and accepted`
        : `${host} accepted the interview invitation${was ? ' again' : ''}`;
    case 'tentative':
      return `${host} answered Maybe (tentative) to the interview invitation`;
    default:
      return from === 'removed'
        ? `${host} is back on the interview's guest list`
        : `${host} has no answer to the interview invitation any more`;
  }
}

function describeEmail(row: TimelineRow): TimelineItem {
  const label = EMAIL_LABELS[row.kind] ?? `Email (${row.kind})`;
  const state = String(row.details.state ?? '');
  const attempts = Number(row.details.attempts ?? 0);
  const details = {
    emailKind: row.kind,
    state,
    attempts,
    lastError: row.reason,
    subject: row.details.subject ?? null,
    queuedAt: row.details.queuedAt ?? null,
    sentAt: row.details.sentAt ?? null,
  };
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const summary =
    state === 'sent'
      ? `${label} sent`
      : state === 'failed'
        ? `${label} failed after ${tries}${row.reason ? `: ${row.reason}` : ''}`
        : state === 'superseded'
          ? `${label} not sent: ${supersededBecause(row)}`
          : `${label} waiting to be sent${row.reason ? ` (last attempt failed: ${row.reason})` : ''}`;
  return { at: row.at, kind: 'email', summary, details };
}

/** An invitation gives way to a re-invitation; an email about an interview, to a later change. */
function supersededBecause(row: TimelineRow): string {
  if (row.kind === 'invitation' || row.kind === 'reinvitation') return 'replaced by a re-invitation';
  return row.reason ?? 'overtaken by a later change';
}

interface Range {
  start: Date;
  end: Date;
}

function range(start: unknown, end: unknown): Range | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const range = { start: new Date(start), end: new Date(end) };
  return Number.isNaN(range.start.getTime()) || Number.isNaN(range.end.getTime()) ? null : range;
}

function when(slot: Range | null, timeZone: string): string {
  return slot ? formatInterval(slot.start, slot.end, timeZone) : 'an unknown time';
}

function iso(slot: Range | null): { start: string; end: string } | null {
  return slot ? { start: slot.start.toISOString(), end: slot.end.toISOString() } : null;
}

/** `at` of an item, in the researcher's words (the page's `<time>`). */
export function itemMoment(item: TimelineItem, timeZone: string): string {
  return formatMoment(item.at, timeZone);
}

/** The cursor after `row`, as an opaque string for `?before=`. */
export function cursorAfter(row: TimelineRow): string {
  return `${row.atMicros}.${row.rank}.${row.ref}`;
}

const CURSOR = /^(\d{1,17})\.([123])\.([0-9a-f-]{1,40})$/;

/** Undefined for a string that no page ever handed out. */
export function parseCursor(text: string): TimelineCursor | undefined {
  const match = CURSOR.exec(text);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { atMicros: match[1], rank: Number(match[2]), ref: match[3] };
}
