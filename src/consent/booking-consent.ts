import type { Knex } from 'knex';
import type { BookingLink } from '../bookings/booking-link';
import {
  currentConsentVersion,
  hasConsentedTo,
  insertParticipantConsent,
  type ConsentVersion,
} from './consent-repository';
import { decideConsent, type ConsentGiven } from './consent-decision';
import { ConsentOutdated, ConsentRequired } from './consent-errors';

/** The consent a booking will record in its transaction: the version agreed to. */
export interface ConsentToRecord {
  version: number;
}

/** What the booking page shows before confirming: the words to agree to, or null. */
export async function consentToAsk(
  db: Knex,
  study: { id: string; consentRequired: boolean },
): Promise<ConsentVersion | undefined> {
  if (!study.consentRequired) return undefined;
  return currentConsentVersion(db, study.id);
}

/**
 * Refuses a booking that lacks the consent its study asks for (400) or agreed to words that
 * have changed since (409), before anything is held; otherwise says what to record.
 */
export async function requireBookingConsent(
  db: Knex,
  link: Pick<BookingLink, 'study' | 'participant'>,
  given: ConsentGiven | undefined,
): Promise<ConsentToRecord | undefined> {
  const current = await consentToAsk(db, link.study);
  const decision = decideConsent({
    required: link.study.consentRequired,
    currentVersion: current?.version,
    alreadyConsentedToCurrent: current
      ? await hasConsentedTo(db, link.participant.id, link.study.id, current.version)
      : false,
    given,
  });
  switch (decision.kind) {
    case 'not-needed':
      return undefined;
    case 'missing':
      throw new ConsentRequired();
    case 'outdated':
      throw new ConsentOutdated(decision.currentVersion);
    case 'record':
      return { version: decision.version };
  }
}

/**
 * Stores the consent in the booking's own transaction, so there is never a booking without
 * the consent it needed nor a consent for a booking that was refused. The version is read
 * again here: a researcher who changes the text while the participant books wins, and the
 * whole booking is refused as outdated.
 */
export async function recordBookingConsent(
  trx: Knex.Transaction,
  link: Pick<BookingLink, 'study' | 'participant'>,
  consent: ConsentToRecord | undefined,
  bookingId: string,
  now: Date,
): Promise<void> {
  if (!consent) return;
  // Shares the lock the study form's save takes, so a new version cannot slip in between.
  await trx.raw('SELECT 1 FROM studies WHERE id = ? FOR SHARE', [link.study.id]);
  const current = await currentConsentVersion(trx, link.study.id);
  if (current && current.version !== consent.version) throw new ConsentOutdated(current.version);
  await insertParticipantConsent(trx, {
    participantId: link.participant.id,
    studyId: link.study.id,
    version: consent.version,
    bookingId,
    at: now,
  });
}
