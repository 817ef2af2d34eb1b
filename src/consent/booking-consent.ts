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

/**
 * What a participant's booking carries into its transaction: the consent given on the page
 * (if any). The decision is always made again there, on the locked study row.
 */
export interface ConsentToRecord {
  given: ConsentGiven | undefined;
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
 * have changed since (409), before anything is held (and before Google is asked). Only an
 * early answer: the booking's transaction decides again (settleBookingConsent).
 */
export async function requireBookingConsent(
  db: Knex,
  link: Pick<BookingLink, 'study' | 'participant'>,
  given: ConsentGiven | undefined,
): Promise<ConsentToRecord> {
  await consentVersionToRecord(db, link.study.id, link.study.consentRequired, link.participant.id, given);
  return { given };
}

/**
 * Decides consent in the booking's (or move's) own transaction and stores it there, so there
 * is never a booking without the consent it needed nor a consent for a booking that was
 * refused. The study row is locked FOR SHARE — the lock the study form's save conflicts
 * with — and whether consent is required, its current version and the participant's earlier
 * consent are read again under it: a researcher who switches consent on or saves new words
 * while the participant's request waits for Google wins, and the booking is refused whole.
 */
export async function settleBookingConsent(
  trx: Knex.Transaction,
  link: Pick<BookingLink, 'study' | 'participant'>,
  consent: ConsentToRecord,
  bookingId: string,
  now: Date,
): Promise<void> {
  const study = await trx('studies')
    .where({ id: link.study.id })
    .forShare()
    .first<{ consent_required: boolean } | undefined>('consent_required');
  const version = await consentVersionToRecord(
    trx,
    link.study.id,
    study?.consent_required ?? link.study.consentRequired,
    link.participant.id,
    consent.given,
  );
  if (version === undefined) return;
  await insertParticipantConsent(trx, {
    participantId: link.participant.id,
    studyId: link.study.id,
    version,
    bookingId,
    at: now,
  });
}

/** The version to record, undefined when none is needed; throws the refusals. */
async function consentVersionToRecord(
  db: Knex | Knex.Transaction,
  studyId: string,
  required: boolean,
  participantId: string,
  given: ConsentGiven | undefined,
): Promise<number | undefined> {
  const current = required ? await currentConsentVersion(db, studyId) : undefined;
  const decision = decideConsent({
    required,
    currentVersion: current?.version,
    alreadyConsentedToCurrent: current
      ? await hasConsentedTo(db, participantId, studyId, current.version)
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
      return decision.version;
  }
}
