import type { Knex } from 'knex';
import { checkSlot, type Slot } from '../availability';
import type { BusyEvent } from '../busy/busy-events';
import type { Study } from '../studies/study-repository';
import { SlotTaken } from './booking-errors';
import type { BookingLink } from './booking-link';
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

/**
 * The hosts a hold of a study with several hosts occupies, and its check under their locks.
 * One-on-one holds have none: the researcher of the link is the one host.
 */
export interface HostsHold {
  /** Every host the booking occupies, the organizer (bookings.researcher_id) first. */
  hostIds: readonly string[];
  /** The start judged again for every host on the interviews committed by now. */
  stillFree(trx: Knex.Transaction, now: Date): Promise<boolean>;
  /** Google asked again (not the cache) for every host but the organizer. */
  othersFreeAtGoogle(): Promise<boolean>;
  /**
   * Round robin with another free host still to try: a host another hold is being written
   * for at this moment is passed over at once rather than waited for. Many participants of
   * studies sharing hosts all pick the fairest host first; queueing on it would keep a
   * pooled connection per waiting request. The last candidate waits as long as it takes.
   */
  nextHostWaiting: boolean;
}

/**
 * Run inside the hold's (or move's) transaction, after the participant row lock. `offered`
 * carries the calendar's busy events the first check used: only bookings race, Google's
 * events do not. With several hosts every host's lock is taken, in one order (by id) for
 * every transaction, so two holds sharing hosts never wait on each other in a circle.
 */
export async function lockResearcherTime(
  trx: Knex.Transaction,
  link: Pick<BookingLink, 'study' | 'researcher' | 'participant'>,
  offered: { slot: Slot; busyEvents: readonly BusyEvent[]; hosts?: HostsHold | undefined },
  now: Date,
  /** False when a researcher books past the study's rules on purpose: the lock is still taken. */
  options: { enforceRules?: boolean } = {},
): Promise<void> {
  const exclusive = needsExclusiveHold(link.study);
  if (offered.hosts?.nextHostWaiting) {
    await passOverBusyHost(trx, offered.hosts.hostIds);
    if (!exclusive || options.enforceRules === false) return;
    if (!(await offered.hosts.stillFree(trx, now))) throw new SlotTaken();
    return;
  }
  const hostIds = offered.hosts ? [...new Set(offered.hosts.hostIds)].sort() : [link.researcher.id];
  for (const hostId of hostIds) {
    await trx.raw(
      exclusive
        ? 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))'
        : 'SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))',
      [lockKey(hostId)],
    );
  }
  if (!exclusive || options.enforceRules === false) return;
  if (offered.hosts) {
    if (!(await offered.hosts.stillFree(trx, now))) throw new SlotTaken();
    return;
  }
  const start = offered.slot.start;
  const range = slotCheckRange(link.study, start, now);
  const bookings = await otherBookings(trx, link.researcher.id, range, link.participant.id);
  const again = checkSlot(
    slotQueryFor({ study: link.study, busyEvents: offered.busyEvents, bookings, now }),
    start,
  );
  if (!again.available) throw new SlotTaken();
}

function lockKey(researcherId: string): string {
  return `interview-scheduler:researcher-time:${researcherId}`;
}

/** The host's lock taken exclusively without waiting: a hold in progress for them is a taken slot. */
async function passOverBusyHost(trx: Knex.Transaction, hostIds: readonly string[]): Promise<void> {
  for (const hostId of [...new Set(hostIds)].sort()) {
    const result = await trx.raw<{ rows: { locked: boolean }[] }>(
      'SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS locked',
      [lockKey(hostId)],
    );
    if (!result.rows[0]?.locked) throw new SlotTaken();
  }
}

/**
 * Whether a hold for this host is being written right now (its lock is taken, shared or
 * not), asked in one statement outside any transaction: the lock is taken and given back at
 * once when free. A round robin passes such a host over before opening a transaction for it.
 */
export async function hostHoldInProgress(db: Knex, hostId: string): Promise<boolean> {
  const result = await db.raw<{ rows: { free: boolean }[] }>(
    `SELECT CASE WHEN pg_try_advisory_lock(hashtextextended(?, 0))
                 THEN pg_advisory_unlock(hashtextextended(?, 0))
                 ELSE false END AS free`,
    [lockKey(hostId), lockKey(hostId)],
  );
  return !result.rows[0]?.free;
}
