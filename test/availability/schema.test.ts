import { z } from 'zod';
import {
  AvailabilitySchema,
  SchedulingRulesSchema,
  TimeZoneSchema,
  TimeWindowSchema,
  isValidTimeZone,
} from '../../src/availability';

function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.path.join('.'));
}

describe('Availability schema', () => {
  test.each(
    asCases([
      [
        'a start later than its end',
        { weekly: { mon: [{ start: '17:00', end: '09:00' }] } },
        'weekly.mon.0.end',
      ],
      ['an empty window', { weekly: { mon: [{ start: '09:00', end: '09:00' }] } }, 'weekly.mon.0.end'],
      [
        'a window starting at 24:00',
        { weekly: { mon: [{ start: '24:00', end: '24:00' }] } },
        'weekly.mon.0.start',
      ],
      ['an hour of 25', { weekly: { tue: [{ start: '09:00', end: '25:00' }] } }, 'weekly.tue.0.end'],
      ['a time past 24:00', { weekly: { tue: [{ start: '09:00', end: '24:30' }] } }, 'weekly.tue.0.end'],
      [
        'a time without leading zero',
        { weekly: { wed: [{ start: '9:00', end: '17:00' }] } },
        'weekly.wed.0.start',
      ],
      ['minutes of 60', { weekly: { wed: [{ start: '09:60', end: '17:00' }] } }, 'weekly.wed.0.start'],
      [
        'overlapping windows',
        {
          weekly: {
            thu: [
              { start: '13:00', end: '17:00' },
              { start: '09:00', end: '13:30' },
            ],
          },
        },
        'weekly.thu.0.start',
      ],
      [
        '13 windows on one day',
        { weekly: { fri: Array.from({ length: 13 }, (_, i) => window(i)) } },
        'weekly.fri',
      ],
      ['an unknown weekday', { weekly: { monday: [] } }, 'weekly'],
      [
        'an unknown key in a window',
        { weekly: { mon: [{ start: '09:00', end: '10:00', tz: 'UTC' }] } },
        'weekly.mon.0',
      ],
      ['an unknown top-level key', { weekly: {}, timezone: 'UTC' }, ''],
      ['no weekly pattern', { dateOverrides: [] }, 'weekly'],
      [
        'an override on 31 April',
        { weekly: {}, dateOverrides: [{ date: '2025-04-31', windows: [] }] },
        'dateOverrides.0.date',
      ],
      [
        'an override on 29 February of a common year',
        { weekly: {}, dateOverrides: [{ date: '2025-02-29', windows: [] }] },
        'dateOverrides.0.date',
      ],
      [
        'an override date in another format',
        { weekly: {}, dateOverrides: [{ date: '02/06/2025', windows: [] }] },
        'dateOverrides.0.date',
      ],
      [
        'the same date overridden twice',
        {
          weekly: {},
          dateOverrides: [
            { date: '2025-06-02', windows: [] },
            { date: '2025-06-02', windows: [{ start: '10:00', end: '11:00' }] },
          ],
        },
        'dateOverrides.1.date',
      ],
      [
        'an override without windows',
        { weekly: {}, dateOverrides: [{ date: '2025-06-02' }] },
        'dateOverrides.0.windows',
      ],
      ['367 overrides', { weekly: {}, dateOverrides: overrides(367) }, 'dateOverrides'],
    ]),
  )('When availability has $story, then the error names "$path"', ({ input, path: expectedPath }) => {
    expect(issuePaths(AvailabilitySchema, input)).toContain(expectedPath);
  });

  test('When windows touch, span a whole day to 24:00 and overrides are unique, then availability is accepted', () => {
    const input = {
      weekly: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '17:00' },
        ],
        sat: [{ start: '00:00', end: '24:00' }],
        sun: [],
      },
      dateOverrides: [
        { date: '2024-02-29', windows: [] },
        { date: '2025-12-24', windows: [{ start: '18:00', end: '20:00' }] },
        ...overrides(300).slice(2),
      ],
    };
    expect(AvailabilitySchema.parse(input)).toEqual(input);
  });

  test('When a window is parsed alone, then 24:00 is a valid end only', () => {
    expect(TimeWindowSchema.safeParse({ start: '22:00', end: '24:00' }).success).toBe(true);
    expect(TimeWindowSchema.safeParse({ start: '24:00', end: '24:00' }).success).toBe(false);
  });
});

describe('Time zone schema', () => {
  test.each([
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'UTC',
    'Asia/Kolkata',
    'Europe/Kyiv',
  ])('When the zone is %s, then it is accepted', (zone) => {
    expect(TimeZoneSchema.safeParse(zone).success).toBe(true);
    expect(isValidTimeZone(zone)).toBe(true);
  });

  test.each([
    ['an unknown name', 'Mars/Olympus_Mons', 'Unknown time zone'],
    ['an offset', '+05:00', 'IANA'],
    ['an empty string', '', 'IANA'],
    ['the wrong case', 'america/new_york', 'America/New_York'],
  ])('When the zone is %s, then it is refused with a helpful message', (_story, zone, message) => {
    const result = TimeZoneSchema.safeParse(zone);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('Scheduling rules schema', () => {
  test('When only the duration is given, then the documented defaults apply and the window stays rolling', () => {
    expect(SchedulingRulesSchema.parse({ durationMinutes: 45 })).toEqual({
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 240,
    });
  });

  test.each(
    asCases([
      ['no duration', {}, 'durationMinutes'],
      ['a 4-minute interview', { durationMinutes: 4 }, 'durationMinutes'],
      ['a 481-minute interview', { durationMinutes: 481 }, 'durationMinutes'],
      ['a fractional duration', { durationMinutes: 30.5 }, 'durationMinutes'],
      ['a duration as text', { durationMinutes: '30' }, 'durationMinutes'],
      ['a negative buffer', { durationMinutes: 30, bufferBeforeMinutes: -5 }, 'bufferBeforeMinutes'],
      ['a buffer over 4 hours', { durationMinutes: 30, bufferAfterMinutes: 241 }, 'bufferAfterMinutes'],
      ['notice over 30 days', { durationMinutes: 30, minNoticeMinutes: 43201 }, 'minNoticeMinutes'],
      ['a horizon of 0 days', { durationMinutes: 30, horizonDays: 0 }, 'horizonDays'],
      ['a horizon over a year', { durationMinutes: 30, horizonDays: 366 }, 'horizonDays'],
      ['a step under 5 minutes', { durationMinutes: 30, slotStepMinutes: 4 }, 'slotStepMinutes'],
      ['a daily limit of 0', { durationMinutes: 30, dailyLimit: 0 }, 'dailyLimit'],
      ['a daily limit over 100', { durationMinutes: 30, dailyLimit: 101 }, 'dailyLimit'],
      ['a start date without end date', { durationMinutes: 30, startDate: '2025-06-01' }, 'endDate'],
      ['an end date without start date', { durationMinutes: 30, endDate: '2025-06-30' }, 'startDate'],
      [
        'both a horizon and fixed dates',
        { durationMinutes: 30, horizonDays: 10, startDate: '2025-06-01', endDate: '2025-06-30' },
        'horizonDays',
      ],
      [
        'an end before the start',
        { durationMinutes: 30, startDate: '2025-06-30', endDate: '2025-06-01' },
        'endDate',
      ],
      [
        'a fixed window over 366 dates',
        { durationMinutes: 30, startDate: '2025-01-01', endDate: '2026-01-02' },
        'endDate',
      ],
      [
        'an impossible start date',
        { durationMinutes: 30, startDate: '2025-02-30', endDate: '2025-03-30' },
        'startDate',
      ],
      ['an unknown field', { durationMinutes: 30, bufferBefore: 10 }, ''],
    ]),
  )('When the rules have $story, then the error names "$path"', ({ input, path: expectedPath }) => {
    expect(issuePaths(SchedulingRulesSchema, input)).toContain(expectedPath);
  });

  test('When a fixed window spans exactly 366 dates of a leap year, then it is accepted', () => {
    const rules = { durationMinutes: 30, startDate: '2024-01-01', endDate: '2024-12-31' };
    expect(SchedulingRulesSchema.parse(rules)).toMatchObject(rules);
  });

  test('When the schema becomes JSON Schema for OpenAPI, then fields keep their descriptions and unknown keys stay refused', () => {
    const json = z.toJSONSchema(SchedulingRulesSchema, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(json.required).toEqual(['durationMinutes']);
    expect(json.additionalProperties).toBe(false);
    for (const [name, property] of Object.entries(json.properties)) {
      expect([name, property.description]).toEqual([name, expect.any(String)]);
    }
    expect(() => z.toJSONSchema(AvailabilitySchema, { io: 'input' })).not.toThrow();
  });
});

function window(index: number) {
  const hour = String(index).padStart(2, '0');
  return { start: `${hour}:00`, end: `${hour}:30` };
}

function overrides(count: number) {
  const first = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    date: new Date(first + i * 86_400_000).toISOString().slice(0, 10),
    windows: [],
  }));
}

/** Rows [story, input, path] as objects, so titles can name the story and the path. */
function asCases(rows: [string, unknown, string][]) {
  return rows.map(([story, input, path]) => ({ story, input, path }));
}
