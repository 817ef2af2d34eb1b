import type { HostHours } from '../../src/availability/hosts';
import type { SchedulingType } from '../../src/availability/hosts';
import type { Stack } from '../support/stack';

/**
 * Gives a study its hosts and scheduling type straight in the database (the hosts API is
 * built elsewhere): the first host organizes collective events.
 */
export async function setStudyHosts(
  stack: Stack,
  studyId: string,
  schedulingType: SchedulingType,
  hostIds: readonly string[],
  hostHours: 'study' | 'per_host' = 'study',
): Promise<void> {
  await stack.knex.transaction(async (trx) => {
    await trx('study_hosts').where({ study_id: studyId }).delete();
    await trx('study_hosts').insert(
      hostIds.map((researcherId, position) => ({ study_id: studyId, researcher_id: researcherId, position })),
    );
    await trx('studies')
      .where({ id: studyId })
      .update({ scheduling_type: schedulingType, host_hours: hostHours });
  });
}

/** A researcher's own weekly hours, used by studies whose hosts keep their own. */
export async function setHostHours(stack: Stack, researcherId: string, hours: HostHours): Promise<void> {
  await stack
    .knex('researchers')
    .where({ id: researcherId })
    .update({ host_hours: JSON.stringify(hours) });
}

/** A meeting in a host's Google Calendar (the busy cache forgotten, so the next read sees it). */
export async function addCalendarEvent(
  stack: Stack,
  calendarId: string,
  summary: string,
  start: Date,
  end: Date,
): Promise<void> {
  const answer = await fetch(`${stack.emulatorUrl}/_emulator/calendars/${calendarId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      summary,
      start: { dateTime: start.toISOString() },
      end: { dateTime: end.toISOString() },
    }),
  });
  if (!answer.ok) throw new Error(`event: ${answer.status} ${await answer.text()}`);
  await stack.knex('freebusy_cache').delete();
}

/** Tomorrow at a whole UTC hour (and minutes): far from "now", so notice never interferes. */
export function tomorrowAt(hour: number, minute = 0): Date {
  const date = new Date(Date.now() + 86_400_000);
  date.setUTCHours(hour, minute, 0, 0);
  return date;
}

/** Live interviews per host (every host a booking occupies), for "never twice at once". */
export async function overlappingHostBookings(stack: Stack): Promise<number> {
  const result = await stack.knex.raw<{ rows: { n: string }[] }>(
    `SELECT count(*) AS n FROM booking_hosts a JOIN booking_hosts b
       ON a.researcher_id = b.researcher_id AND a.booking_id < b.booking_id AND a.during && b.during
      WHERE a.live AND b.live`,
  );
  return Number(result.rows[0]?.n ?? 0);
}
