import type { Knex } from 'knex';
import { checkSlot } from '../availability';
import type { BusyEvent } from '../busy/busy-events';
import type { Study } from '../studies/study-repository';
import { SlotTaken } from './booking-errors';
import { otherBookings, slotCheckRange, slotQueryFor } from './slot-query';

/**
 * The exclusion constraint guards an interview's exact range. A study's buffers and daily
 * limit reach beyond it, so a hold that must respect them has to see every other hold of
 * the researcher that is still being written: it takes the researcher's lock exclusively
 * and checks again on what is committed. Every other hold shares the lock, so holds without
 * buffers or a limit never wait for each other, only for one that has them.
 */
export function needsExclusiveHold(
  study: Pick<Study, 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'dailyLimit'>,
): boolean {
  return study.bufferBeforeMinutes > 0 || study.bufferAfterMinutes > 0 || study.dailyLimit !== undefined;
}

export interface HeldSlotCheck {
  study: Study;
  researcherId: string;
  participantId: string;
  start: Date;
  /** The calendar's busy events the first check used: only bookings race, Google's events do not. */
  busyEvents: readonly BusyEvent[];
  now: Date;
}

/** Run inside the hold's (or move's) transaction, after the participant row lock. */
export async function lockResearcherTime(trx: Knex.Transaction, check: HeldSlotCheck): Promise<void> {
  const exclusive = needsExclusiveHold(check.study);
  await trx.raw(
    exclusive
      ? 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))'
      : 'SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))',
    [`interview-scheduler:researcher-time:${check.researcherId}`],
  );
  if (!exclusive) return;
  const range = slotCheckRange(check.study, check.start, check.now);
  const bookings = await otherBookings(trx, check.researcherId, range, check.participantId);
  const again = checkSlot(
    slotQueryFor({ study: check.study, busyEvents: check.busyEvents, bookings, now: check.now }),
    check.start,
  );
  if (!again.available) throw new SlotTaken();
}
