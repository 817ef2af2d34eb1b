import type { Knex } from 'knex';
import {
  explainSlot,
  resolveSchedulingRules,
  type ExplainQuery,
  type SlotExplanation,
  type SlotReason,
  type SlotReasonCode,
} from '../availability';
import { otherBookings } from '../bookings/slot-query';
import { fetchTitledBusyEvents } from '../busy/busy-cache';
import { blockingEvents, type TitledBusyEvent } from '../busy/busy-events';
import { GoogleNotConnected, type GoogleAccess } from '../connections/google-access';
import { GoogleApiError } from '../google';
import { findStudy, type Study } from './study-repository';
import { explainHostAvailability } from './explain-host-availability';
import type { HostSlotReasonCode, HostVerdict } from '../availability/explain-host-slot';
import { calendarPlan } from '../bookings/booking-organizer';

const MINUTE_MS = 60_000;
/** Either side of the interview: every booking that can share its local date (daily limit). */
const DAY_SPAN_MS = 2 * 86_400_000;

export interface ExplainAvailabilityDeps {
  knex: Knex;
  access: GoogleAccess;
}

/**
 * The pure code's reasons, plus two it cannot know: the study is closed, or the calendar
 * cannot be read (the booking page then offers no times either).
 */
export interface AvailabilityReason extends Omit<SlotReason, 'code'> {
  code: SlotReasonCode | HostSlotReasonCode | 'study-closed' | 'calendar-unavailable';
}

export interface AvailabilityAnswer extends Omit<SlotExplanation, 'reasons'> {
  reasons: AvailabilityReason[];
  study: Study;
  offered: boolean;
  /** False when Google could not be asked: calendar events are then missing from the reasons. */
  calendarChecked: boolean;
  /** A study with several hosts: each host's verdict (round robin: who could take it). */
  hosts?: HostVerdict[];
}

/**
 * The researcher asks why the booking page does not offer a start: the study, its
 * bookings and — straight from Google, because the busy cache keeps no titles — the
 * calendar events around it, given to the pure `explainSlot`. A calendar that cannot be
 * read does not hide the other reasons; the answer says the calendar was not checked.
 * Undefined when the study is not the caller's team's.
 */
export async function explainAvailability(
  deps: ExplainAvailabilityDeps,
  callerId: string,
  studyId: string,
  start: Date,
  now = new Date(),
  /**
   * A participant whose own interview would move: it does not stand in its own way, and
   * with several hosts the interview's own hosts (`current`) are the ones judged.
   */
  options: { excludeParticipantId?: string; current?: { id: string } | undefined } = {},
): Promise<AvailabilityAnswer | undefined> {
  const study = await findStudy(deps.knex, callerId, studyId);
  if (!study) return undefined;
  const range = {
    from: new Date(start.getTime() - study.bufferBeforeMinutes * MINUTE_MS - DAY_SPAN_MS),
    to: new Date(
      start.getTime() + (study.durationMinutes + study.bufferAfterMinutes) * MINUTE_MS + DAY_SPAN_MS,
    ),
  };
  const plan = await calendarPlan(deps.knex, study, options.current);
  if (plan.kind === 'hosts') {
    const { explanation, unreadHosts } = await explainHostAvailability(
      deps,
      study,
      start,
      range,
      now,
      options,
    );
    const reasons: AvailabilityReason[] = [
      ...(study.status === 'closed' ? [studyClosed()] : []),
      ...unreadHosts.map((host) => hostCalendarUnavailable(host.name || host.email)),
      ...explanation.reasons,
    ];
    return {
      ...explanation,
      reasons,
      study,
      offered: reasons.length === 0,
      calendarChecked: unreadHosts.length === 0,
    };
  }
  // The organizer's calendar and bookings (the study's first host, or the moved interview's
  // own organizer), whichever team member asks; a study without hosts has no calendar.
  const { organizerId } = plan;
  const [bookings, calendar] = organizerId
    ? await Promise.all([
        otherBookings(deps.knex, organizerId, range, options.excludeParticipantId),
        calendarEvents(deps, organizerId, range),
      ])
    : [[], { checked: false, events: [] }];
  const query: ExplainQuery = {
    ...resolveSchedulingRules({ ...study, slotStepMinutes: study.slotStepMinutes ?? null }),
    timeZone: study.timeZone,
    availability: study.availability,
    calendarBusy: blockingEvents(calendar.events, study.conflictHandling, study.timeZone).map(
      ({ event, interval }) => ({ ...interval, title: event.title }),
    ),
    bookings: bookings.map((booking) => ({ start: booking.start, end: booking.end })),
    studyBookingStarts: bookings.filter((booking) => booking.studyId === study.id).map((b) => b.start),
    now,
  };
  const explanation = explainSlot(query, start);
  const reasons: AvailabilityReason[] = [
    ...(study.status === 'closed' ? [studyClosed()] : []),
    ...(calendar.checked ? [] : [calendarUnavailable()]),
    ...explanation.reasons,
  ];
  return {
    ...explanation,
    reasons,
    study,
    offered: reasons.length === 0,
    calendarChecked: calendar.checked,
  };
}

async function calendarEvents(
  deps: ExplainAvailabilityDeps,
  researcherId: string,
  range: { from: Date; to: Date },
): Promise<{ checked: boolean; events: TitledBusyEvent[] }> {
  try {
    const events = await deps.access.withCalendar(researcherId, (calendar) =>
      fetchTitledBusyEvents(calendar, range.from, range.to),
    );
    return { checked: true, events };
  } catch (error) {
    if (error instanceof GoogleApiError || error instanceof GoogleNotConnected) {
      return { checked: false, events: [] };
    }
    throw error;
  }
}

function studyClosed(): AvailabilityReason {
  return {
    code: 'study-closed',
    message: 'The study is closed: its booking links offer no times at all.',
    details: {},
  };
}

function hostCalendarUnavailable(name: string): AvailabilityReason {
  return {
    code: 'calendar-unavailable',
    message: `${name}'s Google Calendar cannot be read right now: the booking page does not count on ${name} meanwhile, and ${name}'s calendar events are not checked here.`,
    details: {},
  };
}

function calendarUnavailable(): AvailabilityReason {
  return {
    code: 'calendar-unavailable',
    message:
      'The Google Calendar cannot be read right now (not connected, or Google did not answer): the booking page offers no times meanwhile, and calendar events are not checked here.',
    details: {},
  };
}
