import type { z } from 'zod';
import { MAX_REMINDERS } from '../reminders/reminder-plan';

/**
 * The study form's reminder field: one line such as "24h, 1h" for the API's
 * `reminderMinutesBefore` ([1440, 60]). Pure; kept apart from the rest of the form so the
 * reminder part can change without touching it.
 */

export const REMINDER_FIELD = 'reminderMinutesBefore';
export const REMINDER_LABEL = 'Reminders before the interview';

const UNIT_WORDS: [RegExp, string][] = [
  [/days?/g, 'd'],
  [/(?:hours?|hrs?)/g, 'h'],
  [/(?:minutes?|mins?)/g, 'm'],
];

/** "1d", "24h", "1h 30m", "90 minutes" → minutes; undefined for anything else. */
export function minutesOf(typed: string): number | undefined {
  let token = typed.trim().toLowerCase();
  for (const [words, unit] of UNIT_WORDS) token = token.replace(words, unit);
  token = token.replace(/\s+/g, '');
  const match = /^(?:(\d{1,5})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$/.exec(token);
  if (!match || token === '') return undefined;
  const [, days = '0', hours = '0', minutes = '0'] = match;
  return Number(days) * 1440 + Number(hours) * 60 + Number(minutes);
}

/** The API's list: times that cannot be read stay text, so the schema reports them at their place. */
export function reminderInputOf(typed: string): (number | string)[] {
  return typed
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => minutesOf(part) ?? part);
}

/** [1440, 60] → "24h, 1h"; [2880] → "2d"; [90] → "1h 30m". */
export function reminderTextOf(minutesBefore: readonly number[]): string {
  return minutesBefore
    .map((minutes) => {
      if (minutes % 1440 === 0 && minutes > 1440) return `${minutes / 1440}d`;
      if (minutes % 60 === 0) return `${minutes / 60}h`;
      return minutes > 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
    })
    .join(', ');
}

export const REMINDER_HINT = `Up to ${MAX_REMINDERS}, separated by commas, like 24h, 1h or 30m (15 minutes to 7 days). Leave empty to send none. Participants can unsubscribe.`;

/** zod's issue on `reminderMinutesBefore` in words about what was typed. */
export function reminderFieldMessage(issue: z.core.$ZodIssue, typed: string): string {
  const [, index] = issue.path;
  const part = typeof index === 'number' ? reminderInputOf(typed)[index] : undefined;
  if (typeof part === 'string') return `Reminders: “${part}” is not a time like 24h, 1h or 30m`;
  return `Reminders: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
}
