import type { Knex } from 'knex';
import { teamOf } from '../teams/team-scope';

/** A booked interview as the researcher's home page lists it. */
export interface UpcomingInterview {
  bookingId: string;
  start: Date;
  state: 'pending' | 'confirmed';
  meetUrl: string | null;
  participantId: string;
  participantName: string;
  studyId: string;
  studyTitle: string;
  studyTimeZone: string;
}

/** The live bookings of the caller's team starting in [from, to), across studies, earliest first. */
export async function listUpcomingInterviews(
  db: Knex,
  callerId: string,
  window: { from: Date; to: Date },
  limit = 200,
): Promise<UpcomingInterview[]> {
  const rows = (await db({ b: 'bookings' })
    .join({ p: 'participants' }, 'p.id', 'b.participant_id')
    .join({ s: 'studies' }, 's.id', 'p.study_id')
    .where('s.team_id', teamOf(db, callerId))
    .whereNot('b.state', 'cancelled')
    .whereRaw('lower(b.during) >= ? and lower(b.during) < ?', [window.from, window.to])
    .orderByRaw('lower(b.during)')
    .limit(limit)
    .select(
      'b.id as booking_id',
      db.raw('lower(b.during) as start'),
      'b.state',
      'b.meet_url',
      'p.id as participant_id',
      'p.name as participant_name',
      's.id as study_id',
      's.title as study_title',
      's.time_zone as study_time_zone',
    )) as {
    booking_id: string;
    start: Date;
    state: 'pending' | 'confirmed';
    meet_url: string | null;
    participant_id: string;
    participant_name: string;
    study_id: string;
    study_title: string;
    study_time_zone: string;
  }[];
  return rows.map((row) => ({
    bookingId: row.booking_id,
    start: row.start,
    state: row.state,
    meetUrl: row.meet_url,
    participantId: row.participant_id,
    participantName: row.participant_name,
    studyId: row.study_id,
    studyTitle: row.study_title,
    studyTimeZone: row.study_time_zone,
  }));
}
