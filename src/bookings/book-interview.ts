import { randomUUID } from 'node:crypto';
import { checkSlot, type Slot } from '../availability';
import { requireBookingConsent, settleBookingConsent } from '../consent/booking-consent';
import type { ConsentGiven } from '../consent/consent-decision';
import { invalidateBusyCache, loadBusyEventsAround } from '../busy/busy-cache';
import type { BusyEvent } from '../busy/busy-events';
import { GoogleNotConnected, type ResearcherCalendar } from '../connections/google-access';
import { eventIdForBooking, GoogleApiError } from '../google';
import { Conflict } from '../http/problem';
import type { JobQueue } from '../jobs/queue';
import { LinkChangeRefused } from '../participants/link-refusal';
import {
  findLiveBooking,
  findParticipantById,
  setParticipantTimeZone,
  type LiveBooking,
} from '../participants/participant-repository';
import { decideLinkChange, interviewTiming, type ParticipantStatus } from '../participants/status-rules';
import {
  findBooking,
  insertPendingBooking,
  isOverlapViolation,
  isSecondLiveBooking,
  markBookingCancelled,
  type Booking,
} from './booking-repository';
import {
  enforcesAvailability,
  PARTICIPANT_BOOKING,
  rechecksCalendarAfterHold,
  type BookingOptions,
} from './booking-actor';
import { SlotTaken, slotRefusal } from './booking-errors';
import { CalendarRefused } from './calendar-refusal';
import { resolveBookingLink, type BookingLink } from './booking-link';
import { finishBooking, RESEARCHER_UNAVAILABLE, type FinishDeps } from './finish-booking';
import { scheduleFinishBooking } from './finish-booking-job';
import { moveBooking } from './move-booking';
import { insertOtherBookingHosts } from './booking-host-repository';
import { hostAttempts, isDeadlock, linkForHost, tryInTurn } from './book-with-hosts';
import { calendarPlan } from './booking-organizer';
import { lockResearcherTime, type HostsHold } from './researcher-time-lock';
import { otherBookings, slotCheckRange, slotQueryFor } from './slot-query';
import { slotStillFreeAtGoogle } from './slot-recheck';

export interface BookDeps extends FinishDeps {
  queue: JobQueue;
}

export interface BookOptions {
  /** What the participant agreed to on the page, when the study asks for consent. */
  consent?: ConsentGiven | undefined;
  /** The participant's own zone (their browser's), kept for the emails about the interview. */
  timeZone?: string | undefined;
  now?: Date;
}

export interface BookResult {
  /** 201 confirmed on the calendar; 202 held, the calendar part still on its way. */
  status: 201 | 202;
  booking: Booking;
}

/**
 * DESIGN 1.3, the participant books from their link:
 * check consent when the study asks for it (refused before anything is held) →
 * check the slot against what we know → hold it (pending booking; the exclusion constraint
 * settles races between instances) → ask Google whether it is still free → put the event
 * on the calendar and confirm. A participant who already has an interview moves it — unless
 * the rule book says the link may no longer change it (a verdict, or an interview that has
 * started), which is checked first and again under the participant lock.
 */
export async function bookInterview(
  deps: BookDeps,
  token: string,
  start: Date,
  options: BookOptions = {},
): Promise<BookResult> {
  const now = options.now ?? new Date();
  const studyLink = await resolveBookingLink(deps.knex, token, now);
  const current = studyLink.liveBooking;
  assertLinkMayBook(studyLink.participant.status, current, now);
  const plan = await calendarPlan(deps.knex, studyLink.study, current, studyLink);
  const severalHosts = plan.kind === 'hosts';
  // One calendar: the interview's own organizer for a move, else the study's.
  const link =
    plan.kind === 'one' && plan.organizerId
      ? await linkForHost(deps.knex, studyLink, plan.organizerId)
      : studyLink;
  if (!severalHosts && (!link.connection || link.connection.state !== 'connected')) {
    throw researcherUnavailable();
  }
  if (current && current.start.getTime() === start.getTime()) return answerFor(deps, current.id);
  if (current?.state === 'pending') {
    throw new Conflict(
      'Your previous booking is still being finished. Try again in a moment.',
      'booking-in-progress',
    );
  }
  const consent = await requireBookingConsent(deps.knex, link, options.consent);
  if (severalHosts) {
    const booking = { consent, ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
    const attempts = await hostAttempts(deps, link, current, start, now, researcherUnavailable);
    // Round robin: when the picked host was taken meanwhile, the next free host is tried.
    return tryInTurn(deps.knex, link, attempts, (hostLink, offered) =>
      deps.access.withCalendar(
        hostLink.researcher.id,
        (calendar) =>
          current
            ? moveBooking(deps, calendar, hostLink, current, offered, now, booking)
            : holdAndFinish(deps, calendar, hostLink, offered, now, booking),
        hostLink.connection,
      ),
    );
  }
  return deps.access.withCalendar(
    link.researcher.id,
    async (calendar) => {
      const offered = await availableSlot(deps, calendar, link, start, now);
      const booking = { consent, ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
      if (current) return moveBooking(deps, calendar, link, current, offered, now, booking);
      return holdAndFinish(deps, calendar, link, offered, now, booking);
    },
    link.connection,
  );
}

/** The rule book's word on booking (or moving, with `current`) from the link at `now`. */
export function assertLinkMayBook(
  status: ParticipantStatus,
  current: Pick<LiveBooking, 'start' | 'end'> | undefined,
  now: Date,
): void {
  const decision = decideLinkChange({ action: 'book', status, interview: interviewTiming(current, now) });
  if (decision.kind === 'refuse') throw new LinkChangeRefused(decision.reason);
}

/** A slot found free, with the calendar's busy events that showed it (checked again under the lock). */
export interface OfferedSlot {
  slot: Slot;
  busyEvents: readonly BusyEvent[];
  /** A study with several hosts: every host the booking occupies (the link's researcher organizes). */
  hosts?: HostsHold | undefined;
}

async function availableSlot(
  deps: BookDeps,
  calendar: ResearcherCalendar,
  link: BookingLink,
  start: Date,
  now: Date,
): Promise<OfferedSlot> {
  const range = slotCheckRange(link.study, start, now);
  const [busyEvents, bookings] = await Promise.all([
    loadBusyEventsAround(deps.knex, calendar, range.from, range.to, now),
    otherBookings(deps.knex, link.researcher.id, range, link.participant.id),
  ]);
  const check = checkSlot(slotQueryFor({ study: link.study, busyEvents, bookings, now }), start);
  if (check.available) return { slot: check.slot, busyEvents };
  throw slotRefusal(check.reason);
}

/**
 * Holds the slot (pending booking), asks Google once more when the booker is the
 * participant, then puts the event on the calendar and confirms: the one path every new
 * booking takes, whoever makes it (`by`).
 */
export async function holdAndFinish(
  deps: BookDeps,
  calendar: ResearcherCalendar,
  link: BookingLink,
  offered: OfferedSlot,
  now: Date,
  { consent, timeZone, by = PARTICIPANT_BOOKING }: BookingOptions = {},
): Promise<BookResult> {
  const { slot } = offered;
  const bookingId = randomUUID();
  await deps.knex.transaction(async (trx) => {
    // The participant row lock serialises two tabs of one participant booking at once, and
    // a researcher's verdict recorded meanwhile is seen here.
    const locked = await findParticipantById(trx, link.participant.id, { forUpdate: true });
    assertLinkMayBook(locked?.status ?? link.participant.status, undefined, now);
    if (await findLiveBooking(trx, link.participant.id)) {
      throw new Conflict(
        'You already have an interview booked; reload the page to see it.',
        'booking-exists',
      );
    }
    await lockResearcherTime(trx, link, offered, now, {
      enforceRules: enforcesAvailability(by),
    });
    // No savepoint: a refused insert ends the whole transaction anyway (the error is thrown).
    try {
      await insertPendingBooking(trx, {
        id: bookingId,
        participantId: link.participant.id,
        studyId: link.study.id,
        researcherId: link.researcher.id,
        start: slot.start,
        end: slot.end,
        googleEventId: eventIdForBooking(bookingId),
        calendarId: calendar.calendarId,
        ...(by.kind === 'researcher'
          ? { bookedBy: { researcherId: by.researcherId, overrideReason: by.overrideReason } }
          : {}),
      });
      // A collective interview occupies every host: the per-host constraint decides here too.
      if (offered.hosts) {
        const others = offered.hosts.hostIds.filter((hostId) => hostId !== link.researcher.id);
        await insertOtherBookingHosts(trx, bookingId, others);
      }
    } catch (error) {
      // Two collective holds sharing hosts may each wait on the other's row: PostgreSQL
      // ends one of them, and that one lost the race for the time.
      if (isOverlapViolation(error) || isDeadlock(error)) throw new SlotTaken();
      if (isSecondLiveBooking(error))
        throw new Conflict('You already have an interview booked.', 'booking-exists');
      throw error;
    }
    // A participant's consent is decided here, on the locked study row (a researcher's
    // booking records none: consent is given on the booking page only).
    if (by.kind === 'participant') {
      await settleBookingConsent(trx, link, consent ?? { given: undefined }, bookingId, now);
    }
    if (timeZone) await setParticipantTimeZone(trx, link.participant.id, timeZone);
    await scheduleFinishBooking(trx, deps.queue, bookingId);
  });

  const free = rechecksCalendarAfterHold(by)
    ? (await stillFreeAfterHold(deps, calendar, link, slot, bookingId)) &&
      (offered.hosts ? await offered.hosts.othersFreeAtGoogle() : true)
    : true;
  if (!free) {
    await deps.knex.transaction((trx) => markBookingCancelled(trx, bookingId));
    await invalidateBusyCache(deps.knex, link.researcher.id);
    throw new SlotTaken('That time is no longer free in the calendar. Please pick another one.');
  }

  // The participant, study, researcher and connection were read at the start of this
  // request: the event is made from them rather than reading them again.
  const outcome = await finishBooking(deps, bookingId, {
    participant: link.participant,
    study: link.study,
    researcher: link.researcher,
    ...(link.connection ? { connection: link.connection } : {}),
  });
  switch (outcome.state) {
    case 'confirmed':
      return { status: 201, booking: outcome.booking };
    case 'pending':
      return { status: 202, booking: outcome.booking };
    case 'released':
      throw researcherUnavailable();
    case 'refused':
      throw new CalendarRefused(outcome.participantMessage);
    case 'cancelled':
      throw new Conflict('This booking was cancelled while it was being made.', 'booking-cancelled');
  }
}

/** Asks Google again once the slot is held; a revoked grant releases it and surfaces. */
async function stillFreeAfterHold(
  deps: BookDeps,
  calendar: ResearcherCalendar,
  link: BookingLink,
  slot: Slot,
  bookingId: string,
): Promise<boolean> {
  try {
    return await slotStillFreeAtGoogle(deps.knex, calendar, link.study, slot.start, slot.end);
  } catch (error) {
    if (error instanceof GoogleApiError && error.failure.kind === 'revoked') {
      await deps.knex.transaction((trx) => markBookingCancelled(trx, bookingId));
      throw error;
    }
    // Google cannot be asked right now: the held slot goes ahead; the insert decides.
    return true;
  }
}

async function answerFor(deps: BookDeps, bookingId: string): Promise<BookResult> {
  const booking = await findBooking(deps.knex, bookingId);
  if (!booking) throw new Error('booking vanished');
  return { status: booking.state === 'confirmed' ? 201 : 202, booking };
}

function researcherUnavailable(): GoogleNotConnected {
  return new GoogleNotConnected(RESEARCHER_UNAVAILABLE);
}
