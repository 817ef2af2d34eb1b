import { dateTimeFormat } from '../availability/date-time-formats';

/** How the console writes times and durations: in a named zone, as a researcher reads them. */

/** "7 Dec 2026" in UTC: when something happened, for lists such as API tokens. */
export function formatDate(at: Date): string {
  return dateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(at);
}

export function formatMinutes(minutes: number): string {
  if (minutes < 60 || minutes % 60 !== 0) return `${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
