import { bookingStepUrl, formatWhen, renderInterviewDetails } from '../../src/mail/interview-details';

const base = {
  start: new Date('2026-12-08T15:00:00Z'),
  end: new Date('2026-12-08T15:45:00Z'),
  timeZone: 'America/New_York',
  meetUrl: 'https://meet.google.com/abc-defg-hij',
  bookingUrl: 'https://book.example/book/tok123',
};

describe('renderInterviewDetails', () => {
  it('When an interview is booked, then the time is in the zone, the zone is in words, and the links are there', () => {
    const { text, html } = renderInterviewDetails(base);
    expect(text).toEqual([
      'When: Tuesday, 8 December 2026, 10:00–10:45',
      'Time zone: Eastern Time — New York (GMT-05:00)',
      'Join with Google Meet: https://meet.google.com/abc-defg-hij',
      'Need another time? Reschedule: https://book.example/book/tok123?step=reschedule',
      'Cannot make it? Cancel: https://book.example/book/tok123?step=cancel',
    ]);
    expect(html).toContain('href="https://book.example/book/tok123?step=cancel"');
    expect(html).toContain('href="https://meet.google.com/abc-defg-hij"');
  });

  it('When Meet is not ready and there is no link, then the email says where the video link is and offers no links', () => {
    const { text, html } = renderInterviewDetails({ ...base, meetUrl: null, bookingUrl: null });
    expect(text[2]).toBe('Video call: the link is in the calendar invitation from Google.');
    expect(text).toHaveLength(3);
    expect(html).not.toContain('step=');
  });

  it('When a link is not a web address, then nothing is rendered', () => {
    expect(() => renderInterviewDetails({ ...base, meetUrl: 'javascript:alert(1)' })).toThrow('http(s)');
  });

  it('When an interview crosses midnight, then both days are named', () => {
    expect(
      formatWhen(new Date('2026-12-09T04:30:00Z'), new Date('2026-12-09T05:30:00Z'), 'America/New_York'),
    ).toBe('Tuesday, 8 December 2026, 23:30 – Wednesday, 9 December 2026, 00:30');
  });

  it('When the booking link already has a query, then the step is added to it', () => {
    expect(bookingStepUrl('https://book.example/book/t?x=1', 'reschedule')).toBe(
      'https://book.example/book/t?x=1&step=reschedule',
    );
  });
});
