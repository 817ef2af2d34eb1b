import { windowsOn } from './day-windows';
import { spanOf, spansOverlap, type Interval, type Span } from './intervals';
import { LocalDay } from './local-day';
import { MINUTE_MS, localDateOf, wallMidnightOf, wallTimeOf, type LocalDate } from './local-time';
import { bufferText, clock, dash, duration, iso, minuteText, range, when, windowText } from './explain-text';
import { forEachStartOfDay, isDayFull, planSearch, type SearchPlan, type SlotQuery } from './slots';

/**
 * "Why is this time not offered?" — the researcher picks a start and gets every rule that
 * keeps it off the booking page. Built on the very plan `computeSlots` uses (notice,
 * horizon, day windows, slot grid, daily limit), so the answer cannot drift from the slots:
 * a start is offered exactly when this finds no reason (property-tested).
 */

/** Busy time from the researcher's calendar, with the event's title when Google gave one. */
export interface TitledInterval extends Interval {
  /** The event's title; only ever shown to the researcher. Absent or null: just "busy". */
  title?: string | null | undefined;
}

export interface ExplainQuery extends Omit<SlotQuery, 'busy' | 'from' | 'to'> {
  /** Calendar events that block slots under the study's conflict handling. */
  calendarBusy: readonly TitledInterval[];
  /** The researcher's other live interviews, any study. */
  bookings: readonly Interval[];
}

export type SlotReasonCode =
  | 'outside-weekly-hours'
  | 'date-override'
  | 'not-on-grid'
  | 'min-notice'
  | 'beyond-horizon'
  | 'outside-date-range'
  | 'daily-limit'
  | 'busy-event'
  | 'buffer'
  | 'already-booked';

export interface SlotReason {
  code: SlotReasonCode;
  /** One sentence for the researcher, times in the study's zone. */
  message: string;
  /** Machine-readable facts behind the message (instants in ISO, local times "HH:MM"). */
  details: Record<string, unknown>;
}

export interface SlotExplanation {
  start: Date;
  end: Date;
  /** Empty when the booking page offers this start. */
  reasons: SlotReason[];
}

/** The query `computeSlots` takes for the same facts: calendar busy time and bookings alike block. */
export function slotQueryOfExplain(query: ExplainQuery): SlotQuery {
  const { calendarBusy, bookings, ...rules } = query;
  return { ...rules, busy: [...calendarBusy, ...bookings] };
}

export function explainSlot(query: ExplainQuery, start: Date): SlotExplanation {
  const plan = planSearch(slotQueryOfExplain(query));
  const instant = start.getTime();
  if (Number.isNaN(instant)) throw new RangeError('start is not a valid date');
  const end = instant + plan.durationMs;
  const reasons = [
    ...hoursReasons(plan, instant, end),
    ...bookingWindowReasons(query, plan, instant),
    ...dailyLimitReasons(query, plan, instant),
    ...busyReasons(query, plan, instant, end),
  ];
  return { start: new Date(instant), end: new Date(end), reasons };
}

/** The day's windows and the slot grid: the start must be one the day's windows generate. */
export function hoursReasons(plan: SearchPlan, start: number, end: number): SlotReason[] {
  const zone = plan.timeZone;
  const date = localDateOf(zone, start);
  const wallMidnight = wallMidnightOf(date);
  let onGrid = false;
  const gridStarts: number[] = [];
  forEachStartOfDay(plan, wallMidnight, (candidate) => {
    gridStarts.push(candidate);
    if (candidate === start) onGrid = true;
  });
  if (onGrid) return [];

  const weekday = new Date(wallMidnight).getUTCDay();
  const overridden = plan.table.overrides.has(date);
  const windows = windowsOn(plan.table, date, weekday);
  const minute = (wallTimeOf(zone, start) - wallMidnight) / MINUTE_MS;
  const containing = windows.find((window) => window.start <= minute && minute < window.end);
  const hours = windows.map(windowText);
  const details = { date, windows: hours };
  const dayName = WEEKDAY_NAMES[weekday]!;
  if (!containing || end > new LocalDay(zone, wallMidnight).boundary(containing.end)) {
    const endsLate = containing !== undefined;
    if (overridden) {
      return [
        reason('date-override', details, () => {
          if (windows.length === 0) return `${date} is closed by a date override.`;
          const late = endsLate ? `the interview would end at ${clock(zone, end)}, after they close; ` : '';
          return `${date} has its own hours by a date override (${hours.map(dash).join(', ')}); ${late}this time is outside them.`;
        }),
      ];
    }
    return [
      reason('outside-weekly-hours', { ...details, weekday: dayName.toLowerCase().slice(0, 3) }, () => {
        if (windows.length === 0) return `There are no interview hours on ${dayName}s.`;
        if (endsLate) {
          return `The interview would end at ${clock(zone, end)}, after ${dayName}'s hours end at ${containing!.end === 1440 ? '24:00' : minuteText(containing!.end)}.`;
        }
        return `${clock(zone, start)} is outside ${dayName}'s hours (${hours.map(dash).join(', ')}).`;
      }),
    ];
  }
  const earlier = gridStarts.filter((candidate) => candidate < start).at(-1);
  const later = gridStarts.find((candidate) => candidate > start);
  return [
    reason(
      'not-on-grid',
      {
        stepMinutes: plan.stepMinutes,
        ...(earlier !== undefined ? { previousStart: iso(earlier) } : {}),
        ...(later !== undefined ? { nextStart: iso(later) } : {}),
      },
      () => {
        const near = [earlier, later]
          .filter((value) => value !== undefined)
          .map((value) => clock(zone, value));
        // A clock time that happens twice (clocks going back) is offered at its first occurrence only.
        const repeated = gridStarts.some((candidate) => clock(zone, candidate) === clock(zone, start));
        const why = repeated
          ? `${clock(zone, start)} happens twice that day as the clocks go back; only the first is offered`
          : `interviews start every ${plan.stepMinutes} minutes from the start of the hours`;
        return `Not a start time: ${why}${near.length > 0 ? ` (nearest: ${near.join(', ')})` : ''}.`;
      },
    ),
  ];
}

export function bookingWindowReasons(
  query: Pick<ExplainQuery, 'minNoticeMinutes' | 'window'>,
  plan: SearchPlan,
  start: number,
): SlotReason[] {
  const zone = plan.timeZone;
  const reasons: SlotReason[] = [];
  if (start < plan.noticeEnd) {
    reasons.push(
      reason(
        'min-notice',
        { minNoticeMinutes: query.minNoticeMinutes, earliestStart: iso(plan.noticeEnd) },
        () =>
          `Bookings need ${duration(query.minNoticeMinutes)} notice; the earliest start now is ${when(zone, plan.noticeEnd)}.`,
      ),
    );
  }
  const { window } = query;
  if ('horizonDays' in window) {
    if (start >= plan.latest) {
      reasons.push(
        reason(
          'beyond-horizon',
          { horizonDays: window.horizonDays, bookableUntil: iso(plan.latest) },
          () =>
            `More than ${window.horizonDays} days ahead; participants can book starts before ${when(zone, plan.latest)}.`,
        ),
      );
    }
  } else {
    const date = localDateOf(zone, start);
    if (date < window.startDate || date > window.endDate) {
      reasons.push(
        reason(
          'outside-date-range',
          { startDate: window.startDate, endDate: window.endDate },
          () => `${date} is outside the study's dates, ${window.startDate} to ${window.endDate}.`,
        ),
      );
    }
  }
  return reasons;
}

export function dailyLimitReasons(
  query: Pick<ExplainQuery, 'dailyLimit'>,
  plan: SearchPlan,
  start: number,
): SlotReason[] {
  const date: LocalDate = localDateOf(plan.timeZone, start);
  if (!isDayFull(plan, date)) return [];
  const booked = plan.bookingsPerDay.get(date) ?? 0;
  return [
    reason(
      'daily-limit',
      { date, dailyLimit: query.dailyLimit, booked },
      () =>
        `${date} already has ${booked} interview${booked === 1 ? '' : 's'} of this study, the daily limit of ${query.dailyLimit}.`,
    ),
  ];
}

/** What overlaps the interview, or only its buffers: calendar events by title, other interviews. */
export function busyReasons(
  query: Pick<ExplainQuery, 'calendarBusy' | 'bookings'>,
  plan: SearchPlan,
  start: number,
  end: number,
): SlotReason[] {
  const zone = plan.timeZone;
  const slot: Span = { start, end };
  const guarded: Span = { start: start - plan.bufferBeforeMs, end: end + plan.bufferAfterMs };
  const reasons: SlotReason[] = [];
  for (const event of query.calendarBusy) {
    const span = spanOf(event);
    // Empty intervals block nothing in computeSlots either.
    if (span.end <= span.start || !spansOverlap(span, guarded)) continue;
    const inBuffer = !spansOverlap(span, slot);
    const title = event.title?.trim() ? event.title.trim() : null;
    // Without a title (Google may hide it) the event is only "busy".
    const name = title === null ? '' : ` “${title}”`;
    reasons.push(
      reason('busy-event', { title, start: iso(span.start), end: iso(span.end), inBuffer }, () =>
        inBuffer
          ? `Too close to a calendar event${name} (${range(zone, span)}): the study keeps ${bufferText(plan)}.`
          : `The calendar is busy${title === null ? '' : ':'}${name} (${range(zone, span)}).`,
      ),
    );
  }
  for (const booking of query.bookings) {
    const span = spanOf(booking);
    if (span.end <= span.start || !spansOverlap(span, guarded)) continue;
    if (spansOverlap(span, slot)) {
      reasons.push(
        reason(
          'already-booked',
          { start: iso(span.start), end: iso(span.end) },
          () => `Another interview is booked at this time (${range(zone, span)}).`,
        ),
      );
    } else {
      reasons.push(
        reason(
          'buffer',
          {
            start: iso(span.start),
            end: iso(span.end),
            side: span.end <= start ? 'before' : 'after',
          },
          () => `Too close to another interview (${range(zone, span)}): the study keeps ${bufferText(plan)}.`,
        ),
      );
    }
  }
  return reasons;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function reason(
  code: SlotReasonCode,
  details: Record<string, unknown>,
  message: () => string,
): SlotReason {
  return { code, message: message(), details };
}
