import type { Knex } from 'knex';
import type { EncryptedToken } from '../security/token-cipher';
import type { ParticipantStatus, StatusSource } from './status-rules';
import { TEAM_OF_SQL, teamStudyIds } from '../teams/team-scope';

type Db = Knex | Knex.Transaction;

export interface Participant {
  id: string;
  studyId: string;
  /** The study's organizer, whose calendar the participant books on (not an access key). */
  researcherId: string;
  name: string;
  email: string;
  status: ParticipantStatus;
  tokenExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The participant's booking that still holds a slot (pending or confirmed), if any. */
export interface LiveBooking {
  id: string;
  state: 'pending' | 'confirmed';
  start: Date;
  end: Date;
  googleEventId: string;
  calendarId: string;
  meetUrl: string | null;
  htmlLink: string | null;
}

export interface ParticipantListItem extends Participant {
  booking: LiveBooking | null;
}

interface ParticipantRow {
  id: string;
  study_id: string;
  researcher_id: string;
  name: string;
  email: string;
  status: ParticipantStatus;
  token_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toParticipant = (row: ParticipantRow): Participant => ({
  id: row.id,
  studyId: row.study_id,
  researcherId: row.researcher_id,
  name: row.name,
  email: row.email,
  status: row.status,
  tokenExpiresAt: row.token_expires_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const PARTICIPANT_COLUMNS = [
  'p.id',
  'p.study_id',
  'p.researcher_id',
  'p.name',
  'p.email',
  'p.status',
  'p.token_expires_at',
  'p.created_at',
  'p.updated_at',
];

const liveBookingColumns = [
  'b.id as booking_id',
  'b.state as booking_state',
  'lower(b.during) as booking_start',
  'upper(b.during) as booking_end',
  'b.google_event_id as booking_event_id',
  'b.calendar_id as booking_calendar_id',
  'b.meet_url as booking_meet_url',
  'b.html_link as booking_html_link',
];

interface JoinedRow extends ParticipantRow {
  booking_id: string | null;
  booking_state: 'pending' | 'confirmed' | null;
  booking_start: Date | null;
  booking_end: Date | null;
  booking_event_id: string | null;
  booking_calendar_id: string | null;
  booking_meet_url: string | null;
  booking_html_link: string | null;
}

function toBooking(row: Omit<JoinedRow, keyof ParticipantRow>): LiveBooking | null {
  if (!row.booking_id || !row.booking_state || !row.booking_start || !row.booking_end) return null;
  return {
    id: row.booking_id,
    state: row.booking_state,
    start: row.booking_start,
    end: row.booking_end,
    googleEventId: row.booking_event_id ?? '',
    calendarId: row.booking_calendar_id ?? '',
    meetUrl: row.booking_meet_url,
    htmlLink: row.booking_html_link,
  };
}

const toListItem = (row: JoinedRow): ParticipantListItem => ({
  ...toParticipant(row),
  booking: toBooking(row),
});

function withLiveBooking(db: Db) {
  return db({ p: 'participants' })
    .leftJoin({ b: 'bookings' }, function joinLive() {
      this.on('b.participant_id', '=', 'p.id').andOnVal('b.state', '<>', 'cancelled');
    })
    .select(db.raw(PARTICIPANT_COLUMNS.join(', ')), ...liveBookingColumns.map((column) => db.raw(column)));
}

export async function insertParticipants(
  trx: Knex.Transaction,
  rows: {
    studyId: string;
    researcherId: string;
    name: string;
    email: string;
    tokenHash: string;
    bookingLink: EncryptedToken;
  }[],
): Promise<Participant[]> {
  const inserted = await trx('participants')
    .insert(
      rows.map((row) => ({
        study_id: row.studyId,
        researcher_id: row.researcherId,
        name: row.name,
        email: row.email,
        booking_token_hash: row.tokenHash,
        booking_link_ciphertext: row.bookingLink.ciphertext,
        booking_link_key_id: row.bookingLink.keyId,
      })),
    )
    .returning<ParticipantRow[]>('*');
  return inserted.map(toParticipant);
}

/** Emails of `emails` already in the study (for a 409 that names them). */
export async function existingEmails(
  trx: Knex.Transaction,
  studyId: string,
  emails: string[],
): Promise<string[]> {
  return trx('participants')
    .where({ study_id: studyId })
    .whereIn('email', emails)
    .orderBy('email')
    .pluck('email');
}

interface FindOptions {
  /** Locks the row: every status change of one participant then happens one after the other. */
  forUpdate?: boolean;
}

async function findOne(
  db: Db,
  where: Partial<Pick<ParticipantRow, 'id'>> & { booking_token_hash?: string },
  options: FindOptions & { callerId?: string },
): Promise<Participant | undefined> {
  const query = db<ParticipantRow>('participants').where(where);
  if (options.callerId !== undefined) query.whereIn('study_id', teamStudyIds(db, options.callerId));
  // NO KEY: it still orders every writer of the row, but lets a foreign-key check from another
  // transaction (an outbox or reminder row inserted for this participant) pass instead of
  // waiting, which could deadlock with the reminder sweep.
  if (options.forUpdate) query.forNoKeyUpdate();
  const row = await query.first();
  return row ? toParticipant(row) : undefined;
}

/** Scoped by the caller's team (through the study): another team's participant is simply not found. */
export function findParticipant(db: Db, callerId: string, id: string, options: FindOptions = {}) {
  return findOne(db, { id }, { ...options, callerId });
}

export function findParticipantById(db: Db, id: string, options: FindOptions = {}) {
  return findOne(db, { id }, options);
}

export function findParticipantByTokenHash(db: Db, tokenHash: string, options: FindOptions = {}) {
  return findOne(db, { booking_token_hash: tokenHash }, options);
}

export async function findParticipantWithBooking(
  db: Db,
  callerId: string,
  id: string,
): Promise<ParticipantListItem | undefined> {
  const row = await withLiveBooking(db)
    .where({ 'p.id': id })
    .whereIn('p.study_id', teamStudyIds(db, callerId))
    .first<JoinedRow>();
  return row ? toListItem(row) : undefined;
}

export async function listParticipants(
  db: Db,
  callerId: string,
  studyId: string,
  filter: { status?: ParticipantStatus; limit: number; offset: number },
): Promise<ParticipantListItem[]> {
  const query = withLiveBooking(db)
    .where({ 'p.study_id': studyId })
    .whereIn('p.study_id', teamStudyIds(db, callerId))
    .orderBy([{ column: 'p.created_at' }, { column: 'p.id' }])
    .limit(filter.limit)
    .offset(filter.offset);
  if (filter.status) query.andWhere('p.status', filter.status);
  return ((await query) as JoinedRow[]).map(toListItem);
}

export async function findLiveBooking(db: Db, participantId: string): Promise<LiveBooking | undefined> {
  const row = await db({ b: 'bookings' })
    .where({ 'b.participant_id': participantId })
    .andWhereNot({ 'b.state': 'cancelled' })
    .first(db.raw(liveBookingColumns.join(', ')));
  return row ? (toBooking(row as JoinedRow) ?? undefined) : undefined;
}

/**
 * The interview a verdict is about: the live booking, else the latest of the cancelled
 * bookings whose start had come before they were cancelled (an interview that took place,
 * or should have, and was removed from the calendar afterwards) and the interviews the
 * researcher logged (held elsewhere).
 */
export async function findParticipantInterview(
  db: Db,
  participantId: string,
): Promise<{ start: Date; end: Date } | undefined> {
  const row = (await db
    .select('start', 'end')
    .from(
      db('bookings')
        .where({ participant_id: participantId })
        .andWhere((where) =>
          where.whereNot({ state: 'cancelled' }).orWhereRaw('cancelled_at >= lower(during)'),
        )
        .select(db.raw(`(state <> 'cancelled') as live, lower(during) as start, upper(during) as "end"`))
        .unionAll((union) =>
          union
            .from('logged_interviews')
            .where({ participant_id: participantId })
            .select(db.raw('false as live, lower(during) as start, upper(during) as "end"')),
        )
        .as('interviews'),
    )
    .orderByRaw('live DESC, start DESC')
    .first()) as { start: Date; end: Date } | undefined;
  return row ? { start: row.start, end: row.end } : undefined;
}

/**
 * A new link for the participant; the old one stops working at once. Its hash is kept in
 * `replaced_booking_links` (with every earlier one, all dated now) so that an old link can
 * tell its holder when the newest one was sent — and nothing else.
 */
export async function replaceBookingToken(
  trx: Knex.Transaction,
  id: string,
  tokenHash: string,
  bookingLink: EncryptedToken,
): Promise<void> {
  const current = (await trx('participants').where({ id }).first('booking_token_hash')) as
    { booking_token_hash: string } | undefined;
  await trx('replaced_booking_links').where({ participant_id: id }).update({ replaced_at: trx.fn.now() });
  if (current) {
    await trx('replaced_booking_links')
      .insert({ token_hash: current.booking_token_hash, participant_id: id, replaced_at: trx.fn.now() })
      .onConflict('token_hash')
      .merge();
  }
  await trx('participants').where({ id }).update({
    booking_token_hash: tokenHash,
    booking_link_ciphertext: bookingLink.ciphertext,
    booking_link_key_id: bookingLink.keyId,
    token_expires_at: null,
    updated_at: trx.fn.now(),
  });
}

/**
 * When the newest link replaced the link with this hash, if a re-invite replaced it, and the
 * zone to write that date in: the participant's own (known once they booked), else the study's.
 */
export async function findLinkReplacement(
  db: Db,
  tokenHash: string,
): Promise<{ replacedAt: Date; timeZone: string } | undefined> {
  const row = (await db('replaced_booking_links as r')
    .join('participants as p', 'p.id', 'r.participant_id')
    .join('studies as s', 's.id', 'p.study_id')
    .where('r.token_hash', tokenHash)
    .first('r.replaced_at', db.raw('coalesce(p.time_zone, s.time_zone) as time_zone'))) as
    { replaced_at: Date; time_zone: string } | undefined;
  return row ? { replacedAt: row.replaced_at, timeZone: row.time_zone } : undefined;
}

/** The participant's current booking link, encrypted; undefined for participants added before it was kept. */
export async function findSealedBookingLink(
  db: Db,
  callerId: string,
  id: string,
): Promise<EncryptedToken | undefined> {
  const row = await db('participants')
    .where({ id })
    .whereIn('study_id', teamStudyIds(db, callerId))
    .first('booking_link_ciphertext', 'booking_link_key_id');
  return row?.booking_link_ciphertext
    ? { ciphertext: row.booking_link_ciphertext, keyId: row.booking_link_key_id }
    : undefined;
}

/** Stored links under another key than `currentKeyId` (for key rotation). */
export async function listBookingLinksNotUnderKey(
  db: Knex,
  currentKeyId: string,
  limit: number,
): Promise<{ participantId: string; bookingLink: EncryptedToken }[]> {
  const rows = await db('participants')
    .whereNotNull('booking_link_ciphertext')
    .whereNot('booking_link_key_id', currentKeyId)
    .orderBy('id')
    .limit(limit)
    .select('id', 'booking_link_ciphertext', 'booking_link_key_id');
  return rows.map((row: { id: string; booking_link_ciphertext: string; booking_link_key_id: string }) => ({
    participantId: row.id,
    bookingLink: { ciphertext: row.booking_link_ciphertext, keyId: row.booking_link_key_id },
  }));
}

/** Replaces a stored link only if it is still the one that was read (a re-invite may have replaced it). */
export async function replaceSealedBookingLink(
  db: Knex,
  participantId: string,
  previous: EncryptedToken,
  next: EncryptedToken,
): Promise<boolean> {
  const changed = await db('participants')
    .where({
      id: participantId,
      booking_link_ciphertext: previous.ciphertext,
      booking_link_key_id: previous.keyId,
    })
    .update({ booking_link_ciphertext: next.ciphertext, booking_link_key_id: next.keyId });
  return changed > 0;
}

/** The zone the participant booked in (their browser's): the emails about their interview use it. */
export async function setParticipantTimeZone(trx: Knex.Transaction, id: string, timeZone: string) {
  await trx('participants').where({ id }).update({ time_zone: timeZone });
}

export async function updateParticipantStatus(trx: Knex.Transaction, id: string, status: ParticipantStatus) {
  await trx('participants').where({ id }).update({ status, updated_at: trx.fn.now() });
}

export interface HistoryEntry {
  /**
   * `booking_failed`: Google refused the event for good; the slot was released (from = to).
   * `organizer_changed`: the interview's event moved to another calendar or organizer.
   */
  kind: 'status' | 'rescheduled' | 'invited' | 'organizer_changed' | 'booking_failed';
  from: ParticipantStatus | null;
  to: ParticipantStatus;
  source: StatusSource;
  actor: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  at: Date;
}

export async function insertHistory(
  trx: Knex.Transaction,
  participantId: string,
  entry: Omit<HistoryEntry, 'at'>,
): Promise<void> {
  await trx('status_history').insert(historyRow(participantId, entry));
}

function historyRow(participantId: string, entry: Omit<HistoryEntry, 'at'>) {
  return {
    participant_id: participantId,
    kind: entry.kind,
    from_status: entry.from,
    to_status: entry.to,
    source: entry.source,
    actor: entry.actor,
    reason: entry.reason,
    details: entry.details ? JSON.stringify(entry.details) : null,
  };
}

/** The same history entry for each of many participants, in one statement (a bulk add). */
export async function insertHistoryForEach(
  trx: Knex.Transaction,
  participantIds: readonly string[],
  entry: Omit<HistoryEntry, 'at'>,
): Promise<void> {
  for (let start = 0; start < participantIds.length; start += 1000) {
    await trx('status_history').insert(
      participantIds.slice(start, start + 1000).map((participantId) => historyRow(participantId, entry)),
    );
  }
}

export async function listHistory(db: Db, participantId: string): Promise<HistoryEntry[]> {
  const rows = await db('status_history').where({ participant_id: participantId }).orderBy('id');
  return rows.map((row) => ({
    kind: row.kind,
    from: row.from_status,
    to: row.to_status,
    source: row.source,
    actor: row.actor,
    reason: row.reason,
    details: row.details,
    at: row.at,
  }));
}

/** Source of the latest status-changing history row (not a `rescheduled` note). */
export async function lastStatusSource(db: Db, participantId: string): Promise<StatusSource | null> {
  const row = await db('status_history')
    .where({ participant_id: participantId })
    .whereIn('kind', ['status', 'invited'])
    .orderBy('id', 'desc')
    .first('source');
  return row?.source ?? null;
}

/**
 * A fingerprint of everything the participant page shows (status, booking, logged interviews,
 * history, calendar activity, emails), in one query: the page's live updates poll it and re-read only when it changed.
 */
export async function participantVersion(db: Db, callerId: string, id: string): Promise<string | undefined> {
  const result = await db.raw(
    `SELECT md5(concat_ws('|', p.status, p.updated_at,
        (SELECT max(h.id) FROM status_history h WHERE h.participant_id = p.id),
        (SELECT max(a.id) FROM participant_activity a WHERE a.participant_id = p.id),
        (SELECT string_agg(concat_ws(',', b.state, b.during, b.meet_url, b.html_link), ';' ORDER BY b.id)
           FROM bookings b WHERE b.participant_id = p.id AND b.state <> 'cancelled'),
        (SELECT string_agg(concat_ws(',', l.id, l.version), ';' ORDER BY l.id)
           FROM logged_interviews l WHERE l.participant_id = p.id),
        (SELECT string_agg(concat_ws(',', o.state, o.attempts, o.last_error), ';' ORDER BY o.id)
           FROM email_outbox o WHERE o.participant_id = p.id))) AS version
     FROM participants p JOIN studies s ON s.id = p.study_id
    WHERE p.id = ? AND s.team_id = ${TEAM_OF_SQL}`,
    [id, callerId],
  );
  return (result.rows[0] as { version: string } | undefined)?.version;
}

/**
 * A fingerprint of the study's participants table (who, status, live booking), in one query
 * that also says whether the study is the caller's team's: undefined when it is not.
 */
export async function studyParticipantsVersion(
  db: Db,
  callerId: string,
  studyId: string,
): Promise<string | undefined> {
  const result = await db.raw(
    `SELECT md5(coalesce((
        SELECT string_agg(concat_ws(',', p.id, p.status, p.name, p.email, b.state, b.during, b.meet_url), ';'
                          ORDER BY p.id)
          FROM participants p
          LEFT JOIN bookings b ON b.participant_id = p.id AND b.state <> 'cancelled'
         WHERE p.study_id = s.id), '')) AS version
       FROM studies s WHERE s.id = ? AND s.team_id = ${TEAM_OF_SQL}`,
    [studyId, callerId],
  );
  return (result.rows[0] as { version: string } | undefined)?.version;
}
