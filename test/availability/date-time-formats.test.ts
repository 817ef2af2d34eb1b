import { createDateTimeFormats, dateTimeFormat } from '../../src/availability/date-time-formats';

describe('Date and time formats made once', () => {
  test('When the same locale, zone and options are asked for again, then the same format is answered and it formats as a new one would', () => {
    const options = { timeZone: 'America/New_York', weekday: 'long', hour: '2-digit' } as const;
    const first = dateTimeFormat('en-GB', options);

    expect(dateTimeFormat('en-GB', { ...options })).toBe(first);
    const at = new Date('2026-03-08T07:30:00Z');
    expect(first.format(at)).toBe(new Intl.DateTimeFormat('en-GB', options).format(at));
  });

  test('When the zone, the locale or an option differs, then so does the format', () => {
    const berlin = dateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit' });

    expect(dateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit' })).not.toBe(berlin);
    expect(dateTimeFormat('de', { timeZone: 'Europe/Berlin', hour: '2-digit' })).not.toBe(berlin);
    expect(dateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: 'numeric' })).not.toBe(berlin);
  });

  test('When the zone is unknown, then it throws RangeError every time (a refusal is not kept as a format)', () => {
    const formats = createDateTimeFormats(10);

    expect(() => formats.get('en', { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(() => formats.get('en', { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(formats.size).toBe(0);
  });

  test('When more zones were asked for than the limit, then the formats kept start again and every answer is still right', () => {
    const formats = createDateTimeFormats(10);
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 25);
    const at = new Date('2026-07-01T12:00:00Z');
    for (const zone of zones) {
      const format = formats.get('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
      expect(format.resolvedOptions().timeZone).toBe(
        new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone,
      );
      expect(formats.size).toBeLessThanOrEqual(10);
    }
    expect(formats.size).toBe(5);
    expect(formats.get('en-US', { timeZone: 'UTC', hour: 'numeric', hourCycle: 'h23' }).format(at)).toBe(
      '12',
    );
  });
});
