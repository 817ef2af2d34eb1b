import { z } from 'zod';

/**
 * When reminders go out, as a pure function of the booking, the study's offsets and `now`:
 * no clock, no database. The use cases write what these functions decide.
 */

export const MAX_REMINDERS = 3;
export const MIN_MINUTES_BEFORE = 15;
export const MAX_MINUTES_BEFORE = 7 * 24 * 60;
export const DEFAULT_REMINDER_MINUTES_BEFORE: readonly number[] = [24 * 60];
/** Closer to the start than this, a reminder is more noise than help: it is not sent. */
export const LAST_CALL_MINUTES = 10;

export const ReminderMinutesBefore = z
  .array(
    z
      .number('Each reminder is a number of minutes before the interview')
      .int('Each reminder is a whole number of minutes')
      .min(
        MIN_MINUTES_BEFORE,
        `A reminder goes out at least ${MIN_MINUTES_BEFORE} minutes before the interview`,
      )
      .max(MAX_MINUTES_BEFORE, 'A reminder goes out at most 7 days (10080 minutes) before the interview'),
  )
  .max(MAX_REMINDERS, `At most ${MAX_REMINDERS} reminders`)
  .refine((minutes) => new Set(minutes).size === minutes.length, 'Each reminder time only once')
  .transform((minutes) => [...minutes].sort((a, b) => b - a))
  .describe(
    `Reminder emails, in minutes before the interview (${MIN_MINUTES_BEFORE} to ${MAX_MINUTES_BEFORE}, at most ${MAX_REMINDERS}, each once); [] = none; default [1440] (24 hours before)`,
  );

export interface PlannedReminder {
  minutesBefore: number;
  dueAt: Date;
}

export interface PlanInput {
  /** The confirmed interview's start; null when there is none to remind of. */
  interviewStart: Date | null;
  minutesBefore: readonly number[];
  /** Whether the participant's status still awaits this interview (`scheduled`). */
  awaitsInterview: boolean;
  unsubscribed: boolean;
  now: Date;
}

/**
 * One reminder per offset; none when there is no interview to remind of, the participant
 * unsubscribed or has a verdict, and none whose time has already passed when the booking is
 * made or moved (a "tomorrow" written 3 hours before would be wrong).
 */
export function planReminders(input: PlanInput): PlannedReminder[] {
  const { interviewStart: start } = input;
  if (!start || !input.awaitsInterview || input.unsubscribed) return [];
  return input.minutesBefore
    .map((minutesBefore) => ({ minutesBefore, dueAt: new Date(start.getTime() - minutesBefore * 60_000) }))
    .filter((reminder) => reminder.dueAt.getTime() > input.now.getTime());
}

export interface ExistingReminder {
  id: string;
  bookingId: string;
  minutesBefore: number;
  interviewStart: Date;
  state: 'planned' | 'sent';
}

export interface PlanChanges {
  drop: string[];
  add: PlannedReminder[];
}

/**
 * What turns the stored plan into the wanted one. A planned reminder for the same booking,
 * offset and start stays as it is; every other planned one is dropped. A wanted reminder
 * already sent for that very start is not planned again (an unrelated change, like a new
 * Meet link, must not send a second one); after a move it is, for the new time.
 */
export function reminderPlanChanges(
  existing: readonly ExistingReminder[],
  bookingId: string | null,
  wanted: readonly PlannedReminder[],
): PlanChanges {
  const matches = (row: ExistingReminder, want: PlannedReminder) =>
    row.bookingId === bookingId &&
    row.minutesBefore === want.minutesBefore &&
    row.interviewStart.getTime() === want.dueAt.getTime() + want.minutesBefore * 60_000;
  const drop = existing
    .filter((row) => row.state === 'planned' && !wanted.some((want) => matches(row, want)))
    .map((row) => row.id);
  const add = wanted.filter((want) => !existing.some((row) => matches(row, want)));
  return { drop, add };
}

export interface DueReminder {
  id: string;
  minutesBefore: number;
  dueAt: Date;
}

export interface DueDecision {
  send: DueReminder | null;
  drop: { id: string; because: string }[];
}

/**
 * Of one booking's reminders due now, the one closest to the interview is sent and the
 * others dropped (after an outage, one reminder rather than a burst of stale ones). None is
 * sent when the interview is less than LAST_CALL_MINUTES away, and none later than half its
 * lead after its time: a "tomorrow" must not arrive three hours before.
 */
export function decideDueReminders(
  due: readonly DueReminder[],
  interviewStart: Date,
  now: Date,
): DueDecision {
  if (interviewStart.getTime() - now.getTime() < LAST_CALL_MINUTES * 60_000) {
    return {
      send: null,
      drop: due.map(({ id }) => ({ id, because: 'too late: the interview is about to start' })),
    };
  }
  const late = (reminder: DueReminder) =>
    now.getTime() - reminder.dueAt.getTime() > (reminder.minutesBefore / 2) * 60_000;
  const drop = due.filter(late).map(({ id }) => ({ id, because: 'too late for its wording' }));
  const [closest, ...others] = due
    .filter((reminder) => !late(reminder))
    .sort((a, b) => a.minutesBefore - b.minutesBefore);
  drop.push(...others.map(({ id }) => ({ id, because: 'a later reminder was due at the same time' })));
  return { send: closest ?? null, drop };
}

/** "tomorrow", "in 1 hour", "in 2 days", "in 30 minutes", "in 1 hour 30 minutes". */
export function reminderLead(minutesBefore: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (minutesBefore % 1440 === 0) {
    const days = minutesBefore / 1440;
    return days === 1 ? 'tomorrow' : `in ${plural(days, 'day')}`;
  }
  const hours = Math.floor(minutesBefore / 60);
  const minutes = minutesBefore % 60;
  if (hours === 0) return `in ${plural(minutes, 'minute')}`;
  return minutes === 0
    ? `in ${plural(hours, 'hour')}`
    : `in ${plural(hours, 'hour')} ${plural(minutes, 'minute')}`;
}
