import type { ScheduledTask } from 'node-cron';
import type { Registry } from 'prom-client';
import type { Features } from '../features';
import type { RouteTable } from '../http/route-table';
import { registerNightlyWorker } from '../nightly/nightly-worker';
import { scheduleNightly } from '../nightly/schedule';
import { registerCalendarWebhookRoutes } from '../webhooks/calendar-webhook-routes';
import { registerReplaceChannelWorker } from './channel-replacement';
import { schedulePolling } from './poll-calendars';
import { registerPushStateGauge } from './push-state-metrics';
import { syncMetricsFor } from './sync-metrics';
import { registerSyncWorker } from './sync-worker';

/**
 * Calendar to status (DESIGN 1.4–1.6), composed from the shared features: the webhook, the
 * sync and channel workers, and the nightly schedule. `registry` is the app's Prometheus
 * registry, for the sync metrics to appear under /metrics.
 */
export function registerSyncRoutes(table: RouteTable, features: Features, registry?: Registry): void {
  const { knex, queue, logger, syncPacing } = features;
  registerCalendarWebhookRoutes(table, {
    knex,
    queue,
    logger,
    syncPacing,
    metrics: syncMetricsFor(features, registry),
  });
  if (registry) registerPushStateGauge(registry, knex, logger);
}

const schedules = new WeakMap<Features, ScheduledTask>();
const pollers = new WeakMap<Features, () => void>();

export async function startSyncWorkers(features: Features, registry?: Registry): Promise<void> {
  const { config, knex, logger, access, queue, channels, syncPacing } = features;
  const deps = { knex, logger, access, queue, channels, metrics: syncMetricsFor(features, registry) };
  await registerSyncWorker({ ...deps, syncPacing });
  await registerReplaceChannelWorker(deps);
  await registerNightlyWorker(deps);
  const task = scheduleNightly(deps, config.nightly);
  if (task) schedules.set(features, task);
  pollers.set(features, schedulePolling(deps, { intervalMs: config.pollIntervalMinutes * 60_000 }));
}

/** Ends this instance's nightly and polling timers (call on shutdown; the queue stops the workers). */
export async function stopSyncWorkers(features: Features): Promise<void> {
  pollers.get(features)?.();
  pollers.delete(features);
  const task = schedules.get(features);
  if (!task) return;
  schedules.delete(features);
  await task.stop();
  await task.destroy();
}
