import type { HostInput, HostSlotQuery, SlotQuery } from '../../src/availability';
import {
  dateOf,
  referenceHorizonEnd,
  referenceInstant,
  shiftDate,
  wallText,
  windowsOfDate,
} from './reference-slots';

/**
 * The documented multi-host rules by brute force on date-fns-tz, sharing no code with
 * src/availability: each host's own slots are cut like a single researcher's (the host's
 * hours in the host's zone, the study's notice, booking window and daily limit in the
 * study's zone, the host's busy time with the study's buffers); collective is then the
 * intersection of those sets and round robin their union.
 */

const MINUTE = 60_000;

/** Starts (ms, sorted) one host could take, before the scheduling type combines hosts. */
export function referenceHostStarts(query: HostSlotQuery, host: HostInput): number[] {
  if ((host.connection ?? 'connected') !== 'connected') return [];
  const studyZone = query.timeZone;
  const zone = host.hours?.timeZone ?? studyZone;
  const hours = { availability: host.hours?.availability ?? query.availability } as SlotQuery;
  const now = query.now.getTime();
  const asSlotQuery = { ...query, busy: [] } as SlotQuery;
  const earliest = Math.max(now + query.minNoticeMinutes * MINUTE, query.from?.getTime() ?? -Infinity);
  const latest = Math.min(referenceHorizonEnd(asSlotQuery), query.to?.getTime() ?? Infinity);
  const { window } = query;
  // Every host date that could hold a start in the study's window, and then some.
  const [firstDate, lastDate] =
    'horizonDays' in window
      ? [shiftDate(dateOf(now, zone), -2), shiftDate(dateOf(now, zone), window.horizonDays + 2)]
      : [shiftDate(window.startDate, -2), shiftDate(window.endDate, 2)];
  const booked = (host.studyBookingStarts ?? []).map((start) => dateOf(start.getTime(), studyZone));
  const starts = new Set<number>();
  for (let date = firstDate; date <= lastDate; date = shiftDate(date, 1)) {
    for (const hoursWindow of windowsOfDate(hours, date)) {
      const windowEnd = referenceInstant(wallText(date, hoursWindow.end), zone).instant;
      for (let minute = hoursWindow.start; minute < hoursWindow.end; minute += query.slotStepMinutes) {
        const start = referenceInstant(wallText(date, minute), zone);
        const end = start.instant + query.durationMinutes * MINUTE;
        if (!start.exists || end > windowEnd || start.instant < earliest || start.instant >= latest) continue;
        const studyDate = dateOf(start.instant, studyZone);
        if (!('horizonDays' in window) && (studyDate < window.startDate || studyDate > window.endDate))
          continue;
        if (
          query.dailyLimit !== undefined &&
          booked.filter((d) => d === studyDate).length >= query.dailyLimit
        )
          continue;
        const guardStart = start.instant - query.bufferBeforeMinutes * MINUTE;
        const guardEnd = end + query.bufferAfterMinutes * MINUTE;
        if (host.busy.some((b) => b.start.getTime() < guardEnd && guardStart < b.end.getTime())) continue;
        starts.add(start.instant);
      }
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** Start (ms) → the ids of the hosts free for it, by the scheduling type. */
export function referenceHostSlots(query: HostSlotQuery): Map<number, string[]> {
  const perHost = query.hosts.map((host) => ({
    id: host.hostId,
    starts: new Set(referenceHostStarts(query, host)),
  }));
  const all = [...new Set(perHost.flatMap((host) => [...host.starts]))].sort((a, b) => a - b);
  const result = new Map<number, string[]>();
  for (const start of all) {
    const free = perHost.filter((host) => host.starts.has(start)).map((host) => host.id);
    const offered = query.schedulingType === 'round_robin' ? free.length > 0 : free.length === perHost.length;
    if (offered) result.set(start, free);
  }
  return result;
}
