import { buildIcs, foldLine } from '../../src/mail/ics';
import { parseIcs, parseUtc, unescapeText, valueOf } from './ics-parse';

const interview = {
  uid: 'b0a1c2d3e4f5@google.com',
  sequence: 2,
  start: new Date('2026-12-08T15:00:00Z'),
  end: new Date('2026-12-08T15:45:00Z'),
  stamp: new Date('2026-12-05T06:30:12.345Z'),
  summary: 'Checkout redesign: interview with Zoë, Ada; and co',
  description:
    'A 45-minute research interview for "Checkout redesign" with Grace Hopper.\nJoin with the Google Meet link in this invitation — bring headphones, please; thank you!',
  meetUrl: 'https://meet.google.com/abc-defg-hij',
};

describe('The interview as an iCalendar file', () => {
  test('When the file is parsed back, then it is one published event with the UID, the UTC times, the sequence and the Meet link', () => {
    const parsed = parseIcs(buildIcs(interview));

    expect(valueOf(parsed.calendar, 'VERSION')).toBe('2.0');
    expect(valueOf(parsed.calendar, 'METHOD')).toBe('PUBLISH');
    expect(parsed.events).toHaveLength(1);
    const event = parsed.events[0]!;
    expect(valueOf(event, 'UID')).toBe('b0a1c2d3e4f5@google.com');
    expect(valueOf(event, 'SEQUENCE')).toBe('2');
    expect(valueOf(event, 'DTSTART')).toBe('20261208T150000Z');
    expect(parseUtc(valueOf(event, 'DTSTART')!)).toEqual(interview.start);
    expect(parseUtc(valueOf(event, 'DTEND')!)).toEqual(interview.end);
    expect(valueOf(event, 'DTSTAMP')).toBe('20261205T063012Z');
    expect(valueOf(event, 'URL')).toBe('https://meet.google.com/abc-defg-hij');
    expect(unescapeText(valueOf(event, 'LOCATION')!)).toBe('https://meet.google.com/abc-defg-hij');
  });

  test('When the title and description have commas, semicolons, line breaks and accents, then they come back unchanged', () => {
    const event = parseIcs(buildIcs(interview)).events[0]!;

    expect(unescapeText(valueOf(event, 'SUMMARY')!)).toBe(interview.summary);
    expect(unescapeText(valueOf(event, 'DESCRIPTION')!)).toBe(interview.description);
  });

  test('When lines are long, then no line is longer than 75 octets and every line ends with CRLF', () => {
    const source = buildIcs({ ...interview, description: 'é'.repeat(200) + 'x'.repeat(100) });

    expect(source.endsWith('\r\n')).toBe(true);
    for (const line of source.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(unescapeText(valueOf(parseIcs(source).events[0]!, 'DESCRIPTION')!)).toBe(
      'é'.repeat(200) + 'x'.repeat(100),
    );
  });

  test('When a line is folded, then a multi-byte character is never cut in two', () => {
    const folded = foldLine(`SUMMARY:${'😀'.repeat(40)}`);

    for (const line of folded.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'😀'.repeat(40)}`);
  });

  test('When Meet has no link yet, then the event has no URL or LOCATION', () => {
    const event = parseIcs(buildIcs({ ...interview, meetUrl: null })).events[0]!;

    expect(valueOf(event, 'URL')).toBeUndefined();
    expect(valueOf(event, 'LOCATION')).toBeUndefined();
  });

  test('When the interview is cancelled, then the file cancels the same UID', () => {
    const parsed = parseIcs(buildIcs({ ...interview, sequence: 3, cancelled: true }));

    expect(valueOf(parsed.calendar, 'METHOD')).toBe('CANCEL');
    const event = parsed.events[0]!;
    expect(valueOf(event, 'UID')).toBe('b0a1c2d3e4f5@google.com');
    expect(valueOf(event, 'STATUS')).toBe('CANCELLED');
    expect(valueOf(event, 'SEQUENCE')).toBe('3');
  });
});
