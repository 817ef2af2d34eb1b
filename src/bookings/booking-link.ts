import type { Knex } from 'knex';
import { findConnection, type GoogleConnection } from '../connections/connection-repository';
import { AppError, Gone, NotFound } from '../http/problem';
import {
  findLinkReplacement,
  findLiveBooking,
  findParticipantByTokenHash,
  type LiveBooking,
  type Participant,
} from '../participants/participant-repository';
import { findResearcher, type Researcher } from '../researchers/researcher-repository';
import { sha256Hex } from '../security/secrets';
import { findStudyById, type Study } from '../studies/study-repository';
import { studyHostName, studyOrganizerId } from './booking-organizer';

export interface BookingLink {
  participant: Participant;
  /** The participant's live booking when the link was resolved (checked again under locks). */
  liveBooking: LiveBooking | undefined;
  study: Study;
  /**
   * The study's organizer (its first host), on whose calendar a new booking goes — not the
   * participant's `researcherId`, who added them and may host nothing. A round robin
   * replaces them per booking (`linkForHost`), a move by the interview's own organizer.
   */
  researcher: Researcher;
  /**
   * The study's organizer when the link was resolved (undefined for a study left without
   * hosts), so the booking path need not read the study's hosts again (`calendarPlan`).
   */
  studyOrganizerId: string | undefined;
  connection: GoogleConnection | undefined;
  /**
   * Who the study says would like to talk, before anything is booked: the organizer of a
   * one-on-one or collective study; a round robin's team, since any of its hosts may take
   * the interview. Once booked, the interview's own hosts are named (`hostsNamedToParticipant`).
   */
  hostName: string;
}

/** Booking tokens are base64url of 32 random bytes; anything else is not worth a lookup. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * A link a re-invite replaced: 410 with the time the newest link was sent
 * (`newLinkSentAt`), and nothing else — whoever holds an old link learns no study or name.
 * `timeZone` (the participant's, else the study's) is for writing that date on the
 * server's page; it is not sent.
 */
export class LinkReplaced extends AppError {
  constructor(
    readonly newLinkSentAt: Date,
    readonly timeZone: string,
  ) {
    super(
      410,
      'Gone',
      `A new link was sent to you by email on ${newLinkSentAt.toISOString().slice(0, 10)}; use that one.`,
      'urn:interview-scheduler:problem:link-replaced',
      { newLinkSentAt: newLinkSentAt.toISOString() },
    );
  }
}

/**
 * What a booking link opens, or why it cannot: unknown → 404; replaced by a re-invite,
 * expired link or closed study → 410 (the link existed; the participant should ask the researcher for a new one).
 */
export async function resolveBookingLink(
  db: Knex | Knex.Transaction,
  token: string,
  now = new Date(),
  options: { allowClosed?: boolean } = {},
): Promise<BookingLink> {
  const tokenHash = TOKEN_PATTERN.test(token) ? sha256Hex(token) : undefined;
  const participant = tokenHash ? await findParticipantByTokenHash(db, tokenHash) : undefined;
  if (!participant) {
    const replaced = tokenHash ? await findLinkReplacement(db, tokenHash) : undefined;
    if (replaced) throw new LinkReplaced(replaced.replacedAt, replaced.timeZone);
    throw new NotFound('This booking link is not valid. Check the link in your invitation email.');
  }
  const facts = await bookingFactsOf(db, participant);
  if (!facts) throw new NotFound('This booking link is not valid.');
  if (participant.tokenExpiresAt && participant.tokenExpiresAt <= now) {
    throw new Gone('This booking link has expired. Ask the research team for a new one.', 'link-expired');
  }
  if (facts.study.status === 'closed' && !options.allowClosed) {
    throw new Gone('This study is no longer taking bookings.', 'study-closed');
  }
  return { ...facts, hostName: await studyHostName(db, facts.study, facts.researcher) };
}

/**
 * What the booking path takes besides the participant: their live booking, their study, its
 * organizer (the first host, not the creator) and the organizer's connection. Undefined when
 * the study or the researcher is gone. Reads that do not depend on each other go out
 * together: under load every round trip waits its turn for the event loop and a connection,
 * so fewer in a row answer sooner.
 */
export async function bookingFactsOf(
  db: Knex | Knex.Transaction,
  participant: Participant,
): Promise<Omit<BookingLink, 'hostName'> | undefined> {
  const [study, organizerId, liveBooking] = await Promise.all([
    findStudyById(db, participant.studyId),
    studyOrganizerId(db, { id: participant.studyId }),
    findLiveBooking(db, participant.id),
  ]);
  if (!study) return undefined;
  // A study left without hosts takes no bookings: no connection, so "not available" (never
  // the creator's calendar).
  const [researcher, connection] = await Promise.all([
    findResearcher(db as Knex, organizerId ?? study.researcherId),
    organizerId ? findConnection(db, organizerId) : undefined,
  ]);
  if (!researcher) return undefined;
  return { participant, liveBooking, study, researcher, studyOrganizerId: organizerId, connection };
}
