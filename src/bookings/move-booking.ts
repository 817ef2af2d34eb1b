import type { Knex } from 'knex';
import { settleBookingConsent } from '../consent/booking-consent';
import type { ResearcherCalendar } from '../connections/google-access';
import { GoogleApiError, withGoogleRetry } from '../google';
import { Conflict } from '../http/problem';
import { UPDATE_BOOKING_EVENT } from '../jobs/names';
import { queueBookingEmail } from '../mail/booking-email-outbox';
import type { JobQueue } from '../jobs/queue';
import { replanReminders } from '../reminders/plan-reminders';
import {
  findLiveBooking,
  findParticipantById,
  insertHistory,
  setParticipantTimeZone,
  type LiveBooking,
} from '../participants/participant-repository';
import { assertLinkMayBook, type BookDeps, type BookResult, type OfferedSlot } from './book-interview';
import {
  enforcesAvailability,
  PARTICIPANT_BOOKING,
  rechecksCalendarAfterHold,
  type BookingOptions,
} from './booking-actor';
import { SlotTaken } from './booking-errors';
import type { BookingLink } from './booking-link';
import {
  clearEventMovedFrom,
  findBooking,
  isOverlapViolation,
  moveBookingRange,
  updateEventFields,
} from './booking-repository';
import { storedEventFields } from './calendar-event';
import { isDeadlock } from './book-with-hosts';
import { lockResearcherTime } from './researcher-time-lock';
import { slotStillFreeAtGoogle } from './slot-recheck';

/**
 * Booking again with an interview booked moves it (DESIGN 3): the same Google event gets the
 * new time (its `sequence` goes up, attendees are told), so there is one event in the end.
 * The new range is taken in the database first — the exclusion constraint decides races —
 * and a job written in the same transaction brings the event along if Google is slow.
 */
export async function moveBooking(
  deps: BookDeps,
  calendar: ResearcherCalendar,
  link: BookingLink,
  current: LiveBooking,
  offered: OfferedSlot,
  now: Date,
  { consent, timeZone, by = PARTICIPANT_BOOKING }: BookingOptions = {},
): Promise<BookResult> {
  const { slot } = offered;
  if (
    rechecksCalendarAfterHold(by) &&
    (!(await slotStillFreeAtGoogle(deps.knex, calendar, link.study, slot.start, slot.end).catch(
      unlessRevoked,
    )) ||
      (offered.hosts && !(await offered.hosts.othersFreeAtGoogle())))
  ) {
    throw new SlotTaken('That time is no longer free in the calendar. Please pick another one.');
  }
  await deps.knex.transaction(async (trx) => {
    // Participant row first (the order of every writer), then make sure the booking read
    // before is still the live, confirmed one: a cancel in another tab or a decline applied
    // by a sync meanwhile must not be moved back to life.
    const participant = await findParticipantById(trx, link.participant.id, { forUpdate: true });
    const live = await findLiveBooking(trx, link.participant.id);
    if (!participant || !live || live.id !== current.id || live.state !== 'confirmed') {
      throw new Conflict('Your booking changed meanwhile; reload the page to see it.', 'booking-changed');
    }
    // Judged again on the locked rows: a verdict or a calendar move may have come meanwhile.
    assertLinkMayBook(participant.status, live, now);
    await lockResearcherTime(trx, link, offered, now, {
      enforceRules: enforcesAvailability(by),
    });
    try {
      await trx.transaction((savepoint) => moveBookingRange(savepoint, current.id, slot.start, slot.end));
    } catch (error) {
      if (isOverlapViolation(error) || isDeadlock(error)) throw new SlotTaken();
      throw error;
    }
    // A participant's consent is decided here, on the locked study row (a researcher's
    // booking records none: consent is given on the booking page only).
    if (by.kind === 'participant') {
      await settleBookingConsent(trx, link, consent ?? { given: undefined }, current.id, now);
    }
    await insertHistory(trx, link.participant.id, {
      kind: 'rescheduled',
      from: participant.status,
      to: participant.status,
      ...(by.kind === 'researcher'
        ? {
            source: 'researcher',
            actor: by.researcherId,
            reason: by.overrideReason ?? 'moved by the researcher',
          }
        : { source: 'participant', actor: link.participant.email, reason: 'moved from the booking link' }),
      details: {
        bookingId: current.id,
        // The time it had under the lock: a calendar move applied meanwhile is what it moved from.
        fromStart: live.start.toISOString(),
        fromEnd: live.end.toISOString(),
        toStart: slot.start.toISOString(),
        toEnd: slot.end.toISOString(),
      },
    });
    if (timeZone) await setParticipantTimeZone(trx, link.participant.id, timeZone);
    await replanReminders(trx, link.participant.id, now);
    // The update email, in the transaction of the move (keyed on the booking's move count).
    await queueBookingEmail(trx, deps.queue, {
      kind: 'update',
      bookingId: current.id,
      previous: { start: live.start, end: live.end },
    });
    await deps.queue.send(UPDATE_BOOKING_EVENT, { bookingId: current.id }, { trx, startAfter: 20 });
  });
  try {
    await moveEvent(deps, calendar, current.id);
  } catch (error) {
    if (!(error instanceof GoogleApiError) || error.failure.kind === 'revoked') throw error;
    deps.logger.warn({ err: error, bookingId: current.id }, 'event not moved yet; the queued job retries');
  }
  const booking = await findBooking(deps.knex, current.id);
  if (!booking)
    throw new Conflict('This booking was cancelled while it was being moved.', 'booking-cancelled');
  return { status: 201, booking };
}

/** Google unreachable: go ahead (the insert or patch decides); a revoked grant must surface. */
function unlessRevoked(error: unknown): boolean {
  if (error instanceof GoogleApiError && error.failure.kind === 'revoked') throw error;
  return true;
}

/** Brings the event to the booking's current time; nothing to do when it is already there. */
export async function moveEvent(
  deps: Pick<BookDeps, 'knex' | 'retry'>,
  calendar: ResearcherCalendar,
  bookingId: string,
): Promise<void> {
  const booking = await findBooking(deps.knex, bookingId);
  if (!booking || booking.state !== 'confirmed') return;
  const event = await withGoogleRetry(
    'calendar.events.patch',
    async () => {
      const existing = await calendar.client.getEvent(booking.calendarId, booking.googleEventId);
      if (
        existing.start?.dateTime &&
        Date.parse(existing.start.dateTime) === booking.start.getTime() &&
        existing.end?.dateTime &&
        Date.parse(existing.end.dateTime) === booking.end.getTime()
      ) {
        return existing;
      }
      return calendar.client.patchEvent(
        booking.calendarId,
        booking.googleEventId,
        { start: { dateTime: booking.start.toISOString() }, end: { dateTime: booking.end.toISOString() } },
        { sendUpdates: 'all' },
      );
    },
    deps.retry,
  );
  await updateEventFields(deps.knex, bookingId, storedEventFields(event));
  await clearEventMovedFrom(deps.knex, bookingId, booking.start, booking.end);
}

export async function registerUpdateBookingEventWorker(deps: BookDeps & { queue: JobQueue; knex: Knex }) {
  await deps.queue.defineQueue(UPDATE_BOOKING_EVENT, {
    retryLimit: 12,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 120,
  });
  await deps.queue.work<{ bookingId: string }>(UPDATE_BOOKING_EVENT, async (job) => {
    const booking = await findBooking(deps.knex, job.data.bookingId);
    if (!booking || booking.state !== 'confirmed') return;
    await deps.access.withCalendar(booking.researcherId, (calendar) => moveEvent(deps, calendar, booking.id));
  });
}
