import type { ChannelDeps } from '../channels/channel-lifecycle';
import { listConnectedResearchersByGoogleUser } from '../connections/connection-repository';
import { GoogleNotConnected } from '../connections/google-access';
import type { AppliedEvent } from '../sync/apply-reconcile';
import { listBookingsToVerify } from '../sync/calendar-booking-repository';
import { syncCalendar, type SyncDeps } from '../sync/sync-calendar';
import { verifyBookings } from '../sync/verify-bookings';
import { pruneMessages } from '../webhooks/notification-repository';
import { forEachBounded } from './bounded';
import { withNightlyLock } from './nightly-lock';
import { keepChannelAlive } from './renew-channels';

export interface NightlyDeps extends SyncDeps {
  channels: ChannelDeps;
}

export interface NightlyReport {
  startedAt: Date;
  finishedAt: Date;
  calendars: number;
  channelsKept: number;
  channelsRenewed: number;
  channelsCreated: number;
  incrementalSyncs: number;
  fullResyncs: number;
  bookingsVerified: number;
  /** Every booking the run changed (status, time, or the booking row following its event). */
  fixed: AppliedEvent[];
  /** Calendars found revoked on the way. */
  revoked: number;
  failures: { researcherId: string; step: 'channel' | 'sync' | 'verify'; message: string }[];
}

export interface NightlyOptions {
  now?: Date;
  /** Called after each calendar, e.g. for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /** Google users whose calendars are reconciled at the same time (default NIGHTLY_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Google users worked on at once. Each calendar waits on Google most of the time (the token,
 * two listings, the channel upkeep), so several in parallel make the run that much shorter;
 * each user's own calls stay one at a time (Google's quotas are per user). A calendar holds a
 * database connection only for its short queries, never while it waits on Google, so the
 * pool (10, one held by the nightly lock) is shared, not exhausted.
 */
export const NIGHTLY_CONCURRENCY = 10;

/** Message numbers kept for recognising Google's redeliveries (which come within hours). */
const MESSAGES_KEPT_MS = 24 * 3600_000;

/** Bookings that ended up to this long ago are still verified (a late move or decline). */
const VERIFY_LOOKBACK_MS = 24 * 3600_000;

/**
 * DESIGN 1.6: whatever a lost notification could have left stale is put right, calendar by
 * calendar — a few Google users at a time, each user's calendars and calls in turn:
 * (1) a push channel that lives past the next nights (renewed or created), (2) an incremental
 * sync (a full one when there is no token or it expired), (3) every upcoming booking checked
 * against the calendar with one paged listing. One calendar's failure is reported and the run
 * goes on. At most one run at a time, across all processes. Afterwards, message numbers too
 * old to be redelivered are forgotten.
 */
export async function runNightly(
  deps: NightlyDeps,
  options: NightlyOptions = {},
): Promise<NightlyReport | 'busy'> {
  return withNightlyLock(deps.knex, async () => {
    const now = options.now ?? new Date();
    const report = emptyReport(new Date());
    const users = await listConnectedResearchersByGoogleUser(deps.knex);
    report.calendars = users.reduce((sum, researcherIds) => sum + researcherIds.length, 0);
    let done = 0;
    await forEachBounded(users, options.concurrency ?? NIGHTLY_CONCURRENCY, async (researcherIds) => {
      for (const researcherId of researcherIds) {
        await reconcileCalendar(deps, researcherId, now, report);
        done += 1;
        options.onProgress?.(done, report.calendars);
      }
    });
    await forgetOldMessages(deps, now);
    report.finishedAt = new Date();
    deps.logger.info(summaryFields(report), 'nightly reconciliation finished');
    return report;
  });
}

async function reconcileCalendar(
  deps: NightlyDeps,
  researcherId: string,
  now: Date,
  report: NightlyReport,
): Promise<void> {
  const step = async <T>(name: 'channel' | 'sync' | 'verify', work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GoogleNotConnected) throw error;
      const message = error instanceof Error ? error.message : String(error);
      report.failures.push({ researcherId, step: name, message });
      deps.logger.warn({ err: error, researcherId, step: name }, 'nightly step failed');
      return undefined;
    }
  };
  try {
    const upkeep = await step('channel', () =>
      deps.access.withCalendar(researcherId, (calendar) => keepChannelAlive(deps.channels, calendar, now)),
    );
    if (upkeep === 'kept') report.channelsKept += 1;
    if (upkeep === 'renewed') report.channelsRenewed += 1;
    if (upkeep === 'created') report.channelsCreated += 1;

    const sync = await step('sync', () => syncCalendar(deps, researcherId, { now }));
    if (sync?.kind === 'skipped') {
      if (sync.reason === 'revoked') report.revoked += 1;
      return;
    }
    if (sync) {
      report.fixed.push(...changed(sync.applied));
      if (sync.kind === 'full') {
        // A full resync has just checked every recent booking; checking again adds nothing.
        report.fullResyncs += 1;
        return;
      }
      report.incrementalSyncs += 1;
    }

    const verified = await step('verify', () =>
      deps.access.withCalendar(researcherId, async (calendar) => {
        const bookings = await listBookingsToVerify(deps.knex, researcherId, calendar.calendarId, {
          endingAfter: new Date(now.getTime() - VERIFY_LOOKBACK_MS),
          includeCancelled: false,
        });
        return verifyBookings(deps, calendar, bookings);
      }),
    );
    if (verified) {
      report.bookingsVerified += verified.checked;
      report.fixed.push(...changed(verified.applied));
    }
  } catch (error) {
    if (!(error instanceof GoogleNotConnected)) throw error;
    report.revoked += 1;
  }
}

async function forgetOldMessages(deps: NightlyDeps, now: Date): Promise<void> {
  try {
    await pruneMessages(deps.knex, new Date(now.getTime() - MESSAGES_KEPT_MS));
  } catch (error) {
    // Only the table's size is at stake; the next night tries again.
    deps.logger.warn({ err: error }, 'could not prune old notification message numbers');
  }
}

function changed(applied: readonly AppliedEvent[]): AppliedEvent[] {
  return applied.filter((event) => event.changes.some((change) => change !== 'version'));
}

function emptyReport(startedAt: Date): NightlyReport {
  return {
    startedAt,
    finishedAt: startedAt,
    calendars: 0,
    channelsKept: 0,
    channelsRenewed: 0,
    channelsCreated: 0,
    incrementalSyncs: 0,
    fullResyncs: 0,
    bookingsVerified: 0,
    fixed: [],
    revoked: 0,
    failures: [],
  };
}

export function summaryFields(report: NightlyReport): Record<string, number> {
  return {
    calendars: report.calendars,
    channelsRenewed: report.channelsRenewed,
    channelsCreated: report.channelsCreated,
    fullResyncs: report.fullResyncs,
    bookingsVerified: report.bookingsVerified,
    fixed: report.fixed.length,
    revoked: report.revoked,
    failures: report.failures.length,
    ms: report.finishedAt.getTime() - report.startedAt.getTime(),
  };
}
