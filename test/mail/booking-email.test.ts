import { renderBookingEmail, type BookingEmailFacts } from '../../src/mail/booking-email';
import { renderBookingEmailFromTemplate } from '../../src/mail/booking-email-template';
import { parseIcs, parseUtc, valueOf } from './ics-parse';

const facts: BookingEmailFacts = {
  kind: 'confirmation',
  participantName: 'Ada Lovelace',
  studyTitle: 'Checkout redesign',
  researcherName: 'Grace Hopper',
  start: new Date('2026-12-08T15:00:00Z'),
  end: new Date('2026-12-08T15:45:00Z'),
  timeZone: 'America/New_York',
  meetUrl: 'https://meet.google.com/abc-defg-hij',
  bookingUrl: 'https://scheduler.test/book/tok123',
  studyOpen: true,
  calendar: {
    uid: 'evt1@google.com',
    sequence: 0,
    summary: 'Checkout redesign: interview with Ada Lovelace',
    description: 'A 45-minute research interview.',
    stamp: new Date('2026-12-05T06:00:00Z'),
  },
};

describe('The emails about a booked interview', () => {
  test('When an interview is confirmed, then the email gives the time in the participant’s zone in words, the Meet link, Reschedule and Cancel links and an .ics', () => {
    const email = renderBookingEmail(facts);

    expect(email.subject).toBe('Your interview is booked: Checkout redesign');
    expect(email.text).toContain('Tuesday, 8 December 2026, 10:00–10:45');
    expect(email.text).toContain('Time zone: Eastern Time — New York (GMT-05:00)');
    expect(email.text).toContain('Join with Google Meet: https://meet.google.com/abc-defg-hij');
    expect(email.text).toContain('https://scheduler.test/book/tok123?step=reschedule');
    expect(email.text).toContain('https://scheduler.test/book/tok123?step=cancel');
    expect(email.html).toContain('href="https://scheduler.test/book/tok123?step=reschedule"');
    expect(email.html).toContain('href="https://scheduler.test/book/tok123?step=cancel"');
    expect(email.attachments).toHaveLength(1);
    expect(email.attachments[0]).toMatchObject({ filename: 'invite.ics' });
    expect(email.attachments[0]!.contentType).toContain('text/calendar');
    const event = parseIcs(email.attachments[0]!.content).events[0]!;
    expect(valueOf(event, 'UID')).toBe('evt1@google.com');
    expect(parseUtc(valueOf(event, 'DTSTART')!)).toEqual(facts.start);
  });

  test('When the study’s zone is used instead, then the time and the zone follow it', () => {
    const email = renderBookingEmail({ ...facts, timeZone: 'Europe/Berlin' });

    expect(email.text).toContain('Tuesday, 8 December 2026, 16:00–16:45');
    expect(email.text).toMatch(/Time zone: Central European (Standard )?Time — Berlin \(GMT\+01:00\)/);
  });

  test('When the Meet conference is still pending, then the email says the link is in the calendar invitation', () => {
    const email = renderBookingEmail({ ...facts, meetUrl: null });

    expect(email.text).toContain('the link is in the calendar invitation from Google');
    expect(parseIcs(email.attachments[0]!.content).events[0]!.some((p) => p.name === 'URL')).toBe(false);
  });

  test('When names and titles hold HTML, then the HTML escapes them and the subject stays one line', () => {
    const email = renderBookingEmail({
      ...facts,
      participantName: '<script>alert(1)</script>',
      studyTitle: 'Tom & "Jerry" <b>\nstudy',
      researcherName: "O'Brien <img src=x>",
    });

    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Tom &amp; &quot;Jerry&quot; &lt;b&gt; study');
    expect(email.html).toContain('O&#39;Brien &lt;img src=x&gt;');
    expect(email.subject).toBe('Your interview is booked: Tom & "Jerry" <b> study');
  });

  test('When the interview moved, then the update names the new time and the old one and carries the .ics with its sequence', () => {
    const email = renderBookingEmail({
      ...facts,
      kind: 'update',
      previous: { start: new Date('2026-12-07T15:00:00Z'), end: new Date('2026-12-07T15:45:00Z') },
      calendar: { ...facts.calendar, sequence: 3 },
    });

    expect(email.subject).toBe('Your interview has moved: Checkout redesign');
    expect(email.text).toContain(
      'now takes place Tuesday, 8 December 2026, 10:00–10:45. It was Monday, 7 December 2026, 10:00–10:45 before.',
    );
    expect(email.text).toContain('?step=reschedule');
    expect(valueOf(parseIcs(email.attachments[0]!.content).events[0]!, 'SEQUENCE')).toBe('3');
  });

  test('When the interview is cancelled while the study is open, then the notice offers to book a new time with the booking link and a calendar file that cancels the event', () => {
    const email = renderBookingEmail({ ...facts, kind: 'cancellation' });

    expect(email.subject).toBe('Your interview is cancelled: Checkout redesign');
    expect(email.text).toContain('on Tuesday, 8 December 2026, 10:00–10:45 is cancelled');
    expect(email.text).toContain('Time zone: Eastern Time — New York (GMT-05:00)');
    expect(email.text).toContain(
      'You can book a new time whenever suits you:\nhttps://scheduler.test/book/tok123\n',
    );
    expect(email.html).toContain('href="https://scheduler.test/book/tok123"');
    expect(email.html).toContain('Book a new time');
    expect(email.attachments).toHaveLength(1);
    expect(email.attachments[0]!.contentType).toContain('method=CANCEL');
    const calendar = parseIcs(email.attachments[0]!.content);
    expect(valueOf(calendar.calendar, 'METHOD')).toBe('CANCEL');
    expect(valueOf(calendar.events[0]!, 'UID')).toBe('evt1@google.com');
    expect(valueOf(calendar.events[0]!, 'STATUS')).toBe('CANCELLED');
  });

  test('When the calendar brought a cancelled interview back, then the confirmation says it is on again', () => {
    const email = renderBookingEmail({ ...facts, revived: true });

    expect(email.subject).toBe('Your interview is on again: Checkout redesign');
    expect(email.text).toContain('is on again, for Tuesday, 8 December 2026, 10:00–10:45');
    expect(valueOf(parseIcs(email.attachments[0]!.content).events[0]!, 'STATUS')).toBe('CONFIRMED');
  });

  test('When the interview is cancelled and the study is closed, then the notice has no link to book again', () => {
    const email = renderBookingEmail({ ...facts, kind: 'cancellation', studyOpen: false });

    expect(email.text).not.toContain('https://scheduler.test/book/');
    expect(email.html).not.toContain('Book a new time');
  });

  test('When no booking link is kept, then the emails offer no Reschedule, Cancel or booking link', () => {
    const confirmation = renderBookingEmail({ ...facts, bookingUrl: null });
    const cancellation = renderBookingEmail({ ...facts, kind: 'cancellation', bookingUrl: null });

    expect(confirmation.text).not.toContain('step=');
    expect(confirmation.html).not.toContain('step=');
    expect(cancellation.text).not.toContain('/book/');
  });

  test('When the study has its own confirmation template, then its words are used with the placeholders filled, escaped in HTML, and the .ics still attached', () => {
    const email = renderBookingEmailFromTemplate(
      { ...facts, participantName: 'Ada <b>' },
      {
        subject: 'Booked: {{studyTitle}} at {{interviewTime}}',
        body: 'Hi {{participantName}}, see you {{interviewTime}} ({{timeZone}}).\nMeet: {{meetUrl}}\nMove: {{rescheduleUrl}}\nCancel: {{cancelUrl}}',
      },
    );

    expect(email?.subject).toBe('Booked: Checkout redesign at Tuesday, 8 December 2026, 10:00–10:45');
    expect(email?.text).toContain(
      'Hi Ada <b>, see you Tuesday, 8 December 2026, 10:00–10:45 (Eastern Time — New York (GMT-05:00)).',
    );
    expect(email?.text).toContain('Move: https://scheduler.test/book/tok123?step=reschedule');
    expect(email?.html).toContain('Hi Ada &lt;b&gt;');
    expect(email?.html).toContain('href="https://scheduler.test/book/tok123?step=cancel"');
    expect(email?.attachments.map((file) => file.filename)).toEqual(['invite.ics']);
  });

  test('When a study template needs the Reschedule and Cancel links and no booking link is kept, then the template is not used', () => {
    const template = { subject: 'Moved', body: '{{rescheduleUrl}} {{cancelUrl}}' };

    expect(
      renderBookingEmailFromTemplate({ ...facts, kind: 'update', bookingUrl: null }, template),
    ).toBeUndefined();
  });

  test('When a study’s cancellation template offers a new time and the study is closed, then that line is left out (the calendar file still cancels the event)', () => {
    const template = {
      subject: 'Cancelled',
      body: 'It is off: {{interviewTime}}.\nBook again: {{bookingUrl}}',
    };

    const open = renderBookingEmailFromTemplate({ ...facts, kind: 'cancellation' }, template);
    const closed = renderBookingEmailFromTemplate(
      { ...facts, kind: 'cancellation', studyOpen: false },
      template,
    );

    expect(open?.text).toContain('Book again: https://scheduler.test/book/tok123');
    expect(closed?.text).not.toContain('Book again');
    expect(closed?.attachments.map((file) => file.contentType)).toEqual([
      'text/calendar; charset=utf-8; method=CANCEL',
    ]);
  });
});
