/**
 * `webhook`: Google push notifications acknowledged per second with 64 concurrent clients,
 * against a bare Express handler measured the same way in the same run (issue 12): each in
 * its own process, loaded from this one. Every notification is valid (a known channel, its
 * token, a new message number); the sync workers run as in production, so the syncs the
 * notifications cause compete for the machine.
 */
import { measureBaselineHello } from '../support/baseline';
import { meterCpu } from '../support/cpu';
import { runLoad, type LoadRequest } from '../support/load';
import { waitUntil } from '../support/processes';
import { round, runAlone } from '../support/report';
import { signInResearcher } from '../support/sign-in';
import { startStack, type BenchStack } from '../support/stack';
import { metricTotal } from './seed-interviews';
import type { BenchCase } from './types';

const CONCURRENCY = 64;
const CALENDARS = 32;
const NOTIFICATIONS = 20_000;
const WARM_UP = 2_000;

interface ChannelForBench {
  id: string;
  resourceId: string;
  token: string;
  next: number;
}

export async function run(): Promise<BenchCase> {
  const baseline = await measureBaselineHello(CONCURRENCY, WARM_UP, NOTIFICATIONS);
  const stack = await startStack();
  try {
    const url = stack.service.url;
    const channels = await openChannels(stack);
    await runLoad({ url, concurrency: CONCURRENCY, total: WARM_UP, request: notification(channels) });
    const before = await outcomes(url);
    const syncsBefore = await metricTotal(stack, 'calendar_syncs_total');
    const cpu = meterCpu({ service: stack.service.child.pid, emulator: stack.emulator.child.pid });
    const load = await runLoad({
      url,
      concurrency: CONCURRENCY,
      total: NOTIFICATIONS,
      request: notification(channels),
      ok: (status) => status === 200,
    });
    const used = cpu.stop();
    const after = await outcomes(url);
    // The syncs the notifications started while they were acknowledged (one calendar's
    // notifications are coalesced while its sync waits).
    const syncRuns = (await metricTotal(stack, 'calendar_syncs_total')) - syncsBefore;
    // Per notification: the sync runs the notifications start are in the service's and
    // PostgreSQL's share, as in production.
    const per = (ms: number | undefined) => (ms ?? 0) / NOTIFICATIONS;
    const cpuParts = [per(used.service), per(used.postgres), per(used.emulator), per(used.loadGenerator)];
    const acknowledged = load.succeeded;
    const webhookRps = load.rps;
    const counted = (outcome: string) => (after.get(outcome) ?? 0) - (before.get(outcome) ?? 0);
    return {
      title: `Webhook: ${NOTIFICATIONS} valid notifications over ${CALENDARS} channels, ${CONCURRENCY} clients (service in its own process)`,
      rows: [
        { label: 'bare Express handler (same run)', value: `${baseline.rps.toFixed(0)}/s` },
        {
          label: 'notifications acknowledged (200)',
          value: `${webhookRps.toFixed(0)}/s`,
          goal: `≥ ${(baseline.rps / 2).toFixed(0)}/s (ratio ≥ 0.5)`,
        },
        {
          label: 'ratio webhook / bare handler',
          value: (webhookRps / baseline.rps).toFixed(3),
          goal: '≥ 0.5',
        },
        { label: 'acknowledgement p50', value: `${load.p50Ms.toFixed(1)} ms` },
        { label: 'acknowledgement p99', value: `${load.p99Ms.toFixed(1)} ms`, goal: '≤ 20 ms' },
        { label: 'bare handler p99', value: `${baseline.p99Ms.toFixed(1)} ms` },
        {
          label: 'CPU per notification: service, PostgreSQL, emulator, load generator',
          value: `${cpuParts.map((ms) => ms.toFixed(2)).join(' + ')} = ${cpuParts.reduce((a, b) => a + b, 0).toFixed(2)} ms`,
        },
        { label: `sync runs while acknowledging (${CALENDARS} calendars)`, value: String(syncRuns) },
        { label: 'answers other than 200', value: String(NOTIFICATIONS - acknowledged), goal: '0' },
        { label: 'labelled accepted', value: String(counted('accepted')) },
        { label: 'labelled duplicate (none was one)', value: String(counted('duplicate')), goal: '0' },
      ],
      keys: {
        webhook_rps: round(webhookRps, 1),
        webhook_p99_ms: round(load.p99Ms, 1),
        baseline_hello_rps: round(baseline.rps, 1),
        webhook_cpu_ms_service: round(cpuParts[0] ?? 0, 3),
        webhook_cpu_ms_postgres: round(cpuParts[1] ?? 0, 3),
        webhook_sync_runs: syncRuns,
      },
    };
  } finally {
    await stack.stop();
  }
}

/** Researchers signed in: the service opens one channel each; the tokens come from Google's side. */
async function openChannels(stack: BenchStack): Promise<ChannelForBench[]> {
  for (let index = 0; index < CALENDARS; index += 1) {
    await signInResearcher(stack.service.url, stack.emulator.url, `webhook-${index}@lab.example`);
  }
  await waitUntil(
    async () =>
      Number(
        (
          await stack
            .knex('calendar_channels')
            .whereNull('resource_id')
            .count<{ count: string }[]>('* as count')
        )[0]?.count,
      ) === 0,
    10_000,
    'channels confirmed',
  );
  const rows = (await stack.knex('calendar_channels').where({ state: 'active' }).select('id')) as {
    id: string;
  }[];
  const state = (await (await fetch(`${stack.emulator.url}/_emulator/state`)).json()) as {
    channels: { id: string; token?: string; resourceId: string }[];
  };
  const byId = new Map(state.channels.map((channel) => [channel.id, channel]));
  return rows.map((row) => {
    const known = byId.get(row.id);
    if (!known?.token) throw new Error(`the emulator does not know channel ${row.id}`);
    return { id: row.id, resourceId: known.resourceId, token: known.token, next: 100 };
  });
}

/** Notification number `index`: round-robin over the channels, each with the channel's next number. */
function notification(channels: ChannelForBench[]): (index: number) => LoadRequest {
  return (index) => {
    const channel = channels[index % channels.length] as ChannelForBench;
    channel.next += 1;
    return {
      method: 'POST',
      path: '/webhooks/google/calendar',
      headers: {
        'x-goog-channel-id': channel.id,
        'x-goog-channel-token': channel.token,
        'x-goog-resource-id': channel.resourceId,
        'x-goog-resource-state': 'exists',
        'x-goog-message-number': String(channel.next),
        'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
      },
    };
  };
}

/** calendar_notifications_total by outcome, read from /metrics. */
async function outcomes(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^calendar_notifications_total\{([^}]*)\} (\d+)/.exec(line);
    const outcome = match?.[1] ? /outcome="([^"]+)"/.exec(match[1])?.[1] : undefined;
    if (outcome && match?.[2]) counts.set(outcome, (counts.get(outcome) ?? 0) + Number(match[2]));
  }
  return counts;
}

if (require.main === module) runAlone(run);
