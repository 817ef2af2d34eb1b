import type { Knex } from 'knex';
import { DEFAULT_HORIZON_DAYS, type Availability } from '../availability';
import type { StudyEmailTemplates } from '../mail/email-templates';
import { CURRENT_CONSENT_TEXT_SQL, saveConsentText } from '../consent/consent-repository';
import type { ParticipantStatus } from '../participants/status-rules';
import type { StudySettings } from './study-schema';
import type { HostHoursSource } from './study-hosting';
import type { SchedulingType } from '../availability/hosts';
import { teamOf, teamStudyIds } from '../teams/team-scope';

export interface Study extends StudySettings {
  id: string;
  /** The researcher who created the study. */
  researcherId: string;
  /** Every member of this team sees and manages the study. */
  teamId: string;
  /** Who holds the interviews: the hosts are in `study_hosts` (study-host-repository). */
  schedulingType: SchedulingType;
  /** `study`: the common schedule for every host; `per_host`: each host's own weekly hours. */
  hostHours: HostHoursSource;
  createdAt: Date;
  updatedAt: Date;
}

interface StudyRow {
  id: string;
  researcher_id: string;
  team_id: string;
  scheduling_type: SchedulingType;
  host_hours: HostHoursSource;
  title: string;
  status: 'open' | 'closed';
  duration_minutes: number;
  time_zone: string;
  availability: Availability;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  min_notice_minutes: number;
  horizon_days: number | null;
  start_date: string | null;
  end_date: string | null;
  slot_step_minutes: number | null;
  daily_limit: number | null;
  event_title: string;
  event_description: string;
  guests: string[];
  reminder_minutes_before: number[];
  conflict_handling: 'busy' | 'strict' | 'off';
  email_templates: StudyEmailTemplates;
  consent_required: boolean;
  /** The current consent version's text (a subquery), null before any was written. */
  consent_text: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toStudy(row: StudyRow): Study {
  return {
    id: row.id,
    researcherId: row.researcher_id,
    teamId: row.team_id,
    schedulingType: row.scheduling_type,
    hostHours: row.host_hours,
    title: row.title,
    status: row.status,
    timeZone: row.time_zone,
    availability: row.availability,
    durationMinutes: row.duration_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    minNoticeMinutes: row.min_notice_minutes,
    ...(row.horizon_days !== null ? { horizonDays: row.horizon_days } : {}),
    ...(row.start_date !== null ? { startDate: row.start_date } : {}),
    ...(row.end_date !== null ? { endDate: row.end_date } : {}),
    ...(row.slot_step_minutes !== null ? { slotStepMinutes: row.slot_step_minutes } : {}),
    ...(row.daily_limit !== null ? { dailyLimit: row.daily_limit } : {}),
    eventTitle: row.event_title,
    eventDescription: row.event_description,
    guests: row.guests,
    reminderMinutesBefore: row.reminder_minutes_before,
    conflictHandling: row.conflict_handling,
    emailTemplates: row.email_templates,
    consentRequired: row.consent_required,
    consentText: row.consent_text ?? '',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(settings: StudySettings) {
  const fixed = settings.startDate !== undefined && settings.endDate !== undefined;
  return {
    title: settings.title,
    status: settings.status,
    time_zone: settings.timeZone,
    availability: JSON.stringify(settings.availability),
    duration_minutes: settings.durationMinutes,
    buffer_before_minutes: settings.bufferBeforeMinutes,
    buffer_after_minutes: settings.bufferAfterMinutes,
    min_notice_minutes: settings.minNoticeMinutes,
    // A study without a fixed window has a rolling one: stored explicitly, so what the API
    // shows is what the booking page applies.
    horizon_days: fixed ? null : (settings.horizonDays ?? DEFAULT_HORIZON_DAYS),
    start_date: fixed ? settings.startDate : null,
    end_date: fixed ? settings.endDate : null,
    slot_step_minutes: settings.slotStepMinutes ?? null,
    daily_limit: settings.dailyLimit ?? null,
    event_title: settings.eventTitle,
    event_description: settings.eventDescription,
    guests: settings.guests,
    reminder_minutes_before: settings.reminderMinutesBefore,
    conflict_handling: settings.conflictHandling,
    email_templates: JSON.stringify(settings.emailTemplates),
    consent_required: settings.consentRequired,
  };
}

/** Study rows with their current consent text, which lives in its versions table. */
function selectStudies(db: Knex | Knex.Transaction) {
  return db<StudyRow>('studies').select('studies.*', db.raw(`${CURRENT_CONSENT_TEXT_SQL} AS consent_text`));
}

export async function insertStudy(db: Knex, researcherId: string, settings: StudySettings): Promise<Study> {
  return db.transaction(async (trx) => {
    const [row] = await trx('studies')
      .insert({ researcher_id: researcherId, ...toRow(settings) })
      .returning<{ id: string }[]>('id');
    if (!row) throw new Error('study insert returned nothing');
    await saveConsentText(trx, row.id, settings.consentText);
    const study = await findStudyById(trx, row.id);
    if (!study) throw new Error('study insert found nothing');
    return study;
  });
}

/** Scoped by the caller's team: another team's study is simply not found. */
export async function findStudy(
  db: Knex | Knex.Transaction,
  callerId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Study | undefined> {
  const query = selectStudies(db).where({ id }).where('studies.team_id', teamOf(db, callerId));
  if (options.forUpdate) query.forUpdate('studies');
  const row = await query.first();
  return row ? toStudy(row) : undefined;
}

export async function findStudyById(db: Knex | Knex.Transaction, id: string): Promise<Study | undefined> {
  const row = await selectStudies(db).where({ id }).first();
  return row ? toStudy(row) : undefined;
}

/** Every study of the caller's team, newest first. */
export async function listStudies(db: Knex, callerId: string): Promise<Study[]> {
  const rows = await selectStudies(db)
    .where('studies.team_id', teamOf(db, callerId))
    .orderBy('created_at', 'desc');
  return rows.map(toStudy);
}

export async function updateStudy(
  trx: Knex.Transaction,
  study: Study,
  settings: StudySettings,
): Promise<Study> {
  const updated = await trx('studies')
    .where({ id: study.id })
    .update({ ...toRow(settings), updated_at: trx.fn.now() });
  if (updated === 0) throw new Error('study update found nothing');
  // The caller holds the study row lock, so version numbers cannot race.
  await saveConsentText(trx, study.id, settings.consentText);
  const saved = await findStudyById(trx, study.id);
  if (!saved) throw new Error('study update found nothing');
  return saved;
}

export type StatusCounts = Record<ParticipantStatus, number>;

/** Participants per status for each of the given studies of the caller's team (zeros included). */
export async function countParticipantsByStatus(
  db: Knex,
  callerId: string,
  studyIds: string[],
): Promise<Map<string, StatusCounts>> {
  const counts = new Map<string, StatusCounts>();
  for (const id of studyIds)
    counts.set(id, { invited: 0, scheduled: 0, canceled: 0, no_show: 0, completed: 0 });
  if (studyIds.length === 0) return counts;
  const rows = await db('participants')
    .whereIn('study_id', studyIds)
    .whereIn('study_id', teamStudyIds(db, callerId))
    .groupBy('study_id', 'status')
    .select('study_id', 'status')
    .count<{ study_id: string; status: ParticipantStatus; count: number }[]>('* as count');
  for (const row of rows) {
    const forStudy = counts.get(row.study_id);
    if (forStudy) forStudy[row.status] = Number(row.count);
  }
  return counts;
}
