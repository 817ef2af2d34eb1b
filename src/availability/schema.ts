import { z } from 'zod';
import { DAY_MS, isCalendarDate, minutesOfTime, wallMidnightOf } from './local-time';
import { timeZoneProblem } from './time-zone';

/**
 * A study's scheduling settings as the studies API accepts them. Every object is strict
 * (unknown keys are errors, so a typo like `bufferBefore` is reported, not ignored), and
 * every cross-field rule reports the field a person has to change in its issue path.
 */

const TIME_OF_DAY = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const MAX_WINDOWS_PER_DAY = 12;
export const MAX_DATE_OVERRIDES = 366;

export const TimeOfDaySchema = z
  .string()
  .regex(TIME_OF_DAY, 'Use 24-hour "HH:MM" from 00:00 to 24:00')
  .describe('Wall-clock time in the study time zone, "HH:MM"; "24:00" (end of day) only ends a window');
export type TimeOfDay = z.infer<typeof TimeOfDaySchema>;

export const TimeWindowSchema = z
  .strictObject({
    start: TimeOfDaySchema.refine((time) => time !== '24:00', '24:00 can only end a window').describe(
      'When the window opens, "HH:MM"',
    ),
    end: TimeOfDaySchema.describe('When the window closes, "HH:MM" (exclusive); "24:00" = midnight'),
  })
  .superRefine((window, ctx) => {
    if (!TIME_OF_DAY.test(window.start) || !TIME_OF_DAY.test(window.end)) return; // already reported
    if (minutesOfTime(window.end) <= minutesOfTime(window.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be later than start' });
    }
  })
  .describe('A span of local time on one day, e.g. { "start": "09:00", "end": "17:00" }');
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

export const DayWindowsSchema = z
  .array(TimeWindowSchema)
  .max(MAX_WINDOWS_PER_DAY, `At most ${MAX_WINDOWS_PER_DAY} windows per day`)
  .superRefine((windows, ctx) => {
    const spans = windows
      .map((window, index) => ({ index, span: spanOf(window) }))
      .filter((entry): entry is { index: number; span: [number, number] } => entry.span !== undefined)
      .sort((a, b) => a.span[0] - b.span[0]);
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1]!;
      const current = spans[i]!;
      if (current.span[0] < previous.span[1]) {
        ctx.addIssue({
          code: 'custom',
          path: [current.index, 'start'],
          message: `Overlaps the window starting at ${windows[previous.index]!.start}`,
        });
      }
    }
  })
  .describe('Windows of one day; they may touch (09:00–12:00, 12:00–17:00) but not overlap');
export type DayWindows = z.infer<typeof DayWindowsSchema>;

function spanOf(window: { start: string; end: string }): [number, number] | undefined {
  if (!TIME_OF_DAY.test(window.start) || !TIME_OF_DAY.test(window.end)) return undefined;
  const span: [number, number] = [minutesOfTime(window.start), minutesOfTime(window.end)];
  return span[0] < span[1] ? span : undefined;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const dayOf = (name: string) => DayWindowsSchema.optional().describe(`Windows on ${name}s; absent = none`);
export const WeeklyAvailabilitySchema = z
  .strictObject({
    mon: dayOf('Monday'),
    tue: dayOf('Tuesday'),
    wed: dayOf('Wednesday'),
    thu: dayOf('Thursday'),
    fri: dayOf('Friday'),
    sat: dayOf('Saturday'),
    sun: dayOf('Sunday'),
  })
  .describe('The repeating week, in the study time zone');
export type WeeklyAvailability = z.infer<typeof WeeklyAvailabilitySchema>;

export const LocalDateSchema = z.iso
  .date('Use a calendar date "YYYY-MM-DD"')
  .describe('A calendar date in the study time zone, "YYYY-MM-DD"');

export const DateOverrideSchema = z
  .strictObject({
    date: LocalDateSchema,
    windows: DayWindowsSchema.describe(
      "Replaces that date's weekly windows entirely; [] = unavailable all day, and extra hours are added by listing every window of the day",
    ),
  })
  .describe('Availability for one date instead of the weekly pattern');
export type DateOverride = z.infer<typeof DateOverrideSchema>;

export const DateOverridesSchema = z
  .array(DateOverrideSchema)
  .max(MAX_DATE_OVERRIDES, `At most ${MAX_DATE_OVERRIDES} date overrides`)
  .superRefine((overrides, ctx) => {
    const seen = new Set<string>();
    overrides.forEach((override, index) => {
      if (seen.has(override.date)) {
        ctx.addIssue({ code: 'custom', path: [index, 'date'], message: `${override.date} is listed twice` });
      }
      seen.add(override.date);
    });
  })
  .describe('Dates whose availability differs from the weekly pattern; each date at most once');

export const AvailabilitySchema = z
  .strictObject({
    weekly: WeeklyAvailabilitySchema,
    dateOverrides: DateOverridesSchema.optional(),
  })
  .describe('When the researcher takes interviews, in the study time zone');
export type Availability = z.infer<typeof AvailabilitySchema>;

export const TimeZoneSchema = z
  .string()
  .max(64, 'Time zone names are at most 64 characters')
  .superRefine((timeZone, ctx) => {
    const problem = timeZoneProblem(timeZone);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('IANA time zone of the study, e.g. "Europe/Berlin"; availability times are read in it');

export const DEFAULT_MIN_NOTICE_MINUTES = 240;
export const DEFAULT_HORIZON_DAYS = 30;
/** A fixed booking window spans at most this many dates, like the longest rolling horizon. */
export const MAX_FIXED_WINDOW_DAYS = 366;

const minutes = (min: number, max: number) => z.number().int('Use whole minutes').min(min).max(max);

/**
 * The scheduling fields of a study, flat as the studies API takes them. Exported as a shape
 * so the studies body schema can spread it beside title, time zone and the rest, then add
 * `.superRefine(checkSchedulingRules)`.
 */
export const schedulingRulesShape = {
  durationMinutes: minutes(5, 480).describe('Length of one interview, 5–480 minutes'),
  bufferBeforeMinutes: minutes(0, 240)
    .default(0)
    .describe('Free time kept before each interview against any busy time, 0–240 minutes'),
  bufferAfterMinutes: minutes(0, 240)
    .default(0)
    .describe('Free time kept after each interview against any busy time, 0–240 minutes'),
  minNoticeMinutes: minutes(0, 43200)
    .default(DEFAULT_MIN_NOTICE_MINUTES)
    .describe('Earliest a slot may start, in minutes from now, 0–43200 (30 days); default 240 (4 hours)'),
  horizonDays: z
    .number()
    .int('Use whole days')
    .min(1)
    .max(365)
    .optional()
    .describe(
      'Rolling booking window: slots start before now + this many days (same local clock time); default 30. Not with startDate/endDate',
    ),
  startDate: LocalDateSchema.optional().describe('Fixed booking window: first bookable date (with endDate)'),
  endDate: LocalDateSchema.optional().describe(
    'Fixed booking window: last bookable date, inclusive (with startDate); at most 366 dates in all',
  ),
  slotStepMinutes: minutes(5, 480)
    .optional()
    .describe(
      'Minutes between offered start times, counted from each window start; default: 30, or 15/10/5 for interviews shorter than that',
    ),
  dailyLimit: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("Most interviews of this study on one day (the study time zone's date); absent = no limit"),
};

interface BookingWindowFields {
  horizonDays?: number | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
}

/** Cross-field rules of the booking window; each issue's path names the field to change. */
export function checkSchedulingRules(rules: BookingWindowFields, ctx: z.RefinementCtx): void {
  const { horizonDays, startDate, endDate } = rules;
  const fixed = startDate !== undefined || endDate !== undefined;
  if (fixed && horizonDays !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['horizonDays'],
      message: 'Give either horizonDays (rolling) or startDate and endDate (fixed), not both',
    });
  }
  if (startDate !== undefined && endDate === undefined) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate is required with startDate' });
  }
  if (endDate !== undefined && startDate === undefined) {
    ctx.addIssue({ code: 'custom', path: ['startDate'], message: 'startDate is required with endDate' });
  }
  if (startDate === undefined || endDate === undefined) return;
  if (!isCalendarDate(startDate) || !isCalendarDate(endDate)) return; // already reported
  const days = (wallMidnightOf(endDate) - wallMidnightOf(startDate)) / DAY_MS + 1;
  if (days < 1) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
  } else if (days > MAX_FIXED_WINDOW_DAYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['endDate'],
      message: `A fixed booking window spans at most ${MAX_FIXED_WINDOW_DAYS} dates`,
    });
  }
}

export const SchedulingRulesSchema = z
  .strictObject(schedulingRulesShape)
  .superRefine(checkSchedulingRules)
  .describe('How slots are cut from availability');
export type SchedulingRulesInput = z.input<typeof SchedulingRulesSchema>;
export type SchedulingRules = z.infer<typeof SchedulingRulesSchema>;
