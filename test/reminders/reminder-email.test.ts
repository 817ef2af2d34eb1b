import { renderReminderEmail, reminderWording } from '../../src/reminders/reminder-email';
import {
  participantOfUnsubscribeToken,
  unsubscribeToken,
  unsubscribeUrl,
} from '../../src/reminders/unsubscribe-link';

const input = {
  participantName: 'Zoë <b>Ångström</b>',
  studyTitle: 'Checkout\nredesign & more',
  researcherName: 'Grace Hopper',
  minutesBefore: 60,
  details: {
    start: new Date('2026-12-08T15:00:00Z'),
    end: new Date('2026-12-08T15:45:00Z'),
    timeZone: 'America/New_York',
    meetUrl: 'https://meet.google.com/abc-defg-hij',
    bookingUrl: 'https://scheduler.test/book/tok',
  },
  unsubscribeUrl: 'https://scheduler.test/reminders/unsubscribe/x.y',
};

describe('The reminder email', () => {
  test('When a 1-hour reminder is written, then subject and text say "in 1 hour", the time in the zone in words, Meet, the links and how to unsubscribe', () => {
    const email = renderReminderEmail(input);

    expect(email.subject).toBe('Reminder: your interview is in 1 hour — Checkout redesign & more');
    expect(email.text).toContain('Hello Zoë <b>Ångström</b>,');
    expect(email.text).toContain('When: Tuesday, 8 December 2026, 10:00–10:45');
    expect(email.text).toContain('Time zone: Eastern');
    expect(email.text).toContain('Join with Google Meet: https://meet.google.com/abc-defg-hij');
    expect(email.text).toContain('Reschedule: https://scheduler.test/book/tok?step=reschedule');
    expect(email.text).toContain('Cancel: https://scheduler.test/book/tok?step=cancel');
    expect(email.text).toContain('https://scheduler.test/reminders/unsubscribe/x.y');
    expect(email.headers).toEqual({
      'List-Unsubscribe': '<https://scheduler.test/reminders/unsubscribe/x.y>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  test('When names carry markup, then the HTML part escapes them', () => {
    const email = renderReminderEmail(input);

    expect(email.html).toContain('Zoë &lt;b&gt;Ångström&lt;/b&gt;');
    expect(email.html).not.toContain('<b>Ångström');
    expect(email.html).toContain('href="https://scheduler.test/reminders/unsubscribe/x.y"');
  });

  test('When the wording is given (a study template later), then only subject and intro change', () => {
    const email = renderReminderEmail(input, { subject: 'See you soon', intro: 'Just a nudge.' });

    expect(email.subject).toBe('See you soon');
    expect(email.text).toContain('Just a nudge.');
    expect(email.text).toContain('Time zone: Eastern');
  });

  test('The default wording for 24 hours says tomorrow', () => {
    expect(reminderWording({ participantName: 'A', studyTitle: 'S', minutesBefore: 1440 }).subject).toBe(
      'Reminder: your interview is tomorrow — S',
    );
  });
});

describe('The unsubscribe link', () => {
  const id = '3f1c6a3e-2b7d-4d8e-9c41-5a6b7c8d9e0f';

  test('When a token is made for a participant, then it opens for them and only under the same secret', () => {
    const token = unsubscribeToken('secret-1', id);

    expect(participantOfUnsubscribeToken('secret-1', token)).toBe(id);
    expect(participantOfUnsubscribeToken('secret-2', token)).toBeUndefined();
    expect(unsubscribeUrl('https://x.test', token)).toBe(`https://x.test/reminders/unsubscribe/${token}`);
  });

  test.each([
    [
      'another participant id with the same mac',
      (token: string) => token.replace(id, '00000000-0000-4000-8000-000000000000'),
    ],
    ['a changed mac', (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ['no mac', () => id],
    ['junk', () => 'not-a-token'],
  ])('When a token has %s, then it opens nothing', (_what, alter) => {
    expect(
      participantOfUnsubscribeToken('secret-1', alter(unsubscribeToken('secret-1', id))),
    ).toBeUndefined();
  });
});
