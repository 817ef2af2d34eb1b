import { allDayFallbackZone } from '../../src/busy/all-day-zone';
import { busyIntervals, type BusyEvent } from '../../src/busy/busy-events';

const outOfOffice = (zone?: string): BusyEvent => ({
  start: '2030-01-10',
  end: '2030-01-11',
  allDay: true,
  transparent: false,
  tentative: false,
  declined: false,
  bookingId: null,
  outOfOffice: true,
  ...(zone ? { zone } : {}),
});
const tokyoHours = { timeZone: 'Asia/Tokyo', availability: { weekly: {} } };

describe('the day of an all-day event', () => {
  test('is a day in its calendar’s zone when Google said it, whatever the fallback', () => {
    expect(busyIntervals([outOfOffice('Asia/Tokyo')], 'busy', 'America/New_York')).toEqual([
      { start: new Date('2030-01-09T15:00:00Z'), end: new Date('2030-01-10T15:00:00Z') },
    ]);
  });

  test('else a day in the fallback zone', () => {
    expect(busyIntervals([outOfOffice()], 'busy', 'America/New_York')).toEqual([
      { start: new Date('2030-01-10T05:00:00Z'), end: new Date('2030-01-11T05:00:00Z') },
    ]);
  });

  test('the fallback is the host’s own hours’ zone only when the study uses them', () => {
    const study = { timeZone: 'America/New_York' };
    expect(allDayFallbackZone({ ...study, hostHours: 'per_host' }, tokyoHours)).toBe('Asia/Tokyo');
    expect(allDayFallbackZone({ ...study, hostHours: 'per_host' }, null)).toBe('America/New_York');
    expect(allDayFallbackZone({ ...study, hostHours: 'study' }, tokyoHours)).toBe('America/New_York');
  });
});
