import type { Knex } from 'knex';
import { resolveSchedulingRules, type Interval, type SlotQuery } from '../availability';
import { busyIntervals, type BusyEvent } from '../busy/busy-events';
import type { Study } from '../studies/study-repository';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

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
 * The part of `bookingRange` that decides whether one proposed start is free: its span
 * widened by the buffers — or, with a daily limit, every instant that can share its local
 * date (two days either side covers any zone offset, buffer and duration). Loading only
 * this keeps a booking's check from reading the whole horizon's bookings and busy time.
 */
export function slotCheckRange(study: Study, start: Date, now: Date): { from: Date; to: Date } {
  const whole = bookingRange(study, now);
  const end = start.getTime() + study.durationMinutes * MINUTE_MS;
  const from =
    study.dailyLimit !== undefined
      ? start.getTime() - 2 * DAY_MS
      : start.getTime() - study.bufferBeforeMinutes * MINUTE_MS;
  const to = study.dailyLimit !== undefined ? end + 2 * DAY_MS : end + study.bufferAfterMinutes * MINUTE_MS;
  return narrowed(whole, from, to);
}

/**
 * The part of `bookingRange` that decides the slots starting in [from, to) (the slots API's
 * optional bounds): two days either side, as in `slotCheckRange`.
 */
export function slotListRange(
  study: Study,
  now: Date,
  bounds: { from?: Date | undefined; to?: Date | undefined },
): { from: Date; to: Date } {
  const whole = bookingRange(study, now);
  return narrowed(
    whole,
    bounds.from ? bounds.from.getTime() - 2 * DAY_MS : -Infinity,
    bounds.to ? bounds.to.getTime() + (study.durationMinutes * MINUTE_MS + 2 * DAY_MS) : Infinity,
  );
}

/** `range` cut to [from, to); an empty range (from = to) when they do not meet. */
function narrowed(range: { from: Date; to: Date }, from: number, to: number): { from: Date; to: Date } {
  const start = Math.max(range.from.getTime(), from);
  const end = Math.max(start, Math.min(range.to.getTime(), to));
  return { from: new Date(start), to: new Date(end) };
}

/**
 * Other live bookings of the researcher (every study: one person cannot interview twice at
 * once) in a range, leaving out the participant's own booking, which a move replaces
 * (none left out when the researcher asks). Read from `booking_hosts`, so a collective
 * interview the researcher attends without organizing it counts too.
 */
export async function otherBookings(
  db: Knex | Knex.Transaction,
  researcherId: string,
  range: { from: Date; to: Date },
  excludeParticipantId: string | undefined,
): Promise<{ studyId: string; start: Date; end: Date }[]> {
  const byHost = await otherBookingsOfHosts(db, [researcherId], range, excludeParticipantId);
  return byHost.get(researcherId) ?? [];
}

/** `otherBookings` for several hosts at once, by host id (every id present, maybe empty). */
export async function otherBookingsOfHosts(
  db: Knex | Knex.Transaction,
  researcherIds: readonly string[],
  range: { from: Date; to: Date },
  excludeParticipantId: string | undefined,
): Promise<Map<string, { studyId: string; start: Date; end: Date }[]>> {
  const byHost = new Map(
    researcherIds.map((id) => [id, [] as { studyId: string; start: Date; end: Date }[]]),
  );
  if (researcherIds.length === 0) return byHost;
  const query = db({ bh: 'booking_hosts' })
    .join({ b: 'bookings' }, 'b.id', 'bh.booking_id')
    .whereIn('bh.researcher_id', researcherIds as string[])
    .where('bh.live', true);
  if (excludeParticipantId !== undefined) query.whereNot('b.participant_id', excludeParticipantId);
  const rows = await query
    .whereRaw('bh.during && tstzrange(?, ?)', [range.from, range.to])
    .select(
      'bh.researcher_id',
      'b.study_id',
      db.raw('lower(bh.during) as start'),
      db.raw('upper(bh.during) as end'),
    );
  for (const row of rows) {
    byHost.get(row.researcher_id)?.push({ studyId: row.study_id, start: row.start, end: row.end });
  }
  return byHost;
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
