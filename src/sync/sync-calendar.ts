import { invalidateBusyCache } from '../busy/busy-cache';
import { findConnection, markConnectionRevoked } from '../connections/connection-repository';
import { GoogleNotConnected, type GoogleAccess, type ResearcherCalendar } from '../connections/google-access';
import { SILENT_CHANNEL_REASON } from '../channels/push-state';
import { stopSilentChannels } from '../channels/push-state-repository';
import { GoogleApiError, type CalendarEvent } from '../google';
import { applyEventsPage } from './apply-events';
import { bookingIdOfEvent } from './google-event-view';
import type { AppliedEvent, ApplyDeps } from './apply-reconcile';
import { fullResync } from './full-resync';
import { renewFailedConferences } from './meet-renewal';
import { SYNC_RETRY } from './google-retry';
import { replaceSyncToken } from './sync-token-repository';

export interface SyncDeps extends ApplyDeps {
  access: GoogleAccess;
}

export type SyncKind = 'incremental' | 'full';

export type SyncResult =
  | {
      kind: SyncKind;
      applied: AppliedEvent[];
      tokenStored: boolean;
      /** The newest `updated` among the changes an incremental sync listed. */
      latestChangeAt?: Date;
    }
  /** Nothing to sync: not connected, or the grant turned out to be revoked. */
  | { kind: 'skipped'; reason: 'not connected' | 'revoked'; applied: [] };

/**
 * DESIGN 1.4: bring one researcher's bookings up to date with their calendar.
 * 1. The free/busy cache is dropped as soon as a change that can touch busy time is seen (a
 *    change to one of our own booking events cannot), and whenever the sync cannot tell:
 *    a full resync, or a sync that fails.
 * 2. Incremental sync from the stored token, every page applied before the new token is
 *    stored — a crash half-way re-reads the same changes, which apply as no-ops.
 * 3. No token yet, or Google answers 410 `fullSyncRequired`: a bounded full resync.
 * A revoked grant (invalid_grant, or 401 with a freshly refreshed token) marks the
 * connection revoked and ends the sync; rate limits and 5xx are retried with backoff, then
 * thrown so the job queue retries later.
 */
export async function syncCalendar(
  deps: SyncDeps,
  researcherId: string,
  options: { now?: Date } = {},
): Promise<SyncResult> {
  const connection = await findConnection(deps.knex, researcherId);
  if (!connection || connection.state !== 'connected') {
    await invalidateBusyCache(deps.knex, researcherId);
    return { kind: 'skipped', reason: 'not connected', applied: [] };
  }
  const startedFrom = connection.syncToken;
  try {
    // With the connection just read, which withCalendar then does not read again.
    const result = await deps.access.withCalendar(
      researcherId,
      async (calendar) => {
        if (startedFrom) {
          try {
            return await incrementalSync(deps, calendar, startedFrom);
          } catch (error) {
            if (!isFullSyncRequired(error)) throw error;
            deps.logger.info({ researcherId }, 'sync token no longer valid (410); full resync');
          }
        }
        return fullSyncFrom(deps, calendar, startedFrom, options.now ?? new Date());
      },
      connection,
    );
    deps.metrics.syncRuns.inc({ kind: result.kind, outcome: 'ok' });
    if (result.kind !== 'skipped' && result.latestChangeAt)
      await noticeSilentChannel(deps, researcherId, result.latestChangeAt, options.now);
    return result;
  } catch (error) {
    await invalidateBusyCache(deps.knex, researcherId);
    if (error instanceof GoogleNotConnected) return revoked(deps);
    if (error instanceof GoogleApiError && error.failure.kind === 'unauthorized') {
      // A 401 even with a freshly refreshed access token: Google no longer honours the grant.
      await markConnectionRevoked(deps.knex, researcherId, 'unauthorized');
      deps.logger.warn({ researcherId }, 'google answered 401 with a fresh token: connection marked revoked');
      return revoked(deps);
    }
    deps.metrics.syncRuns.inc({ kind: startedFrom ? 'incremental' : 'full', outcome: 'failed' });
    throw error;
  }
}

async function incrementalSync(
  deps: SyncDeps,
  calendar: ResearcherCalendar,
  syncToken: string,
): Promise<SyncResult> {
  const applied: AppliedEvent[] = [];
  let cacheDropped = false;
  let latestChangeAt: Date | undefined;
  const pages = calendar.client.listAllEvents(
    { calendarId: calendar.calendarId, syncToken },
    { retry: SYNC_RETRY },
  );
  for (;;) {
    const next = await pages.next();
    if (next.done) {
      const tokenStored = next.value
        ? await replaceSyncToken(deps.knex, calendar.researcherId, syncToken, next.value)
        : false;
      return { kind: 'incremental', applied, tokenStored, ...(latestChangeAt ? { latestChangeAt } : {}) };
    }
    if (!cacheDropped && next.value.items.some(mayChangeBusyTime)) {
      await invalidateBusyCache(deps.knex, calendar.researcherId);
      cacheDropped = true;
    }
    latestChangeAt = latest(latestChangeAt, next.value.items);
    const page = await applyEventsPage(deps, calendar.researcherId, next.value.items);
    await renewFailedConferences(deps, calendar, page);
    applied.push(...page);
  }
}

async function fullSyncFrom(
  deps: SyncDeps,
  calendar: ResearcherCalendar,
  startedFrom: string | null,
  now: Date,
): Promise<SyncResult> {
  await invalidateBusyCache(deps.knex, calendar.researcherId);
  const result = await fullResync(deps, calendar, now);
  const tokenStored = result.syncToken
    ? await replaceSyncToken(deps.knex, calendar.researcherId, startedFrom, result.syncToken)
    : false;
  return { kind: 'full', applied: result.applied, tokenStored };
}

function latest(current: Date | undefined, items: readonly CalendarEvent[]): Date | undefined {
  let newest = current?.getTime() ?? Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const updated = typeof item.updated === 'string' ? Date.parse(item.updated) : Number.NaN;
    if (Number.isFinite(updated) && updated > newest) newest = updated;
  }
  return Number.isFinite(newest) ? new Date(newest) : undefined;
}

/** A change the live channel never announced: Google stopped it (push-state-repository). */
async function noticeSilentChannel(deps: SyncDeps, researcherId: string, changedAt: Date, now = new Date()) {
  try {
    const stopped = await stopSilentChannels(deps.knex, researcherId, changedAt, now, SILENT_CHANNEL_REASON);
    if (stopped > 0) {
      deps.logger.warn(
        { researcherId, changedAt: changedAt.toISOString() },
        'push channel went silent (Google stopped it?): the calendar is polled until a new one opens',
      );
    }
  } catch (error) {
    // The sync itself succeeded; the next one looks again.
    deps.logger.warn({ err: error, researcherId }, 'could not check the push channel for silence');
  }
}

/**
 * Whether a changed event can change busy time. Our own booking events never count as busy
 * time (the bookings table does, with buffers), so their changes leave the cache valid — a
 * burst of bookings would otherwise make every slot list fetch the whole horizon again. A
 * deleted event may come without its properties: then it counts.
 */
function mayChangeBusyTime(event: CalendarEvent): boolean {
  return bookingIdOfEvent(event) === null;
}

/** Any 410 on a listing: Google documents `fullSyncRequired`; a listing cannot be `deleted`. */
function isFullSyncRequired(error: unknown): boolean {
  return error instanceof GoogleApiError && error.failure.kind === 'gone';
}

function revoked(deps: SyncDeps): SyncResult {
  deps.metrics.syncRuns.inc({ kind: 'incremental', outcome: 'revoked' });
  return { kind: 'skipped', reason: 'revoked', applied: [] };
}
