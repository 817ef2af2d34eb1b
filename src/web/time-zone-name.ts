import { dateTimeFormat } from '../availability/date-time-formats';

/**
 * A time zone as people say it: "Eastern Time — New York (GMT-05:00)". An IANA id such as
 * "America/New_York" is precise but not what a participant reads in an email; the offset
 * is added because it changes with daylight saving time, so it is the one for `at`.
 */
export interface TimeZoneName {
  /** "Eastern Time — New York"; the offset alone for zones without a name ("Etc/GMT+5"). */
  words: string;
  /** "GMT-05:00" as the locale writes it, for the instant `at`. */
  offset: string;
  /** Both: "Eastern Time — New York (GMT-05:00)". */
  label: string;
}

export function describeTimeZone(timeZone: string, at: Date, locale = 'en'): TimeZoneName {
  const offset = zonePart(timeZone, at, locale, 'longOffset') ?? timeZone;
  const name = [zoneName(timeZone, at, locale), cityOf(timeZone)].filter(Boolean).join(' — ');
  const words = name || offset;
  return { words, offset, label: name ? `${name} (${offset})` : offset };
}

/** The zone's generic name ("Eastern Time"), else its specific one; never a bare offset. */
function zoneName(timeZone: string, at: Date, locale: string): string | undefined {
  for (const style of ['longGeneric', 'long'] as const) {
    const name = zonePart(timeZone, at, locale, style);
    if (name && !/^(GMT|UTC)([+\-−]|$)/.test(name)) return name;
  }
  return undefined;
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires"; none for "UTC" or "Etc/…". */
function cityOf(timeZone: string): string | undefined {
  const segments = timeZone.split('/');
  if (segments.length < 2 || segments[0] === 'Etc') return undefined;
  return segments[segments.length - 1]?.replace(/_/g, ' ');
}

function zonePart(
  timeZone: string,
  at: Date,
  locale: string,
  style: 'longGeneric' | 'long' | 'longOffset',
): string | undefined {
  return dateTimeFormat(locale, { timeZone, timeZoneName: style })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
}
