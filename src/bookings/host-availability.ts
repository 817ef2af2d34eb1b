import type { Knex } from 'knex';
import { resolveSchedulingRules, type Slot } from '../availability';
import { checkHostSlot, computeHostSlots, type HostSlotCheck } from '../availability/host-slots';
import type { HostConnection, HostSlotQuery, SchedulingType } from '../availability/hosts';
import { loadBusyEvents, loadBusyEventsAround } from '../busy/busy-cache';
import { allDayFallbackZone } from '../busy/all-day-zone';
import { busyIntervals, type BusyEvent } from '../busy/busy-events';
import { GoogleNotConnected, type GoogleAccess } from '../connections/google-access';
import { GoogleApiError } from '../google';
import type { Logger } from '../logger';
import { listStudyHosts, type StudyHost } from '../studies/study-host-repository';
import type { Study } from '../studies/study-repository';
import { bookingHostIds, hostsByIds } from './booking-host-repository';
import { bookingRange, otherBookingsOfHosts, slotCheckRange, slotListRange } from './slot-query';

/**
 * Availability of studies with several hosts (collective, round robin), wired to the
 * database and Google: each host's calendar (through the busy cache, per host) and every
 * live interview of each host (`booking_hosts`, any study) go to the pure
 * `computeHostSlots` / `checkHostSlot`. One-on-one studies keep the one-calendar path.
 */
export function hasSeveralHosts(study: Pick<Study, 'schedulingType'>): boolean {
  return study.schedulingType !== 'one_on_one';
}

export interface HostDeps {
  knex: Knex;
  access: GoogleAccess;
  logger: Logger;
}

/** Whose free time decides a start, and how it combines. */
export interface HostLineUp {
  schedulingType: SchedulingType;
  hosts: StudyHost[];
  /**
   * The hosts of a booking being moved, its organizer first. Only the organizer must be
   * readable (the event is on their calendar): another host whose calendar cannot be read
   * does not keep the participant from moving (see `loadHosts`).
   */
  moving?: true;
}

/**
 * The study's hosts for a new booking. A booking being moved keeps its hosts and its one
 * event: every host it occupies must be free at the new time (round robin: the same host —
 * what a participant expects of "another time with the same interviewer", and the event
 * stays on that host's calendar), so the move is judged as a collective of those hosts.
 */
export async function hostLineUp(
  db: Knex | Knex.Transaction,
  study: Study,
  current: { id: string } | undefined,
): Promise<HostLineUp> {
  if (current) {
    return {
      schedulingType: 'collective',
      hosts: await hostsByIds(db, await bookingHostIds(db, current.id)),
      moving: true,
    };
  }
  return { schedulingType: study.schedulingType, hosts: await listStudyHosts(db, study.id) };
}

/** One host with what the slot rules need: their calendar's busy events and other interviews. */
export interface LoadedHost {
  host: StudyHost;
  /** As the slot rules see it: a calendar that could not be read takes no bookings now. */
  connection: HostConnection;
  busyEvents: readonly BusyEvent[];
  bookings: readonly { studyId: string; start: Date; end: Date }[];
}

/**
 * Reads every host's busy time and interviews. A host whose grant turns out broken counts
 * as not connected. A calendar Google cannot read now fails the whole answer for a
 * collective study (no time can be vouched for); a round robin goes on with the hosts whose
 * calendars answered, unless none did.
 */
export async function loadHosts(
  deps: HostDeps,
  lineUp: HostLineUp,
  ranges: { busy: { from: Date; to: Date }; bookings: { from: Date; to: Date } },
  now: Date,
  options: { whole: boolean; excludeParticipantId: string | undefined },
): Promise<{ hosts: LoadedHost[]; leftOut: LeftOutHost[] }> {
  const ids = lineUp.hosts.map((host) => host.researcherId);
  const [bookings, calendars] = await Promise.all([
    otherBookingsOfHosts(deps.knex, ids, ranges.bookings, options.excludeParticipantId),
    Promise.all(lineUp.hosts.map((host) => readCalendar(deps, host, ranges.busy, now, options.whole))),
  ]);
  // A move is judged on the hosts who can be read: the organizer must be (else the move
  // fails as the organizer's calendar not being available); a colleague attending whose
  // access broke is left out rather than blocking the participant — their interviews with
  // us still count (the exclusion constraint), and Google tells them of the new time.
  const isJudged = calendars.map(
    (calendar, index) => !lineUp.moving || index === 0 || calendar.connection === 'connected',
  );
  const judged = calendars.filter((_, index) => isJudged[index]);
  const failed = judged.filter((calendar) => calendar.error !== undefined);
  const read = judged.filter((calendar) => calendar.connection === 'connected');
  if (failed.length > 0 && (lineUp.schedulingType !== 'round_robin' || read.length === 0)) {
    throw failed[0]!.error;
  }
  const hosts: LoadedHost[] = [];
  const leftOut: LeftOutHost[] = [];
  lineUp.hosts.forEach((host, index) => {
    const calendar = calendars[index]!;
    if (!isJudged[index]) {
      leftOut.push({ researcherId: host.researcherId, connection: calendar.connection });
      return;
    }
    const { connection, busyEvents } = calendar;
    hosts.push({ host, connection, busyEvents, bookings: bookings.get(host.researcherId) ?? [] });
  });
  return { hosts, leftOut };
}

/** A host a move was judged without: their calendar could not be read. */
export interface LeftOutHost {
  researcherId: string;
  connection: HostConnection;
}

async function readCalendar(
  deps: HostDeps,
  host: StudyHost,
  range: { from: Date; to: Date },
  now: Date,
  whole: boolean,
): Promise<{ connection: HostConnection; busyEvents: BusyEvent[]; error?: unknown }> {
  if (host.connection !== 'connected') return { connection: host.connection, busyEvents: [] };
  try {
    const busyEvents = await deps.access.withCalendar(host.researcherId, (calendar) =>
      whole
        ? loadBusyEvents(deps.knex, calendar, range.from, range.to, now)
        : loadBusyEventsAround(deps.knex, calendar, range.from, range.to, now),
    );
    return { connection: 'connected', busyEvents };
  } catch (error) {
    if (error instanceof GoogleNotConnected) return { connection: 'revoked', busyEvents: [] };
    if (error instanceof GoogleApiError) return { connection: 'none', busyEvents: [], error };
    throw error;
  }
}

/** The pure core's query for loaded hosts: calendar busy time and interviews alike block. */
export function hostSlotQueryFor(input: {
  study: Study;
  schedulingType: SchedulingType;
  hosts: readonly LoadedHost[];
  now: Date;
  from?: Date | undefined;
  to?: Date | undefined;
}): HostSlotQuery {
  const { study } = input;
  return {
    ...resolveSchedulingRules({ ...study, slotStepMinutes: study.slotStepMinutes ?? null }),
    timeZone: study.timeZone,
    availability: study.availability,
    now: input.now,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
    schedulingType: input.schedulingType,
    hosts: input.hosts.map(({ host, connection, busyEvents, bookings }) => ({
      hostId: host.researcherId,
      name: host.name || host.email,
      // A host without own hours keeps the study's schedule, also in a per-host study.
      hours: study.hostHours === 'per_host' && host.hours ? host.hours : undefined,
      connection,
      busy: [
        ...busyIntervals(busyEvents, study.conflictHandling, allDayFallbackZone(study, host.hours)),
        ...bookings.map((booking) => ({ start: booking.start, end: booking.end })),
      ],
      studyBookingStarts: bookings
        .filter((booking) => booking.studyId === study.id)
        .map((booking) => booking.start),
    })),
  };
}

/** The free slots of a study with several hosts: start and end only, never who is free. */
export async function listHostSlots(
  deps: HostDeps,
  study: Study,
  current: { id: string } | undefined,
  participantId: string,
  now: Date,
  bounds: { from?: Date | undefined; to?: Date | undefined },
): Promise<Slot[]> {
  const lineUp = await hostLineUp(deps.knex, study, current);
  if (lineUp.hosts.length === 0) return [];
  const { hosts } = await loadHosts(
    deps,
    lineUp,
    // Busy time for the whole horizon (one cache entry per host serves every view of it);
    // interviews only for the days asked for.
    { busy: bookingRange(study, now), bookings: slotListRange(study, now, bounds) },
    now,
    { whole: true, excludeParticipantId: participantId },
  );
  return computeHostSlots(
    hostSlotQueryFor({ study, schedulingType: lineUp.schedulingType, hosts, now, ...bounds }),
  ).slots;
}

/** One proposed start judged for every host, with what was read to judge it. */
export interface HostCheck {
  lineUp: HostLineUp;
  hosts: LoadedHost[];
  check: HostSlotCheck;
}

export async function checkHostsAt(
  deps: HostDeps,
  study: Study,
  current: { id: string } | undefined,
  participantId: string,
  start: Date,
  now: Date,
): Promise<HostCheck> {
  const lineUp = await hostLineUp(deps.knex, study, current);
  if (lineUp.hosts.length === 0) {
    return { lineUp, hosts: [], check: { available: false, reason: 'not-a-slot' } };
  }
  const range = slotCheckRange(study, start, now);
  const { hosts, leftOut } = await loadHosts(deps, lineUp, { busy: range, bookings: range }, now, {
    whole: false,
    excludeParticipantId: participantId,
  });
  // Said where operators look: these hosts get the new time without their calendar read.
  // (Slot lists leave them out too, silently: a page view is not a decision.)
  if (leftOut.length > 0) {
    deps.logger.warn(
      { hosts: leftOut },
      'a move is judged without the calendars of attending hosts that could not be read',
    );
  }
  const check = checkHostSlot(
    hostSlotQueryFor({ study, schedulingType: lineUp.schedulingType, hosts, now }),
    start,
  );
  return { lineUp, hosts, check };
}

/**
 * The same start judged again inside the hold's transaction, after the hosts' locks, on the
 * interviews committed by then (the calendars' busy events as first read: only interviews
 * race). Every host given must be free.
 */
export async function hostsStillFree(
  trx: Knex.Transaction,
  study: Study,
  hosts: readonly LoadedHost[],
  start: Date,
  now: Date,
  excludeParticipantId: string,
): Promise<boolean> {
  const range = slotCheckRange(study, start, now);
  const bookings = await otherBookingsOfHosts(
    trx,
    hosts.map((loaded) => loaded.host.researcherId),
    range,
    excludeParticipantId,
  );
  const fresh = hosts.map((loaded) => ({
    ...loaded,
    bookings: bookings.get(loaded.host.researcherId) ?? [],
  }));
  return checkHostSlot(hostSlotQueryFor({ study, schedulingType: 'collective', hosts: fresh, now }), start)
    .available;
}
