import type { ResearcherCalendar } from '../connections/google-access';
import type { ApplyDeps } from './apply-reconcile';
import { listBookingsToVerify } from './calendar-booking-repository';
import { takeFreshSyncToken } from './fresh-sync-token';
import { SYNC_RETRY } from './google-retry';
import { verifyBookings, type VerifyResult } from './verify-bookings';

/** How far back a resync looks: recent interviews can still be moved, declined or restored. */
export const RESYNC_LOOKBACK_DAYS = 7;

export interface FullResyncResult extends VerifyResult {
  syncToken: string | undefined;
}

/**
 * What Google's `410 fullSyncRequired` (or a missing token) asks for, bounded to what matters
 * here: the bookings of the last week and all upcoming ones are checked against the calendar,
 * and a fresh sync token is taken.
 *
 * The token is taken *first*: every change after it comes in the next incremental sync, and
 * every change before it is already visible to the check that follows. The other order would
 * lose a change made between the check and the token. Seeing a change twice is harmless: the
 * reconciler ignores what it has already applied.
 */
export async function fullResync(
  deps: ApplyDeps,
  calendar: ResearcherCalendar,
  now: Date,
): Promise<FullResyncResult> {
  const syncToken = await takeFreshSyncToken(calendar.client, calendar.calendarId, SYNC_RETRY);
  const bookings = await listBookingsToVerify(deps.knex, calendar.researcherId, calendar.calendarId, {
    endingAfter: new Date(now.getTime() - RESYNC_LOOKBACK_DAYS * 24 * 3600_000),
    includeCancelled: true,
  });
  return { syncToken, ...(await verifyBookings(deps, calendar, bookings)) };
}
