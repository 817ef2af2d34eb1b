import { buildDayWindowTable } from './day-windows';
import type { Interval } from './intervals';
import type { Availability } from './schema';
import { countPerLocalDate, type SearchPlan, type SlotQuery } from './slots';

/**
 * Who holds a study's interviews, and how their free time combines:
 * - `one_on_one`: exactly one host;
 * - `collective`: every host attends, so a start is offered when it is free for every host;
 * - `round_robin`: one host attends, so a start is offered when it is free for at least one.
 */
export const SCHEDULING_TYPES = ['one_on_one', 'collective', 'round_robin'] as const;
export type SchedulingType = (typeof SCHEDULING_TYPES)[number];

/** A host's own weekly hours and date overrides, read in the host's own time zone. */
export interface HostHours {
  timeZone: string;
  availability: Availability;
}

/**
 * A host whose Google connection is revoked or needs consent, or who never connected one
 * (`none`), takes no new bookings.
 */
export type HostConnection = 'connected' | 'revoked' | 'needs-consent' | 'none';

/** What the slot rules need to know about a host besides their busy time. */
export interface HostFacts {
  hostId: string;
  /** Shown to the researcher in explanations only, never to participants. */
  name: string;
  /** The host's own hours; absent = the study's common schedule, in the study's zone. */
  hours?: HostHours | undefined;
  /** Absent = connected. */
  connection?: HostConnection | undefined;
  /**
   * Starts of this study's active bookings this host is in, for the daily limit (counted per
   * host, see `computeHostSlots`). Leave out the booking a participant is moving.
   */
  studyBookingStarts?: readonly Date[] | undefined;
}

export interface HostInput extends HostFacts {
  /**
   * The host's busy time: their calendar's busy intervals under the study's conflict
   * handling, plus every live booking of any study that involves them (a collective booking
   * occupies all its hosts). Any order, may overlap. Buffers are kept around all of it.
   */
  busy: readonly Interval[];
}

/**
 * A study with several hosts. The study's settings (zone, common schedule, duration, step,
 * buffers, notice, booking window, daily limit, from/to) are those of `SlotQuery`; busy time
 * and bookings come per host.
 */
export interface HostSlotQuery extends Omit<SlotQuery, 'busy' | 'studyBookingStarts'> {
  schedulingType: SchedulingType;
  hosts: readonly HostInput[];
}

/** Refuses host lists the scheduling type cannot work with: a wiring bug, not a user error. */
export function requireHosts(schedulingType: SchedulingType, hosts: readonly HostFacts[]): void {
  if (!SCHEDULING_TYPES.includes(schedulingType)) {
    throw new RangeError(`Unknown scheduling type ${String(schedulingType)}`);
  }
  if (schedulingType === 'one_on_one' && hosts.length !== 1) {
    throw new RangeError('A one-on-one study has exactly one host');
  }
  if (hosts.length === 0) throw new RangeError('A study needs at least one host');
  const ids = new Set(hosts.map((host) => host.hostId));
  if (ids.size !== hosts.length) throw new RangeError('A host is listed twice');
}

/** The study's own rules, planned once: notice, booking window and common schedule, in its zone. */
export function studyQueryOf({
  schedulingType: _type,
  hosts: _hosts,
  ...rules
}: Omit<HostSlotQuery, 'hosts'> & { hosts: readonly HostFacts[] }): SlotQuery {
  return { ...rules, busy: [], studyBookingStarts: [] };
}

/**
 * The study's plan seen by one host: the host's hours (and zone) decide the start times,
 * the host's own bookings of this study fill the daily limit. Notice, booking window and
 * buffers stay the study's. `bookingsPerDay` is keyed by dates in the *study's* zone, as
 * the daily limit counts them, while `timeZone` is the zone the hours are read in.
 */
export function hostPlan(study: SearchPlan, host: HostFacts): SearchPlan {
  return {
    ...study,
    timeZone: host.hours?.timeZone ?? study.timeZone,
    table: host.hours ? buildDayWindowTable(host.hours.availability) : study.table,
    bookingsPerDay:
      study.dailyLimit === undefined
        ? new Map()
        : countPerLocalDate(study.timeZone, host.studyBookingStarts ?? []),
  };
}

export function takesBookings(host: HostFacts): boolean {
  return (host.connection ?? 'connected') === 'connected';
}
