import type { Knex } from 'knex';
import { consentToShow, currentConsentVersion, type ParticipantConsent } from './consent-repository';

/**
 * The participant's consent as the researcher sees it next to the interview: it covers the
 * interview only when it was given for that very booking (at booking, or again when moving
 * it) and to the study's current words. An earlier booking's consent, or older words, do not.
 */
export interface ConsentStanding {
  consent: ParticipantConsent | undefined;
  /** Given for the participant's live booking. */
  forCurrentInterview: boolean;
  /** Agreed to the study's current version of the text. */
  current: boolean;
  /** The study asks for consent (and has words to agree to). */
  required: boolean;
  currentVersion: number | undefined;
}

export function consentStanding(input: {
  consent: ParticipantConsent | undefined;
  liveBookingId: string | undefined;
  required: boolean;
  currentVersion: number | undefined;
}): ConsentStanding {
  const { consent, liveBookingId, currentVersion } = input;
  return {
    consent,
    forCurrentInterview:
      consent !== undefined && liveBookingId !== undefined && consent.bookingId === liveBookingId,
    current: consent !== undefined && currentVersion !== undefined && consent.version === currentVersion,
    required: input.required && currentVersion !== undefined,
    currentVersion,
  };
}

/**
 * The consent to show for a participant: the one given for their live booking when there is
 * one, otherwise their latest; judged against the study's current version.
 */
export async function loadConsentStanding(
  db: Knex,
  participant: { id: string; studyId: string; booking?: { id: string } | null | undefined },
  study: { consentRequired: boolean } | undefined,
): Promise<ConsentStanding> {
  const liveBookingId = participant.booking?.id;
  const [consent, version] = await Promise.all([
    consentToShow(db, participant.id, liveBookingId),
    currentConsentVersion(db, participant.studyId),
  ]);
  return consentStanding({
    consent,
    liveBookingId,
    required: study?.consentRequired ?? false,
    currentVersion: version?.version,
  });
}
