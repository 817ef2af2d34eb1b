import type { Knex } from 'knex';
import { GoogleNotConnected } from '../connections/google-access';
import { GoogleApiError } from '../google';
import { Conflict, Invalid, NotFound, Unavailable } from '../http/problem';
import { findParticipant, type LiveBooking } from '../participants/participant-repository';
import {
  hasStarted,
  interviewTiming,
  isManualOnlyStatus,
  STATUS_LABELS,
  type ParticipantStatus,
} from '../participants/status-rules';
import { explainAvailability, type AvailabilityReason } from '../studies/explain-availability';
import type { StudyHost } from '../studies/study-host-repository';
import type { Study } from '../studies/study-repository';
import { holdAndFinish, type BookDeps, type BookResult } from './book-interview';
import type { BookingActor } from './booking-actor';
import { bookingFactsOf, type BookingLink } from './booking-link';
import { findBooking } from './booking-repository';
import { moveBooking } from './move-booking';
import { calendarOverlaps, type CalendarOverlap } from './slot-recheck';
import { linkForHost, researcherHostAttempt } from './book-with-hosts';
import { calendarPlan } from './booking-organizer';

export interface ResearcherBookingRequest {
  participantId: string;
  start: Date;
  /** Why a time the study does not offer is booked anyway (trimmed, non-empty); without it such a time is refused. */
  overrideReason?: string | undefined;
  /** The researcher saw the overlapping calendar events and books anyway. */
  confirmOverlap?: boolean | undefined;
  now?: Date;
}

/** 409 `not-offered`: the study's rules keep this time off the booking page; each rule listed. */
export class NotOffered extends Conflict {
  constructor(readonly reasons: AvailabilityReason[]) {
    super(
      `The study does not offer this time: ${reasons.map((reason) => reason.message).join(' ')} Give an override reason to book it anyway.`,
      'not-offered',
      // The shape of GET /api/studies/:id/availability/explain's reasons.
      { reasons: reasons.map(({ code, message, details }) => ({ ...details, code, message })) },
    );
  }
}

/** 409 `calendar-overlap`: events in the researcher's Google Calendar overlap the time. */
export class CalendarOverlapFound extends Conflict {
  constructor(readonly overlaps: CalendarOverlap[]) {
    const titles = overlaps.map((overlap) => `“${overlap.title ?? 'Busy'}”`).join(', ');
    super(
      `Your Google Calendar has ${overlaps.length === 1 ? 'an event' : 'events'} at this time: ${titles}. Confirm the overlap to book anyway.`,
      'calendar-overlap',
      {
        events: overlaps.map((overlap) => ({
          title: overlap.title,
          start: overlap.start.toISOString(),
          end: overlap.end.toISOString(),
        })),
      },
    );
  }
}

/**
 * Issue 15, manual booking: the researcher books one of their participants at a chosen time.
 * The time is judged by the same pure rules as the booking page (`explainSlot`) and refused
 * with every reason unless the researcher gives one for overriding them; the calendar is
 * asked at Google for overlapping events unless the researcher confirmed them; then the
 * participant's own path makes the booking (hold → event with Meet → confirm → scheduled),
 * or moves the interview they already have. The exclusion constraint is never overridden.
 * The calendar is the study's organizer's (a move: the interview's own), never the caller's.
 */
export async function bookForParticipant(
  deps: BookDeps,
  researcherId: string,
  request: ResearcherBookingRequest,
): Promise<BookResult> {
  const now = request.now ?? new Date();
  if (request.start.getTime() <= now.getTime()) {
    // No override reaches back in time: an interview that already happened is logged instead.
    throw new Invalid('That time has passed; to record an interview held already, log it instead.', [
      { location: 'body', path: 'start', message: 'must be in the future' },
    ]);
  }
  const studyLink = await researcherBookingLink(deps.knex, researcherId, request.participantId);
  const current = studyLink.liveBooking;
  assertResearcherMayBook(studyLink.participant.status, current, now);
  // Judged and held as the booking page does: a move with the interview's own organizer.
  const plan = await calendarPlan(deps.knex, studyLink.study, current, studyLink);
  const severalHosts = plan.kind === 'hosts';
  const link =
    plan.kind === 'one' && plan.organizerId
      ? await linkForHost(deps.knex, studyLink, plan.organizerId)
      : studyLink;
  if (!severalHosts && (!link.connection || link.connection.state !== 'connected')) {
    throw new GoogleNotConnected();
  }
  if (current && current.start.getTime() === request.start.getTime()) return answerFor(deps, current.id);
  if (current?.state === 'pending') {
    throw new Conflict(
      'The current booking is still being finished. Try again in a moment.',
      'booking-in-progress',
    );
  }
  const answer = await explainAvailability(deps, researcherId, link.study.id, request.start, now, {
    excludeParticipantId: link.participant.id,
    current,
  });
  if (!answer) throw new NotFound('No such participant.');
  // A reason only overrides when there is something to override: an offered time keeps every
  // rule (buffers and the daily limit are checked again under the lock) and no false record.
  const overrideReason = answer.offered ? null : request.overrideReason?.trim() || null;
  if (!answer.offered && overrideReason === null) throw new NotOffered(answer.reasons);
  const by: BookingActor = { kind: 'researcher', researcherId, overrideReason };
  const slot = { start: answer.start, end: answer.end };
  if (severalHosts) {
    const free = (answer.hosts ?? []).filter((host) => host.free).map((host) => host.hostId);
    const { attempt, team } = await researcherHostAttempt(deps, link, current, free, slot);
    if (!request.confirmOverlap) {
      const overlaps: CalendarOverlap[] = [];
      for (const host of team) {
        // Whose calendar it is, when it may not be the researcher's own.
        const who = host.researcherId === researcherId ? '' : `${host.name || host.email}: `;
        const found = await hostOverlaps(deps, host, attempt.organizerId, link.study, slot);
        if (found === 'unreadable') {
          // Not assumed free: named, and the researcher decides whether to book anyway.
          overlaps.push({ title: `${who}calendar could not be read`, start: slot.start, end: slot.end });
          continue;
        }
        overlaps.push(...found.map((overlap) => ({ ...overlap, title: `${who}${overlap.title ?? 'Busy'}` })));
      }
      if (overlaps.length > 0) throw new CalendarOverlapFound(overlaps);
    }
    const hostLink = await linkForHost(deps.knex, link, attempt.organizerId);
    return deps.access.withCalendar(
      hostLink.researcher.id,
      (calendar) =>
        current
          ? moveBooking(deps, calendar, hostLink, current, attempt.offered, now, { by })
          : holdAndFinish(deps, calendar, hostLink, attempt.offered, now, { by }),
      hostLink.connection,
    );
  }
  const offered = { slot, busyEvents: [] };
  // The study's organizer's calendar, whichever team member books: never the caller's own.
  return deps.access.withCalendar(
    link.researcher.id,
    async (calendar) => {
      if (!request.confirmOverlap) {
        const overlaps = await askCalendar(() =>
          calendarOverlaps(deps.knex, calendar, link.study, answer.start, answer.end),
        );
        if (overlaps.length > 0) throw new CalendarOverlapFound(overlaps);
      }
      if (current) return moveBooking(deps, calendar, link, current, offered, now, { by });
      return holdAndFinish(deps, calendar, link, offered, now, { by });
    },
    link.connection,
  );
}

/**
 * The participant (of the caller's team) with their study, and the study's organizer (its
 * first host, not its creator) and their connection, as the booking path takes them.
 */
async function researcherBookingLink(
  knex: Knex,
  callerId: string,
  participantId: string,
): Promise<BookingLink> {
  const participant = await findParticipant(knex, callerId, participantId);
  const facts = participant ? await bookingFactsOf(knex, participant) : undefined;
  if (!facts) throw new NotFound('No such participant.');
  return { ...facts, hostName: facts.researcher.name || facts.researcher.email };
}

/**
 * A verdict stands until the researcher changes it by hand; an interview that has started
 * is judged, not moved.
 */
export function assertResearcherMayBook(
  status: ParticipantStatus,
  current: Pick<LiveBooking, 'start' | 'end'> | undefined,
  now: Date,
): void {
  if (isManualOnlyStatus(status)) {
    throw new Conflict(
      `This participant's interview is recorded as ${STATUS_LABELS[status]}; set another status before booking again.`,
      'status-final',
    );
  }
  if (hasStarted(interviewTiming(current, now))) {
    throw new Conflict(
      'This participant’s interview has started; record its outcome instead of moving it.',
      'interview-started',
    );
  }
}

/**
 * A host's overlaps at the time. The organizer's calendar must be readable (the event goes
 * there; a broken grant is theirs to fix); another host's broken or missing Google access
 * is 'unreadable' rather than the caller's problem.
 */
async function hostOverlaps(
  deps: BookDeps,
  host: StudyHost,
  organizerId: string,
  study: Study,
  slot: { start: Date; end: Date },
): Promise<CalendarOverlap[] | 'unreadable'> {
  const organizes = host.researcherId === organizerId;
  if (!organizes && host.connection !== 'connected') return 'unreadable';
  try {
    return await askCalendar(() =>
      deps.access.withCalendar(host.researcherId, (calendar) =>
        calendarOverlaps(deps.knex, calendar, study, slot.start, slot.end),
      ),
    );
  } catch (error) {
    if (!organizes && (error instanceof GoogleNotConnected || error instanceof Unavailable)) {
      return 'unreadable';
    }
    throw error;
  }
}

/** Google unreachable: say so (a revoked grant surfaces as it is); the researcher may retry or confirm. */
async function askCalendar<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof GoogleApiError && error.failure.kind !== 'revoked') {
      throw new Unavailable(
        'Google Calendar could not be asked whether this time is free. Try again, or book anyway despite any overlap.',
        'calendar-unavailable',
      );
    }
    throw error;
  }
}

async function answerFor(deps: BookDeps, bookingId: string): Promise<BookResult> {
  const booking = await findBooking(deps.knex, bookingId);
  if (!booking) throw new Error('booking vanished');
  return { status: booking.state === 'confirmed' ? 201 : 202, booking };
}
