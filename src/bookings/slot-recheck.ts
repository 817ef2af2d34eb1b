import type { ResearcherCalendar } from '../connections/google-access';
import { busyIntervals } from '../busy/busy-events';
import { fetchBusyEvents } from '../busy/busy-cache';
import type { Study } from '../studies/study-repository';

const MINUTE_MS = 60_000;

/**
 * Asks Google itself (not the cache) whether anything now blocks [start, end) with the
 * study's buffers: the cache may be seconds old, and the researcher may have just added a
 * meeting. Same rules as the slot list (the study's conflict handling).
 */
export async function slotStillFreeAtGoogle(
  calendar: ResearcherCalendar,
  study: Study,
  start: Date,
  end: Date,
): Promise<boolean> {
  // Even with conflict handling off, the researcher being out of office blocks the slot.
  const from = new Date(start.getTime() - study.bufferBeforeMinutes * MINUTE_MS);
  const to = new Date(end.getTime() + study.bufferAfterMinutes * MINUTE_MS);
  const events = await fetchBusyEvents(calendar, from, to);
  return busyIntervals(events, study.conflictHandling, study.timeZone).every(
    (busy) => busy.end.getTime() <= from.getTime() || busy.start.getTime() >= to.getTime(),
  );
}
