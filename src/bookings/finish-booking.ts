import type { Knex } from 'knex';
import type { GoogleConnection } from '../connections/connection-repository';
import { GoogleNotConnected, type GoogleAccess, type ResearcherCalendar } from '../connections/google-access';
import {
  eventIdForBooking,
  GoogleApiError,
  isRetryable,
  withGoogleRetry,
  type CalendarEvent,
  type RetryOptions,
} from '../google';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { queueBookingEmail } from '../mail/booking-email-outbox';
import { changeStatus } from '../participants/change-status';
import { findParticipantById, insertHistory, type Participant } from '../participants/participant-repository';
import { isManualOnlyStatus } from '../participants/status-rules';
import { findResearcher, type Researcher } from '../researchers/researcher-repository';
import { findStudyById, type Study } from '../studies/study-repository';
import {
  confirmBooking,
  findBooking,
  markBookingCancelled,
  recordInsertAttempt,
  updateEventFields,
  type Booking,
  type StoredEventFields,
} from './booking-repository';
import { otherHostsOfBooking } from './booking-host-repository';
import { bookingEvent, conferencePending, storedEventFields } from './calendar-event';
import { refusalWords } from './calendar-refusal';
import { cancelWaitingFinishJobs } from './waiting-finish-jobs';
import { scheduleEventDeletion } from './delete-calendar-event';
import { rememberBookedEvent } from '../sync/record-observations';

/** What a participant is told when the researcher's grant no longer reaches the calendar. */
export const RESEARCHER_UNAVAILABLE =
  "The researcher's calendar is not available right now, so no interview can be booked. Please try again later.";

/** How long the booking request waits for a pending Meet conference: about 3.8 s in all. */
const MEET_POLL_DELAYS_MS = [50, 250, 500, 1000, 2000];

export interface FinishDeps {
  knex: Knex;
  access: GoogleAccess;
  logger: Logger;
  queue: JobQueue;
  /** How long one attempt may keep retrying Google before leaving it to the durable job. */
  retry: RetryOptions;
}

export type FinishOutcome =
  | { state: 'confirmed'; booking: Booking }
  /** Google did not answer in time (a transient failure): the slot stays held, the durable job goes on. */
  | { state: 'pending'; booking: Booking; error: GoogleApiError }
  /** The researcher's grant is gone (revoked, or a permission missing): the slot was released. */
  | { state: 'released'; booking: Booking }
  /**
   * Google refused the event for good (400, 403 `quotaExceeded`…, 404): retrying cannot
   * help, so the slot was released at once and the refusal written to the history.
   */
  | { state: 'refused'; booking: Booking; error: GoogleApiError; participantMessage: string }
  | { state: 'cancelled'; booking: Booking };

/** What the event is made of, when the caller has just read it (the booking request). */
export interface BookingFacts {
  participant: Participant;
  study: Study;
  researcher: Researcher;
  /** The researcher's Google connection, read by the same request. */
  connection?: GoogleConnection;
}

/**
 * Puts a pending booking on the researcher's calendar and confirms it. Safe to run any
 * number of times, concurrently too: the event id is derived from the booking id, so a
 * second insert is Google's 409 `duplicate` and we read the event instead; the confirm
 * step locks the row and only moves pending → confirmed once.
 */

export async function finishBooking(
  deps: FinishDeps,
  bookingId: string,
  known?: BookingFacts,
): Promise<FinishOutcome> {
  const booking = await findBooking(deps.knex, bookingId);
  if (!booking) throw new Error(`booking ${bookingId} does not exist`);
  if (booking.state === 'confirmed') return { state: 'confirmed', booking };
  if (booking.state === 'cancelled') return { state: 'cancelled', booking };
  let event: CalendarEvent;
  try {
    event = await deps.access.withCalendar(
      booking.researcherId,
      (calendar) => putEvent(deps, calendar, booking, known),
      known?.connection,
    );
  } catch (error) {
    if (error instanceof GoogleNotConnected) {
      const released = await releaseHeldSlot(deps, booking, {
        lastError: 'google grant revoked or lacking a permission',
        history: `Not booked: ${error.message}`,
        participant: RESEARCHER_UNAVAILABLE,
      });
      deps.logger.warn(
        { bookingId: booking.id, researcherId: booking.researcherId },
        'booking released: google grant revoked or lacking a permission',
      );
      return { state: 'released', booking: released };
    }
    const googleError = error instanceof GoogleApiError ? error : undefined;
    if (googleError && !isRetryable(googleError.failure)) return refuse(deps, booking, googleError);
    await recordInsertAttempt(deps.knex, booking.id, googleError?.message ?? 'unexpected error');
    if (googleError) return { state: 'pending', booking, error: googleError };
    throw error;
  }
  return confirm(deps, booking, event);
}

async function putEvent(
  deps: FinishDeps,
  calendar: ResearcherCalendar,
  booking: Booking,
  known: BookingFacts | undefined,
): Promise<CalendarEvent> {
  const [participant, study, researcher] = known
    ? [known.participant, known.study, known.researcher]
    : await Promise.all([
        findParticipantById(deps.knex, booking.participantId),
        findStudyById(deps.knex, booking.studyId),
        findResearcher(deps.knex, booking.researcherId),
      ]);
  if (!participant || !study || !researcher)
    throw new Error(`booking ${booking.id} lost its participant or study`);
  const otherHosts = await otherHostsOfBooking(deps.knex, booking.id);
  const eventId = eventIdForBooking(booking.id);
  const event = bookingEvent({
    bookingId: booking.id,
    eventId,
    start: booking.start,
    end: booking.end,
    study,
    researcher,
    participant,
    otherHosts,
  });
  let inserted = await withGoogleRetry(
    'calendar.events.insert',
    async () => {
      try {
        return await calendar.client.insertEvent(calendar.calendarId, event, { sendUpdates: 'all' });
      } catch (error) {
        // An earlier attempt did insert it (its answer was lost): the event is ours already.
        if (error instanceof GoogleApiError && error.failure.kind === 'conflict') {
          return calendar.client.getEvent(calendar.calendarId, eventId);
        }
        throw error;
      }
    },
    deps.retry,
  );
  // Google's Meet answer is usually ready a moment after the insert; a slower one is left to
  // the sync, which stores the link when Google's change arrives.
  for (const delayMs of MEET_POLL_DELAYS_MS) {
    if (!conferencePending(inserted)) break;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    inserted = await calendar.client.getEvent(calendar.calendarId, eventId);
  }
  return inserted;
}

async function confirm(deps: FinishDeps, booking: Booking, event: CalendarEvent): Promise<FinishOutcome> {
  return deps.knex.transaction(async (trx) => {
    // Participant first, then booking: the order every other writer (cancel, sync) uses,
    // so two of them can never wait on each other.
    const participant = await findParticipantById(trx, booking.participantId, { forUpdate: true });
    const current = await findBooking(trx, booking.id, { forUpdate: true });
    if (!current || !participant) throw new Error(`booking ${booking.id} vanished`);
    if (
      current.state === 'cancelled' ||
      (current.state === 'pending' && isManualOnlyStatus(participant.status))
    ) {
      // Cancelled while Google was being asked, or a researcher recorded a verdict meanwhile:
      // the event just made must not stay behind — deleted by a durable job.
      if (current.state !== 'cancelled') await markBookingCancelled(trx, booking.id);
      await scheduleEventDeletion(trx, deps.queue, booking.id, 0);
      return { state: 'cancelled' as const, booking: (await findBooking(trx, booking.id)) ?? current };
    }
    if (current.state === 'pending') {
      // Pending under the row lock, so this update confirms it; it answers the row as stored.
      const confirmed = await confirmBooking(trx, booking.id, newerOf(current, storedEventFields(event)));
      if (!confirmed) throw new Error(`booking ${booking.id} was not pending under its lock`);
      await rememberBookedEvent(trx, booking.id, participant.email, event);
      // A researcher's booking from the console is theirs in the history, with any
      // override reason; a participant's own is the service acting on their request.
      const { bookedBy } = confirmed;
      await changeStatus(trx, {
        locked: participant,
        participantId: booking.participantId,
        to: 'scheduled',
        ...(bookedBy
          ? { source: 'researcher' as const, actor: bookedBy.researcherId, reason: bookedBy.overrideReason }
          : { source: 'system' as const, actor: 'booking' }),
        details: {
          bookingId: booking.id,
          start: booking.start.toISOString(),
          end: booking.end.toISOString(),
          ...(bookedBy ? { bookedBy: 'researcher', overridden: bookedBy.overrideReason !== null } : {}),
        },
        hasLiveBooking: true,
      });
      // The confirmation email, in the transaction that confirms: exactly once per booking.
      await queueBookingEmail(trx, deps.queue, { kind: 'confirmation', bookingId: booking.id });
      return { state: 'confirmed' as const, booking: confirmed.booking };
    }
    await updateEventFields(trx, booking.id, newerOf(current, storedEventFields(event)));
    return { state: 'confirmed' as const, booking: (await findBooking(trx, booking.id)) ?? current };
  });
}

/**
 * The sync may have applied a later version of the event while we polled (the Meet conference
 * settled meanwhile): the older answer must not put back an older etag or Meet link.
 */
function newerOf(current: Booking, fields: StoredEventFields): StoredEventFields {
  const synced = current.eventUpdatedAt;
  if (!synced || !fields.eventUpdatedAt || fields.eventUpdatedAt.getTime() >= synced.getTime()) return fields;
  return {
    etag: current.etag,
    sequence: current.sequence,
    eventUpdatedAt: synced,
    meetUrl: current.meetUrl,
    htmlLink: fields.htmlLink ?? current.htmlLink,
  };
}

/** Google refused the event for good: the held slot goes back now, with the reason on record. */
async function refuse(deps: FinishDeps, booking: Booking, error: GoogleApiError): Promise<FinishOutcome> {
  const words = refusalWords(error);
  const released = await releaseHeldSlot(deps, booking, {
    lastError: error.message,
    history: words.researcher,
    participant: words.participant,
  });
  deps.logger.error(
    {
      bookingId: booking.id,
      researcherId: booking.researcherId,
      participantId: booking.participantId,
      status: error.status,
      reason: error.reason,
    },
    'booking released: Google refused the calendar event and retrying cannot help',
  );
  return { state: 'refused', booking: released, error, participantMessage: words.participant };
}

/**
 * Releases a held slot (pending → cancelled) and writes why into the participant's history,
 * where the researcher sees it. A booking no longer pending (confirmed or cancelled meanwhile)
 * is left alone. Any event an earlier attempt made unseen (its answer lost) is deleted by a
 * durable job; the booking's waiting finish jobs are cancelled.
 */
export async function releaseHeldSlot(
  deps: Pick<FinishDeps, 'knex' | 'queue'>,
  booking: Booking,
  why: { lastError: string; history: string; participant: string },
): Promise<Booking> {
  await deps.knex.transaction(async (trx) => {
    // Participant first, then booking: the lock order of every other writer.
    const participant = await findParticipantById(trx, booking.participantId, { forUpdate: true });
    const current = await findBooking(trx, booking.id, { forUpdate: true });
    if (!participant || current?.state !== 'pending') return;
    await markBookingCancelled(trx, booking.id);
    await recordInsertAttempt(trx, booking.id, why.lastError);
    await insertHistory(trx, participant.id, {
      kind: 'booking_failed',
      from: participant.status,
      to: participant.status,
      source: 'system',
      actor: 'booking',
      reason: why.history,
      details: {
        bookingId: booking.id,
        start: booking.start.toISOString(),
        end: booking.end.toISOString(),
        // What the booking page tells the participant when they come back (booking-failure.ts).
        participantMessage: why.participant,
      },
    });
    if (booking.insertAttempts > 0) await scheduleEventDeletion(trx, deps.queue, booking.id, 0);
    await cancelWaitingFinishJobs(trx, deps.queue.schema, booking.id);
  });
  return (await findBooking(deps.knex, booking.id)) ?? booking;
}
