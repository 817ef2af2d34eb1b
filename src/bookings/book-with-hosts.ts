import type { Knex } from 'knex';
import { pickRoundRobinHost } from '../availability/round-robin';
import { findConnection } from '../connections/connection-repository';
import { GoogleNotConnected } from '../connections/google-access';
import { GoogleApiError } from '../google';
import type { LiveBooking } from '../participants/participant-repository';
import { findResearcher } from '../researchers/researcher-repository';
import type { Study } from '../studies/study-repository';
import type { OfferedSlot } from './book-interview';
import { roundRobinStats } from './booking-host-repository';
import { SlotTaken, slotRefusal } from './booking-errors';
import type { BookingLink } from './booking-link';
import {
  checkHostsAt,
  hostLineUp,
  hostsStillFree,
  type HostDeps,
  type LoadedHost,
} from './host-availability';
import type { StudyHost } from '../studies/study-host-repository';
import { hostHoldInProgress, type HostsHold } from './researcher-time-lock';
import { slotStillFreeAtGoogle } from './slot-recheck';

/**
 * One way to hold a start of a study with several hosts: the organizer, on whose calendar
 * the event goes, and every host the booking occupies. A collective study has one (all its
 * hosts, the first organizing); a round robin one per free host, fairest first; a move one
 * (the booking's own hosts).
 */
export interface HostAttempt {
  organizerId: string;
  offered: OfferedSlot;
}

/**
 * Judges the start for every host and lines up who would hold it. Refused with the
 * participant's words when no line-up can (`slotRefusal`), or as "the calendar is not
 * available" when the hosts it needs cannot take bookings (a revoked or missing connection).
 */
export async function hostAttempts(
  deps: HostDeps,
  link: BookingLink,
  current: LiveBooking | undefined,
  start: Date,
  now: Date,
  unavailable: () => Error,
): Promise<HostAttempt[]> {
  const { lineUp, hosts, check } = await checkHostsAt(
    deps,
    link.study,
    current,
    link.participant.id,
    start,
    now,
  );
  if (!check.available) {
    const bookable = hosts.filter((loaded) => loaded.connection === 'connected');
    const needsAll = lineUp.schedulingType !== 'round_robin';
    if (hosts.length === 0 || (needsAll ? bookable.length < hosts.length : bookable.length === 0)) {
      throw unavailable();
    }
    throw slotRefusal(check.reason);
  }
  const free = new Set(check.hostIds);
  const teams =
    lineUp.schedulingType === 'round_robin'
      ? (await fairestFirst(deps.knex, link.study, [...check.hostIds])).map((hostId) =>
          hosts.filter((loaded) => loaded.host.researcherId === hostId),
        )
      : [hosts.filter((loaded) => free.has(loaded.host.researcherId))];
  return teams.map((team, index) => ({
    organizerId: team[0]!.host.researcherId,
    offered: {
      slot: check.slot,
      busyEvents: team[0]!.busyEvents,
      hosts: hostsHold(deps, link, team, check.slot, index < teams.length - 1),
    },
  }));
}

/** The free hosts in the order round robin gives them the booking: each pick, then the next. */
async function fairestFirst(knex: Knex, study: Study, candidates: string[]): Promise<string[]> {
  const stats = await roundRobinStats(knex, study.id);
  const order: string[] = [];
  let left = candidates;
  for (
    let pick = pickRoundRobinHost(left, stats);
    pick !== undefined;
    pick = pickRoundRobinHost(left, stats)
  ) {
    order.push(pick);
    left = left.filter((hostId) => hostId !== pick);
  }
  return order;
}

function hostsHold(
  deps: HostDeps,
  link: BookingLink,
  team: readonly LoadedHost[],
  slot: { start: Date; end: Date },
  nextHostWaiting: boolean,
): HostsHold {
  return {
    nextHostWaiting,
    hostIds: team.map((loaded) => loaded.host.researcherId),
    stillFree: (trx, now) => hostsStillFree(trx, link.study, team, slot.start, now, link.participant.id),
    async othersFreeAtGoogle() {
      for (const loaded of team.slice(1)) {
        if (!(await freeAtGoogle(deps, link.study, loaded.host.researcherId, slot))) return false;
      }
      return true;
    },
  };
}

/** A host's calendar asked again; a host whose grant broke is not free, an unreachable Google lets the hold go ahead. */
async function freeAtGoogle(
  deps: HostDeps,
  study: Study,
  hostId: string,
  slot: { start: Date; end: Date },
): Promise<boolean> {
  try {
    return await deps.access.withCalendar(hostId, (calendar) =>
      slotStillFreeAtGoogle(deps.knex, calendar, study, slot.start, slot.end),
    );
  } catch (error) {
    if (error instanceof GoogleNotConnected) return false;
    if (error instanceof GoogleApiError) return true;
    throw error;
  }
}

/**
 * Makes the attempts one after the other until one holds: a round robin's picked host taken
 * meanwhile (another study sharing the host, another instance), or whose grant turned out
 * broken, passes the booking to the next free host. The last refusal is the answer.
 */
export async function tryInTurn<T>(
  knex: Knex,
  link: BookingLink,
  attempts: readonly HostAttempt[],
  attempt: (hostLink: BookingLink, offered: OfferedSlot) => Promise<T>,
): Promise<T> {
  let refusal: unknown = new SlotTaken();
  for (const { organizerId, offered } of attempts) {
    // A host someone is being booked with right now: the next free host, without a transaction.
    if (offered.hosts?.nextHostWaiting && (await hostHoldInProgress(knex, organizerId))) continue;
    try {
      return await attempt(await linkForHost(knex, link, organizerId), offered);
    } catch (error) {
      if (!(error instanceof SlotTaken) && !(error instanceof GoogleNotConnected)) throw error;
      refusal = error;
    }
  }
  throw refusal;
}

/** The link with the organizing host as its researcher: the booking's calendar and lock. */
export async function linkForHost(knex: Knex, link: BookingLink, hostId: string): Promise<BookingLink> {
  if (hostId === link.researcher.id) return link;
  const [researcher, connection] = await Promise.all([
    findResearcher(knex, hostId),
    findConnection(knex, hostId),
  ]);
  if (!researcher) throw new SlotTaken();
  return { ...link, researcher, connection };
}

/** PostgreSQL's deadlock_detected: it ended this transaction to let another go on. */
export function isDeadlock(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '40P01';
}

/**
 * Who holds a researcher's booking from the console in a study with several hosts: a move
 * keeps the interview's hosts; a collective study takes every host (the first organizing);
 * a round robin the fairest of the hosts free at that time — or, when the researcher books
 * past the study's rules, of the hosts who can take bookings at all. The organizer must be
 * able to take bookings (the event goes on their calendar).
 */
export async function researcherHostAttempt(
  deps: HostDeps,
  link: BookingLink,
  current: LiveBooking | undefined,
  freeHostIds: readonly string[],
  slot: { start: Date; end: Date },
): Promise<{ attempt: HostAttempt; team: StudyHost[] }> {
  const lineUp = await hostLineUp(deps.knex, link.study, current);
  const bookable = lineUp.hosts.filter((host) => host.connection === 'connected');
  let team = lineUp.hosts;
  if (lineUp.schedulingType === 'round_robin') {
    const free = bookable.filter((host) => freeHostIds.includes(host.researcherId));
    const candidates = (free.length > 0 ? free : bookable).map((host) => host.researcherId);
    const [pick] = await fairestFirst(deps.knex, link.study, candidates);
    team = lineUp.hosts.filter((host) => host.researcherId === pick);
  }
  const organizer = team[0];
  if (!organizer || organizer.connection !== 'connected') throw new GoogleNotConnected();
  const loaded: LoadedHost[] = team.map((host) => ({
    host,
    connection: host.connection,
    busyEvents: [],
    bookings: [],
  }));
  return {
    attempt: {
      organizerId: organizer.researcherId,
      offered: { slot, busyEvents: [], hosts: hostsHold(deps, link, loaded, slot, false) },
    },
    team,
  };
}
