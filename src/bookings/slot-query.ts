import type { Knex } from 'knex';
import { resolveSchedulingRules, type Interval, type SlotQuery } from '../availability';
import { busyIntervals, type BusyEvent } from '../busy/busy-events';
import type { Study } from '../studies/study-repository';

const DAY_MS = 86_400_000;

/** The span of instants a study's booking window can reach, generously (zones, DST). */
export function bookingRange(study: Study, now: Date): { from: Date; to: Date } {
  const rules = resolveSchedulingRules({ ...study, slotStepMinutes: study.slotStepMinutes ?? null });
  if ('horizonDays' in rules.window) {
    return { from: now, to: new Date(now.getTime() + (rules.window.horizonDays + 2) * DAY_MS) };
  }
  const start = Date.parse(`${rules.window.startDate}T00:00:00Z`) - 2 * DAY_MS;
  const end = Date.parse(`${rules.window.endDate}T00:00:00Z`) + 3 * DAY_MS;
  return { from: new Date(Math.max(now.getTime(), start)), to: new Date(Math.max(now.getTime(), end)) };
}

/**
 * Other live bookings of the researcher (every study: one person cannot interview twice at
 * once) in a range, leaving out the participant's own booking, which a move replaces.
 */
export async function otherBookings(
  db: Knex | Knex.Transaction,
  researcherId: string,
  range: { from: Date; to: Date },
  excludeParticipantId: string,
): Promise<{ studyId: string; start: Date; end: Date }[]> {
  const rows = await db('bookings')
    .where({ researcher_id: researcherId })
    .whereNot({ state: 'cancelled' })
    .whereNot({ participant_id: excludeParticipantId })
    .whereRaw('during && tstzrange(?, ?)', [range.from, range.to])
    .select('study_id', db.raw('lower(during) as start'), db.raw('upper(during) as end'));
  return rows.map((row) => ({ studyId: row.study_id, start: row.start, end: row.end }));
}

/** Everything computeSlots / checkSlot need for one study, from already loaded facts. */
export function slotQueryFor(input: {
  study: Study;
  busyEvents: readonly BusyEvent[];
  bookings: readonly { studyId: string; start: Date; end: Date }[];
  now: Date;
  from?: Date;
  to?: Date;
}): SlotQuery {
  const { study } = input;
  const busy: Interval[] = [
    ...busyIntervals(input.busyEvents, study.conflictHandling, study.timeZone),
    ...input.bookings.map((booking) => ({ start: booking.start, end: booking.end })),
  ];
  return {
    ...resolveSchedulingRules({ ...study, slotStepMinutes: study.slotStepMinutes ?? null }),
    timeZone: study.timeZone,
    availability: study.availability,
    busy,
    studyBookingStarts: input.bookings
      .filter((booking) => booking.studyId === study.id)
      .map((booking) => booking.start),
    now: input.now,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  };
}
