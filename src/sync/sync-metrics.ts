import client, { type Registry } from 'prom-client';

/**
 * What the calendar-to-status path reports to Prometheus: how Google's notifications were
 * answered, how fast, and how long a change took to reach the participant's status.
 */
export interface SyncMetrics {
  registry: Registry;
  /** `resource_state`: X-Goog-Resource-State (or `invalid`); `outcome`: what the webhook did. */
  notifications: client.Counter<'resource_state' | 'outcome'>;
  /** From the request's arrival to the answer; Google wants milliseconds. */
  ackSeconds: client.Histogram;
  /** From the (first coalesced) notification to the end of the sync that applied it. */
  syncLagSeconds: client.Histogram;
  syncRuns: client.Counter<'kind' | 'outcome'>;
  /** Bookings whose row or participant changed because of the calendar, by what changed. */
  bookingChanges: client.Counter<'change'>;
  nightlyRuns: client.Counter<'outcome'>;
}

export function createSyncMetrics(registry: Registry): SyncMetrics {
  return {
    registry,
    notifications: new client.Counter({
      name: 'calendar_notifications_total',
      help: 'Google Calendar push notifications received, by resource state and outcome',
      labelNames: ['resource_state', 'outcome'],
      registers: [registry],
    }),
    ackSeconds: new client.Histogram({
      name: 'calendar_notification_ack_seconds',
      help: 'Time to answer a Google Calendar push notification',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    syncLagSeconds: new client.Histogram({
      name: 'calendar_sync_lag_seconds',
      help: 'Time from a push notification to the end of the calendar sync that applied it',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    }),
    syncRuns: new client.Counter({
      name: 'calendar_syncs_total',
      help: 'Calendar syncs run, by kind (incremental or full) and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    bookingChanges: new client.Counter({
      name: 'calendar_booking_changes_total',
      help: 'Bookings changed by what Google Calendar says, by kind of change',
      labelNames: ['change'],
      registers: [registry],
    }),
    nightlyRuns: new client.Counter({
      name: 'nightly_reconcile_runs_total',
      help: 'Nightly reconciliation jobs, by outcome (ran, skipped as already done, busy, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

const byOwner = new WeakMap<object, SyncMetrics>();

/**
 * One set of sync metrics per composed service (the webhook route and the workers are
 * registered separately but must count into the same series). `registry` is the app's
 * Prometheus registry; a registry given later than the first call is added then, so the
 * order in which routes and workers are registered does not matter.
 */
export function syncMetricsFor(owner: object, registry?: Registry): SyncMetrics {
  const existing = byOwner.get(owner);
  if (!existing) {
    const metrics = createSyncMetrics(registry ?? new client.Registry());
    byOwner.set(owner, metrics);
    return metrics;
  }
  if (registry && registry !== existing.registry) attach(existing, registry);
  return existing;
}

function attach(metrics: SyncMetrics, registry: Registry): void {
  const all: client.Metric<string>[] = [
    metrics.notifications,
    metrics.ackSeconds,
    metrics.syncLagSeconds,
    metrics.syncRuns,
    metrics.bookingChanges,
    metrics.nightlyRuns,
  ];
  for (const metric of all) {
    // prom-client keeps the name on the instance but does not declare it in its types.
    const name = (metric as unknown as { name: string }).name;
    if (!registry.getSingleMetric(name)) registry.registerMetric(metric);
  }
}
