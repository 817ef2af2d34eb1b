import type { ChannelDeps } from '../channels/channel-lifecycle';
import { claimCalendarsToPoll } from '../channels/push-state-repository';
import { GoogleNotConnected, type GoogleAccess } from '../connections/google-access';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { forEachBounded } from '../nightly/bounded';
import { keepChannelAlive } from '../nightly/renew-channels';
import { enqueueCalendarSyncs } from './sync-queues';

export interface PollDeps {
  knex: ChannelDeps['knex'];
  logger: Logger;
  access: GoogleAccess;
  queue: JobQueue;
  channels: ChannelDeps;
}

export interface PollSettings {
  /** Each calendar without a live channel is synced once per interval (POLL_INTERVAL_MINUTES). */
  intervalMs: number;
  /** Calendars claimed per tick; the rest wait for the next tick (oldest poll first). */
  batch?: number;
}

export interface PollReport {
  polled: number;
  channelsOpened: number;
}

const POLL_BATCH = 500;
/** Watches tried at once in one tick (each is one Google call). */
const WATCH_CONCURRENCY = 4;
/** How often an instance looks for calendars due; the interval itself is per calendar. */
export const POLL_TICK_MS = 60_000;

/**
 * Polling in place of push: the calendars without a live channel whose last poll is an
 * interval old are claimed (each by one instance, once per interval) and get an incremental
 * sync through the usual sync queue. Where a watch is due again, a channel is tried first; a
 * calendar whose channel opens leaves polling from the next tick on.
 */
export async function pollCalendars(
  deps: PollDeps,
  settings: PollSettings,
  now: Date = new Date(),
): Promise<PollReport> {
  const claimed = await claimCalendarsToPoll(
    deps.knex,
    now,
    settings.intervalMs,
    settings.batch ?? POLL_BATCH,
  );
  let channelsOpened = 0;
  const due = claimed.filter((calendar) => calendar.watchDue);
  await forEachBounded(due, WATCH_CONCURRENCY, async ({ researcherId }) => {
    try {
      await deps.access.withCalendar(researcherId, (calendar) =>
        keepChannelAlive(deps.channels, calendar, now),
      );
      channelsOpened += 1;
    } catch (error) {
      // startChannel recorded why (shown in /api/me) and when to try again.
      if (!(error instanceof GoogleNotConnected)) {
        deps.logger.debug({ err: error, researcherId }, 'push channel still not to be had; polling goes on');
      }
    }
  });
  if (claimed.length > 0) {
    await enqueueCalendarSyncs(
      deps.queue,
      claimed.map(({ researcherId }) => ({ researcherId })),
    );
    deps.logger.info({ polled: claimed.length, channelsOpened }, 'calendars without push polled');
  }
  return { polled: claimed.length, channelsOpened };
}

/**
 * Every instance ticks; the claim makes sure a calendar is polled once per interval however
 * many do. The timer does not keep the process alive; the returned function ends it.
 */
export function schedulePolling(deps: PollDeps, settings: PollSettings): () => void {
  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      pollCalendars(deps, settings)
        .catch((error: unknown) => deps.logger.error({ err: error }, 'polling calendars without push failed'))
        .finally(() => {
          running = false;
        });
    },
    Math.min(POLL_TICK_MS, settings.intervalMs),
  );
  timer.unref();
  return () => clearInterval(timer);
}
