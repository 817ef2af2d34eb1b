/**
 * A one-event iCalendar file (RFC 5545) to attach to the emails about an interview, so any
 * calendar program can add it. METHOD:PUBLISH, not REQUEST: the file informs; the invitation
 * people answer is Google's own, and the same UID lets a calendar that has it treat both as
 * one event; a cancelled interview's file is METHOD:CANCEL. Pure: the caller passes every value, `stamp` included.
 */
export interface IcsEvent {
  /** Stable for the interview across moves: Google's iCalUID of its event. */
  uid: string;
  /** Grows with every change, so a calendar replaces the older copy. */
  sequence: number;
  start: Date;
  end: Date;
  /** When the file was made (DTSTAMP). */
  stamp: Date;
  summary: string;
  description: string;
  /** The Meet link, when there is one: URL and LOCATION. */
  meetUrl: string | null;
  /** The event is off: METHOD:CANCEL and STATUS:CANCELLED, for a calendar to remove it. */
  cancelled?: boolean;
}

const PRODUCT_ID = '-//Interview Scheduler//Interview emails//EN';

export function buildIcs(event: IcsEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    event.cancelled ? 'METHOD:CANCEL' : 'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART:${utcStamp(event.start)}`,
    `DTEND:${utcStamp(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    ...(event.meetUrl ? [`URL:${event.meetUrl}`, `LOCATION:${escapeText(event.meetUrl)}`] : []),
    event.cancelled ? 'STATUS:CANCELLED' : 'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** 20261208T090000Z: a UTC date-time (RFC 5545 3.3.5, form #2). */
export function utcStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** TEXT values (3.3.11): backslash, semicolon and comma escaped, line breaks as `\n`. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Lines longer than 75 octets are folded (3.1): CRLF and a space before each continuation,
 * which counts toward the next line's 75. The cut never splits a UTF-8 character.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75 octets
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
