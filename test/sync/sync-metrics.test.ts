import { Registry } from 'prom-client';
import { syncMetricsFor } from '../../src/sync/sync-metrics';

describe('Sync metrics', () => {
  test('When the app registry is given after the workers made the metrics, then the same series appear in it', async () => {
    const service = {};
    const early = syncMetricsFor(service);
    early.notifications.inc({ resource_state: 'exists', outcome: 'accepted' });
    const registry = new Registry();

    const late = syncMetricsFor(service, registry);

    expect(late).toBe(early);
    const text = await registry.metrics();
    expect(text).toContain('calendar_notifications_total{resource_state="exists",outcome="accepted"} 1');
    for (const name of [
      'calendar_notification_ack_seconds',
      'calendar_sync_lag_seconds',
      'nightly_reconcile_runs_total',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  test('Two services in one process count separately', () => {
    const first = syncMetricsFor({});
    const second = syncMetricsFor({});
    first.syncRuns.inc({ kind: 'full', outcome: 'ok' });

    expect(second).not.toBe(first);
    expect(second.registry).not.toBe(first.registry);
  });
});
