import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** One wording of a study's consent; the highest version is the current one. */
export interface ConsentVersion {
  version: number;
  text: string;
  createdAt: Date;
}

/** A participant's agreement to one version, with the words they agreed to. */
export interface ParticipantConsent {
  version: number;
  text: string;
  consentedAt: Date;
  bookingId: string | null;
}

/** SQL for the current consent text of `studies` rows, for the study queries. */
export const CURRENT_CONSENT_TEXT_SQL = `(SELECT text FROM study_consent_versions v
   WHERE v.study_id = studies.id ORDER BY v.version DESC LIMIT 1)`;

export async function currentConsentVersion(db: Db, studyId: string): Promise<ConsentVersion | undefined> {
  const row = await db('study_consent_versions')
    .where({ study_id: studyId })
    .orderBy('version', 'desc')
    .first<{ version: number; text: string; created_at: Date } | undefined>();
  return row ? { version: row.version, text: row.text, createdAt: row.created_at } : undefined;
}

/**
 * Stores the study's consent text: a new version when it differs from the current one,
 * nothing otherwise (saving a form unchanged must not make everyone agree again). Call with
 * the study row locked (or just inserted), so two saves cannot both take the next number.
 * An empty text is not stored: it only clears the field while consent is off.
 */
export async function saveConsentText(trx: Knex.Transaction, studyId: string, text: string): Promise<void> {
  const current = await currentConsentVersion(trx, studyId);
  if (current ? current.text === text : text === '') return;
  await trx('study_consent_versions').insert({
    study_id: studyId,
    version: (current?.version ?? 0) + 1,
    text,
  });
}

export async function insertParticipantConsent(
  trx: Knex.Transaction,
  consent: { participantId: string; studyId: string; version: number; bookingId: string; at: Date },
): Promise<void> {
  await trx('participant_consents').insert({
    participant_id: consent.participantId,
    study_id: consent.studyId,
    version: consent.version,
    booking_id: consent.bookingId,
    consented_at: consent.at,
  });
}

/**
 * The consent to show for a participant: the one given for `liveBookingId` when there is
 * one, otherwise their latest.
 */
export async function consentToShow(
  db: Db,
  participantId: string,
  liveBookingId: string | undefined,
): Promise<ParticipantConsent | undefined> {
  const query = db('participant_consents as c')
    .join('study_consent_versions as v', function joinVersion() {
      this.on('v.study_id', 'c.study_id').andOn('v.version', 'c.version');
    })
    .where('c.participant_id', participantId);
  if (liveBookingId) query.orderByRaw('(c.booking_id = ?) DESC NULLS LAST', [liveBookingId]);
  const row = await query
    .orderBy([
      { column: 'c.consented_at', order: 'desc' },
      { column: 'c.version', order: 'desc' },
    ])
    .first<{ version: number; text: string; consented_at: Date; booking_id: string | null } | undefined>(
      'c.version',
      'v.text',
      'c.consented_at',
      'c.booking_id',
    );
  return row
    ? { version: row.version, text: row.text, consentedAt: row.consented_at, bookingId: row.booking_id }
    : undefined;
}

/** Whether the participant has agreed to this version of the study's text. */
export async function hasConsentedTo(
  db: Db,
  participantId: string,
  studyId: string,
  version: number,
): Promise<boolean> {
  const row = await db('participant_consents')
    .where({ participant_id: participantId, study_id: studyId, version })
    .first('id');
  return row !== undefined;
}
