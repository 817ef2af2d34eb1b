import {
  bookingWindowReasons,
  busyReasons,
  dailyLimitReasons,
  hoursReasons,
  reason,
  type SlotReason,
  type SlotReasonCode,
  type TitledInterval,
} from './explain-slot';
import { range } from './explain-text';
import { hostPlan, requireHosts, studyQueryOf, type HostFacts, type HostSlotQuery } from './hosts';
import type { Interval } from './intervals';
import { localDateOf } from './local-time';
import { isDayFull, planSearch, type SearchPlan } from './slots';

/**
 * "Why is this time not offered?" for a study with several hosts: the study's own rules
 * (notice, booking window, and the common schedule when every host keeps it), then per host
 * what keeps them from this start, then what the scheduling type makes of it — collective
 * needs every host free, round robin one. Built on the plans `computeHostSlots` uses, so a
 * start is offered exactly when this finds no reason (property-tested). With one host the
 * answer is `explainSlot`'s, word for word.
 */

export interface HostExplainInput extends HostFacts {
  /** Calendar events that block this host under the study's conflict handling. */
  calendarBusy: readonly TitledInterval[];
  /** The host's other live interviews, any study. */
  bookings: readonly Interval[];
}

export interface HostExplainQuery extends Omit<HostSlotQuery, 'hosts' | 'from' | 'to'> {
  hosts: readonly HostExplainInput[];
}

export type HostSlotReasonCode =
  | SlotReasonCode
  /** The host's calendar connection is revoked or needs consent. */
  | 'host-not-bookable'
  /** Collective: some host is not free. */
  | 'not-all-hosts-free'
  /** Round robin: no host is free. */
  | 'no-host-free';

export interface HostSlotReason extends Omit<SlotReason, 'code'> {
  code: HostSlotReasonCode;
}

export interface HostVerdict {
  hostId: string;
  name: string;
  /** Free for this start as far as the host's own hours, limit and busy time go. */
  free: boolean;
  /** Why not, each message naming the host when the study has several. */
  reasons: HostSlotReason[];
}

export interface HostSlotExplanation {
  start: Date;
  end: Date;
  /** Everything that keeps the start off the booking page; empty exactly when it is offered. */
  reasons: HostSlotReason[];
  /** Every host's verdict, also when the start is offered (round robin: who could take it). */
  hosts: HostVerdict[];
}

/** The `computeHostSlots` query for the same facts: calendar busy time and bookings alike block. */
export function hostSlotQueryOfExplain(query: HostExplainQuery): HostSlotQuery {
  return {
    ...query,
    hosts: query.hosts.map(({ calendarBusy, bookings, ...host }) => ({
      ...host,
      busy: [...calendarBusy, ...bookings],
    })),
  };
}

export function explainHostSlot(query: HostExplainQuery, start: Date): HostSlotExplanation {
  requireHosts(query.schedulingType, query.hosts);
  const study = planSearch(studyQueryOf(query));
  const instant = start.getTime();
  if (Number.isNaN(instant)) throw new RangeError('start is not a valid date');
  const end = instant + study.durationMs;
  const several = query.hosts.length > 1;
  // Hosts on the common schedule share its reasons: say them once, as the study's.
  const sharedHours = query.hosts.every((host) => host.hours === undefined);
  const studyReasons: HostSlotReason[] = [
    ...(sharedHours ? hoursReasons(study, instant, end) : []),
    ...bookingWindowReasons(query, study, instant),
  ];
  const hosts = query.hosts.map((host): HostVerdict => {
    const reasons = hostReasons(query, study, host, instant, end, { sharedHours, several });
    return { hostId: host.hostId, name: host.name, free: reasons.length === 0, reasons };
  });
  const free = hosts.filter((host) => host.free);
  const enough = query.schedulingType === 'round_robin' ? free.length > 0 : free.length === hosts.length;
  const reasons = enough
    ? studyReasons
    : [
        ...studyReasons,
        ...(several ? [typeReason(query, hosts)] : []),
        ...hosts.flatMap((host) => host.reasons),
      ];
  return { start: new Date(instant), end: new Date(end), reasons, hosts };
}

function hostReasons(
  query: HostExplainQuery,
  study: SearchPlan,
  host: HostExplainInput,
  start: number,
  end: number,
  options: { sharedHours: boolean; several: boolean },
): HostSlotReason[] {
  const plan = hostPlan(study, host);
  const zoneNote = plan.timeZone === study.timeZone ? '' : ` (hours in ${plan.timeZone})`;
  const hours = options.sharedHours ? [] : hoursReasons(plan, start, end);
  const busy = busyReasons(host, study, start, end);
  if (!options.several) {
    // One host: the study's wording, as explainSlot gives it.
    return [
      ...connectionReasons(host, host.name),
      ...hours.map((r) =>
        zoneNote ? { ...r, message: `Hours in ${plan.timeZone}: ${lowerFirst(r.message)}` } : r,
      ),
      ...dailyLimitReasons(query, { ...plan, timeZone: study.timeZone }, start),
      ...busy,
    ];
  }
  const tag = (r: HostSlotReason, message: string): HostSlotReason => ({
    ...r,
    message,
    details: { ...r.details, hostId: host.hostId },
  });
  return [
    ...connectionReasons(host, host.name).map((r) => tag(r, r.message)),
    ...hours.map((r) => tag(r, `${host.name}${zoneNote}: ${lowerFirst(r.message)}`)),
    ...hostDailyLimitReasons(query, plan, host, start).map((r) => tag(r, r.message)),
    ...busy.map((r) => tag(r, `${host.name}: ${busyText(study, r)}`)),
  ];
}

function connectionReasons(host: HostFacts, who: string): HostSlotReason[] {
  const connection = host.connection ?? 'connected';
  if (connection === 'connected') return [];
  const why =
    connection === 'revoked'
      ? 'the Google Calendar connection was revoked'
      : connection === 'none'
        ? 'no Google Calendar is connected'
        : 'the Google Calendar connection needs consent again';
  return [
    { code: 'host-not-bookable', message: `${who} takes no new bookings: ${why}.`, details: { connection } },
  ];
}

/** The daily limit counts per host: this study's interviews the host is in that date. */
function hostDailyLimitReasons(
  query: HostExplainQuery,
  plan: SearchPlan,
  host: HostFacts,
  start: number,
): SlotReason[] {
  const date = localDateOf(query.timeZone, start);
  if (!isDayFull(plan, date)) return [];
  const booked = plan.bookingsPerDay.get(date) ?? 0;
  return [
    reason(
      'daily-limit',
      { date, dailyLimit: query.dailyLimit, booked },
      () =>
        `${host.name} already has ${booked} interview${booked === 1 ? '' : 's'} of this study on ${date}, the daily limit per host of ${query.dailyLimit}.`,
    ),
  ];
}

/** "busy: “Team sync” (…)" rather than "the calendar is busy…" once the host's name leads. */
function busyText(study: SearchPlan, r: SlotReason): string {
  if (r.code !== 'busy-event' || r.details.inBuffer) return lowerFirst(r.message);
  const span = { start: Date.parse(String(r.details.start)), end: Date.parse(String(r.details.end)) };
  const title = typeof r.details.title === 'string' ? `: “${r.details.title}”` : '';
  return `busy${title} (${range(study.timeZone, span)}).`;
}

function typeReason(query: HostExplainQuery, hosts: HostVerdict[]): HostSlotReason {
  const notFree = hosts.filter((host) => !host.free).map((host) => host.name);
  if (query.schedulingType === 'round_robin') {
    return {
      code: 'no-host-free',
      message: 'Round robin needs one free host, and no host is free at this time.',
      details: { hostIds: hosts.map((host) => host.hostId) },
    };
  }
  return {
    code: 'not-all-hosts-free',
    message: `A collective interview needs every host free; not free: ${notFree.join(', ')}.`,
    details: { hostIds: hosts.filter((host) => !host.free).map((host) => host.hostId) },
  };
}

/** "The calendar is busy" → "the calendar is busy", but "Not a start" and "2026-12-08" alike stay readable. */
function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}
