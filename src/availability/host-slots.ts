import {
  hostPlan,
  requireHosts,
  studyQueryOf,
  takesBookings,
  type HostInput,
  type HostSlotQuery,
} from './hosts';
import { BusySweep, mergeSpans, spanOf, spansOverlap } from './intervals';
import {
  DAY_MS,
  formatWallDate,
  localDateOf,
  resolveWallTime,
  wallMidnightOf,
  type LocalDate,
} from './local-time';
import {
  forEachStartOfDay,
  isDayFull,
  planSearch,
  type SearchPlan,
  type Slot,
  type SlotRefusal,
} from './slots';

/**
 * Free slots of a study with several hosts.
 *
 * Each host has their own set of slots, cut exactly as `computeSlots` cuts one researcher's:
 * start times from the host's hours (their own, in their zone, or the study's common
 * schedule), minus the host's busy time widened by the buffers, minus days on which the
 * host already holds the daily limit of this study's interviews. The study's notice,
 * booking window (in the study's zone) and from/to apply to every host alike.
 *
 * - one-on-one: the one host's slots (identical to `computeSlots`);
 * - collective: the starts in every host's set (the intersection);
 * - round robin: the starts in at least one host's set (the union), with those hosts as
 *   the candidates.
 *
 * Decisions a demanding team expects, and why:
 * - Buffers are kept around each host's own busy time: they exist so a person gets a break
 *   between meetings, so Ada's interview right before 10:00 does not stop Ben at 10:00.
 * - The daily limit counts per host (this study's interviews the host is in, by date in the
 *   study's zone): it protects an interviewer's day. In a round robin of three hosts with a
 *   limit of 2, each host does at most 2 a day, so the study can fill 6; a host who is full
 *   stops being a candidate and the others keep taking bookings. One-on-one and collective
 *   hosts are in every interview of the study, so there it is the study's count as before.
 * - Start times are each host's own grid: a collective slot needs the same start in every
 *   host's hours, so hosts with own hours should open them on the study's step (09:00,
 *   09:30 …); hours opening at 09:10 next to 09:00 share no start.
 */
export interface HostSlots {
  /** Start and end only: everything the public booking page may show. */
  slots: Slot[];
  /**
   * For the booking side only, never the public page: the ids of the hosts free for the slot
   * starting at this instant (ms), in the order of `query.hosts`. Collective and one-on-one:
   * every host. Round robin: the candidates, to give to `pickRoundRobinHost`.
   */
  hostsByStart: ReadonlyMap<number, readonly string[]>;
}

export function computeHostSlots(query: HostSlotQuery): HostSlots {
  requireHosts(query.schedulingType, query.hosts);
  const study = planSearch(studyQueryOf(query));
  const hostsByStart = new Map<number, string[]>();
  if (query.schedulingType === 'round_robin') {
    for (const host of query.hosts) {
      for (const start of hostFreeStarts(study, host)) {
        const hosts = hostsByStart.get(start);
        if (hosts) hosts.push(host.hostId);
        else hostsByStart.set(start, [host.hostId]);
      }
    }
  } else {
    const everyHost = query.hosts.map((host) => host.hostId);
    let common: number[] | undefined;
    for (const host of query.hosts) {
      const starts = hostFreeStarts(study, host);
      const free = new Set(starts);
      common = common === undefined ? starts : common.filter((start) => free.has(start));
      if (common.length === 0) break;
    }
    for (const start of common ?? []) hostsByStart.set(start, everyHost);
  }
  const starts = [...hostsByStart.keys()].sort((a, b) => a - b);
  return {
    slots: starts.map((start) => ({ start: new Date(start), end: new Date(start + study.durationMs) })),
    hostsByStart,
  };
}

export type HostSlotCheck =
  { available: true; slot: Slot; hostIds: readonly string[] } | { available: false; reason: SlotRefusal };

/**
 * The rules of `computeHostSlots` for one proposed start, as `checkSlot` for one researcher.
 * When hosts fail for different reasons, a collective slot reports the most basic one (one
 * host's hours do not give this start: it was never offered), a round robin the least basic
 * one (some host's hours give it but the host is busy: someone was faster). A host who takes
 * no bookings (revoked calendar) makes a start `not-a-slot` for them.
 */
export function checkHostSlot(query: HostSlotQuery, proposedStart: Date): HostSlotCheck {
  requireHosts(query.schedulingType, query.hosts);
  const study = planSearch(studyQueryOf(query));
  const start = proposedStart.getTime();
  if (Number.isNaN(start)) return { available: false, reason: 'not-a-slot' };
  if (start < study.noticeEnd) return { available: false, reason: 'too-soon' };
  const studyDate = localDateOf(study.timeZone, start);
  const wallMidnight = wallMidnightOf(studyDate);
  if (
    start < study.earliest ||
    start >= study.latest ||
    wallMidnight < study.firstDay ||
    wallMidnight > study.lastDay
  ) {
    return { available: false, reason: 'outside-booking-window' };
  }
  const refusals = query.hosts.map((host) => hostRefusal(study, host, start, studyDate));
  const hostIds = query.hosts.filter((_, index) => refusals[index] === undefined).map((host) => host.hostId);
  const enough =
    query.schedulingType === 'round_robin' ? hostIds.length > 0 : hostIds.length === query.hosts.length;
  if (enough) {
    return {
      available: true,
      slot: { start: new Date(start), end: new Date(start + study.durationMs) },
      hostIds,
    };
  }
  const ranks = refusals
    .filter((refusal) => refusal !== undefined)
    .map((refusal) => HOST_REFUSALS.indexOf(refusal));
  const rank = query.schedulingType === 'round_robin' ? Math.max(...ranks) : Math.min(...ranks);
  return { available: false, reason: HOST_REFUSALS[rank]! };
}

/** From most basic to least: the order a host's rules are checked in. */
const HOST_REFUSALS = ['not-a-slot', 'day-full', 'busy'] as const;
type HostRefusal = (typeof HOST_REFUSALS)[number];

function hostRefusal(
  study: SearchPlan,
  host: HostInput,
  start: number,
  studyDate: LocalDate,
): HostRefusal | undefined {
  if (!takesBookings(host)) return 'not-a-slot';
  const plan = hostPlan(study, host);
  let end: number | undefined;
  forEachStartOfDay(plan, wallMidnightOf(localDateOf(plan.timeZone, start)), (candidate, candidateEnd) => {
    if (candidate === start) end = candidateEnd;
  });
  if (end === undefined) return 'not-a-slot';
  if (isDayFull(plan, studyDate)) return 'day-full';
  const guarded = { start: start - plan.bufferBeforeMs, end: end + plan.bufferAfterMs };
  if (host.busy.some((interval) => spansOverlap(spanOf(interval), guarded))) return 'busy';
  return undefined;
}

/** The starts (increasing) of one host's own slots: `computeSlots` with the host's hours and busy time. */
export function hostFreeStarts(study: SearchPlan, host: HostInput): number[] {
  if (!takesBookings(host)) return [];
  const plan = hostPlan(study, host);
  const sweep = new BusySweep(mergeSpans(host.busy.map(spanOf)));
  const starts: number[] = [];
  forEachHostStart(study, plan, (start, end, studyDate) => {
    if (isDayFull(plan, studyDate)) return;
    if (sweep.isFree(start - plan.bufferBeforeMs, end + plan.bufferAfterMs)) starts.push(start);
  });
  return starts;
}

/**
 * Every start (increasing) that a host's hours give inside the study's booking window, with
 * its date in the study's zone. Hours in the study's zone walk the study's dates exactly as
 * `computeSlots` does (a start's local date is the day that gave it); hours in another zone
 * walk the host's dates that can reach the window, a day's margin either side, and keep the
 * starts whose instant and study date are inside it.
 */
function forEachHostStart(
  study: SearchPlan,
  plan: SearchPlan,
  visit: (start: number, end: number, studyDate: LocalDate) => void,
): void {
  if (study.firstDay > study.lastDay) return;
  const inWindow = (start: number) => start >= study.earliest && start < study.latest;
  if (plan.timeZone === study.timeZone) {
    for (let day = study.firstDay; day <= study.lastDay; day += DAY_MS) {
      const date = formatWallDate(day);
      forEachStartOfDay(plan, day, (start, end) => {
        if (inWindow(start)) visit(start, end, date);
      });
    }
    return;
  }
  const firstDate = formatWallDate(study.firstDay);
  const lastDate = formatWallDate(study.lastDay);
  const low = Math.max(study.earliest, resolveWallTime(study.timeZone, study.firstDay).instant);
  const high = Math.min(study.latest, resolveWallTime(study.timeZone, study.lastDay + DAY_MS).instant);
  if (low >= high) return;
  const firstHostDay = wallMidnightOf(localDateOf(plan.timeZone, low)) - DAY_MS;
  const lastHostDay = wallMidnightOf(localDateOf(plan.timeZone, high - 1)) + DAY_MS;
  for (let day = firstHostDay; day <= lastHostDay; day += DAY_MS) {
    forEachStartOfDay(plan, day, (start, end) => {
      if (!inWindow(start)) return;
      const date = localDateOf(study.timeZone, start);
      if (date >= firstDate && date <= lastDate) visit(start, end, date);
    });
  }
}
