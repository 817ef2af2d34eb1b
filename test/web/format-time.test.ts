import { formatInterval, formatMoment } from '../../src/web/format-time';

describe('Times in the console', () => {
  test("When an interview is shown, then it is in the study's time zone, which is named", () => {
    expect(
      formatInterval(new Date('2026-12-08T09:00:00Z'), new Date('2026-12-08T09:45:00Z'), 'Europe/Berlin'),
    ).toBe('Tue 8 Dec 2026, 10:00–10:45 (Europe/Berlin)');
  });

  test('When an interview runs past midnight, then both days are named', () => {
    expect(
      formatInterval(new Date('2026-12-08T22:30:00Z'), new Date('2026-12-08T23:30:00Z'), 'Europe/Berlin'),
    ).toBe('Tue 8 Dec 2026, 23:30–Wed 9 Dec 2026, 00:30 (Europe/Berlin)');
  });

  test('When a moment is shown, then it uses a 24-hour clock', () => {
    expect(formatMoment(new Date('2026-07-01T13:05:00Z'), 'America/New_York')).toBe('Wed 1 Jul 2026, 09:05');
  });
});
