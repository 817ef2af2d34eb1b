import type { Knex } from 'knex';
import type { ResearcherCalendar } from '../connections/google-access';
import { allDayFallbackZone } from '../busy/all-day-zone';
import { blockingEvents, type BusyEvent } from '../busy/busy-events';
import { fetchBusyEvents, fetchTitledBusyEvents } from '../busy/busy-cache';
import { withoutHostedCopies } from '../busy/hosted-copies';
import { findHostHours } from '../researchers/host-hours';
import type { Study } from '../studies/study-repository';

const MINUTE_MS = 60_000;

/**
 * Asks Google itself (not the cache) whether anything now blocks [start, end) with the
 * study's buffers: the cache may be seconds old, and the researcher may have just added a
 * meeting. Same rules as the slot list (the study's conflict handling, the copies of
 * interviews this researcher hosts left out, all-day events in the calendar's zone).
 */
export async function slotStillFreeAtGoogle(
  db: Knex,
  calendar: ResearcherCalendar,
  study: Study,
  start: Date,
  end: Date,
): Promise<boolean> {
  const span = bufferedSpan(study, start, end);
  const events = await withoutHostedCopies(
    db,
    calendar.researcherId,
    await fetchBusyEvents(calendar, span.from, span.to),
  );
  return (await overlapping(db, calendar, events, study, span)).length === 0;
}

/** An event in the researcher's calendar that blocks a time; its title is for the researcher only. */
export interface CalendarOverlap {
  title: string | null;
  start: Date;
  end: Date;
}

/**
 * The same question as `slotStillFreeAtGoogle`, answered with the events that block the
 * time (with their titles), for a researcher booking by hand who decides whether to book
 * anyway.
 */
export async function calendarOverlaps(
  db: Knex,
  calendar: ResearcherCalendar,
  study: Study,
  start: Date,
  end: Date,
): Promise<CalendarOverlap[]> {
  const span = bufferedSpan(study, start, end);
  const events = await withoutHostedCopies(
    db,
    calendar.researcherId,
    await fetchTitledBusyEvents(calendar, span.from, span.to),
  );
  return (await overlapping(db, calendar, events, study, span)).map(({ event, interval }) => ({
    title: event.title ?? null,
    start: interval.start,
    end: interval.end,
  }));
}

function bufferedSpan(study: Study, start: Date, end: Date): { from: Date; to: Date } {
  return {
    from: new Date(start.getTime() - study.bufferBeforeMinutes * MINUTE_MS),
    to: new Date(end.getTime() + study.bufferAfterMinutes * MINUTE_MS),
  };
}

async function overlapping<E extends BusyEvent>(
  db: Knex,
  calendar: ResearcherCalendar,
  events: readonly E[],
  study: Study,
  span: { from: Date; to: Date },
) {
  const zone = allDayFallbackZone(
    study,
    study.hostHours === 'per_host' ? await findHostHours(db, calendar.researcherId) : null,
  );
  // Even with conflict handling off, the researcher being out of office blocks the slot.
  return blockingEvents(events, study.conflictHandling, zone).filter(
    ({ interval }) =>
      interval.end.getTime() > span.from.getTime() && interval.start.getTime() < span.to.getTime(),
  );
}
