import type { MinuteWindow } from './day-windows';
import type { Span } from './intervals';
import { MINUTE_MS, localDateOf, wallTimeOf } from './local-time';
import type { SearchPlan } from './slots';

/** How the "why is this time not offered" answers write times, durations and buffers. */

export const iso = (instant: number) => new Date(instant).toISOString();
export const pad = (value: number) => String(value).padStart(2, '0');
export const minuteText = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
export const windowText = (window: MinuteWindow) => ({
  start: minuteText(window.start),
  end: minuteText(window.end),
});
export const dash = (window: { start: string; end: string }) => `${window.start}–${window.end}`;

/** "14:05" in the zone. */
export function clock(timeZone: string, instant: number): string {
  return new Date(wallTimeOf(timeZone, instant)).toISOString().slice(11, 16);
}

/** "2026-12-08 14:05" in the zone. */
export function when(timeZone: string, instant: number): string {
  return `${localDateOf(timeZone, instant)} ${clock(timeZone, instant)}`;
}

export function range(timeZone: string, span: Span): string {
  const sameDay = localDateOf(timeZone, span.start) === localDateOf(timeZone, span.end - 1);
  return sameDay
    ? `${when(timeZone, span.start)}–${clock(timeZone, span.end)}`
    : `${when(timeZone, span.start)} to ${when(timeZone, span.end)}`;
}

export function duration(minutes: number): string {
  if (minutes % 1440 === 0 && minutes > 0) return `${minutes / 1440} day${minutes === 1440 ? "'s" : "s'"}`;
  if (minutes % 60 === 0 && minutes > 0) return `${minutes / 60} hour${minutes === 60 ? "'s" : "s'"}`;
  return `${minutes} minute${minutes === 1 ? "'s" : "s'"}`;
}

export function bufferText(plan: SearchPlan): string {
  const before = plan.bufferBeforeMs / MINUTE_MS;
  const after = plan.bufferAfterMs / MINUTE_MS;
  const sides =
    before === after
      ? `${before} minutes before and after`
      : before === 0
        ? `${after} minutes after`
        : after === 0
          ? `${before} minutes before`
          : `${before} minutes before and ${after} minutes after`;
  return `a buffer of ${sides} each interview`;
}
