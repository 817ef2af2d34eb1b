import type { Knex } from 'knex';
import { resolveSchedulingRules } from '../availability';
import {
  explainHostSlot,
  type HostExplainInput,
  type HostSlotExplanation,
} from '../availability/explain-host-slot';
import type { HostConnection } from '../availability/hosts';
import { hostLineUp } from '../bookings/host-availability';
import { otherBookingsOfHosts } from '../bookings/slot-query';
import { fetchTitledBusyEvents } from '../busy/busy-cache';
import { allDayFallbackZone } from '../busy/all-day-zone';
import { blockingEvents, type TitledBusyEvent } from '../busy/busy-events';
import { GoogleNotConnected, type GoogleAccess } from '../connections/google-access';
import { GoogleApiError } from '../google';
import type { StudyHost } from './study-host-repository';
import type { Study } from './study-repository';

/**
 * "Why is this time not offered?" for a study with several hosts: each host's calendar
 * (straight from Google, with titles) and interviews of any study, given to the pure
 * `explainHostSlot`. A host whose calendar cannot be read now is named; a host whose grant
 * turns out broken counts as not connected, as the booking page counts them.
 */
export async function explainHostAvailability(
  deps: { knex: Knex; access: GoogleAccess },
  study: Study,
  start: Date,
  range: { from: Date; to: Date },
  now: Date,
  options: { excludeParticipantId?: string | undefined; current?: { id: string } | undefined },
): Promise<{ explanation: HostSlotExplanation; unreadHosts: StudyHost[] }> {
  const lineUp = await hostLineUp(deps.knex, study, options.current);
  const ids = lineUp.hosts.map((host) => host.researcherId);
  const [bookings, calendars] = await Promise.all([
    otherBookingsOfHosts(deps.knex, ids, range, options.excludeParticipantId),
    Promise.all(lineUp.hosts.map((host) => hostCalendar(deps, host, range))),
  ]);
  const hosts: HostExplainInput[] = lineUp.hosts.map((host, index) => {
    const own = bookings.get(host.researcherId) ?? [];
    const calendar = calendars[index]!;
    return {
      hostId: host.researcherId,
      name: host.name || host.email,
      hours: study.hostHours === 'per_host' && host.hours ? host.hours : undefined,
      connection: calendar.connection,
      studyBookingStarts: own
        .filter((booking) => booking.studyId === study.id)
        .map((booking) => booking.start),
      calendarBusy: blockingEvents(
        calendar.events,
        study.conflictHandling,
        allDayFallbackZone(study, host.hours),
      ).map(({ event, interval }) => ({ ...interval, title: event.title })),
      bookings: own.map((booking) => ({ start: booking.start, end: booking.end })),
    };
  });
  const explanation = explainHostSlot(
    {
      ...resolveSchedulingRules({ ...study, slotStepMinutes: study.slotStepMinutes ?? null }),
      timeZone: study.timeZone,
      availability: study.availability,
      now,
      schedulingType: lineUp.schedulingType,
      hosts,
    },
    start,
  );
  const unreadHosts = lineUp.hosts.filter((_, index) => !calendars[index]!.checked);
  return { explanation, unreadHosts };
}

async function hostCalendar(
  deps: { knex: Knex; access: GoogleAccess },
  host: StudyHost,
  range: { from: Date; to: Date },
): Promise<{ connection: HostConnection; checked: boolean; events: TitledBusyEvent[] }> {
  if (host.connection !== 'connected') return { connection: host.connection, checked: true, events: [] };
  try {
    const events = await deps.access.withCalendar(host.researcherId, (calendar) =>
      fetchTitledBusyEvents(calendar, range.from, range.to),
    );
    return { connection: 'connected', checked: true, events };
  } catch (error) {
    if (error instanceof GoogleNotConnected) return { connection: 'revoked', checked: true, events: [] };
    if (error instanceof GoogleApiError) return { connection: 'connected', checked: false, events: [] };
    throw error;
  }
}
