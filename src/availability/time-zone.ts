import { dateTimeFormat } from './date-time-formats';

/**
 * Whether a string names an IANA time zone this runtime knows.
 *
 * `Intl.supportedValuesOf('timeZone')` alone is not enough: Node 20's list holds only ICU's
 * canonical names, so it lacks `UTC` and modern names such as `Asia/Kolkata` or
 * `Europe/Kyiv` (ICU still calls them `Asia/Calcutta`, `Europe/Kiev`). So a name is valid
 * when `Intl.DateTimeFormat` accepts it, with two refusals on top:
 * - offsets like `+05:00` (newer V8 accepts them): a study needs a zone with DST rules, and
 *   Google Calendar expects IANA names;
 * - a wrong-case spelling (`america/new_york`): Intl accepts it, but Google and people
 *   reading the study would not; the error says which spelling to use.
 */
export function isValidTimeZone(timeZone: string): boolean {
  return timeZoneProblem(timeZone) === undefined;
}

/** Why a time zone is refused, or undefined when it is fine. */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (!/^[A-Za-z]/.test(timeZone)) return 'Use an IANA time zone name such as "Europe/Berlin"';
  let canonical: string;
  try {
    canonical = dateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return `Unknown time zone "${timeZone}"; use an IANA name such as "Europe/Berlin"`;
  }
  if (canonical !== timeZone && canonical.toLowerCase() === timeZone.toLowerCase()) {
    return `Write the time zone as "${canonical}"`;
  }
  return undefined;
}
