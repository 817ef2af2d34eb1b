import { dateTimeFormat } from '../availability/date-time-formats';

/**
 * Times as the console shows them: in the study's time zone, which the page names, so a
 * researcher travelling (or a participant elsewhere) reads the same wall-clock time the
 * calendar invitation has. "Tue 8 Dec 2026, 10:00".
 */
export function formatMoment(at: Date, timeZone: string): string {
  const parts = partsOf(at, timeZone);
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

/** "Tue 8 Dec 2026, 10:00 (Europe/Berlin)": the zone named, so nobody guesses whose time. */
export function formatMomentInZone(at: Date, timeZone: string): string {
  return `${formatMoment(at, timeZone)} (${timeZone})`;
}

/** "Tue 8 Dec 2026, 10:00–10:45 (Europe/Berlin)"; an interview across midnight names both days. */
export function formatInterval(start: Date, end: Date, timeZone: string): string {
  const from = partsOf(start, timeZone);
  const to = partsOf(end, timeZone);
  const sameDay = from.day === to.day && from.month === to.month && from.year === to.year;
  const endText = sameDay ? `${to.hour}:${to.minute}` : formatMoment(end, timeZone);
  return `${formatMoment(start, timeZone)}–${endText} (${timeZone})`;
}

function partsOf(at: Date, timeZone: string): Record<string, string> {
  const format = dateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
}
