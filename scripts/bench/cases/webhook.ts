/**
 * `webhook`: Google push notifications acknowledged per second with 64 concurrent clients,
 * against a bare Express handler measured the same way in the same run (issue 12).
 * Every notification is valid (a known channel, its token, a new message number); the sync
 * workers run as in production, so the syncs the notifications cause compete for the machine.
 */
import type { Server } from 'node:http';
import express from 'express';
import { freePort } from '../../../src/net/free-port';
import { runAlone, signInResearcher, startBenchService, waitUntil, type BenchService } from './bench-service';
import { runLoad, type LoadRequest } from './http-load';
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
  const baseline = await measureBareHandler();
  const service = await startBenchService();
  try {
    const channels = await openChannels(service);
    await runLoad(service.url, notifications(channels, WARM_UP), CONCURRENCY);
    const before = await outcomes(service);
    const load = await runLoad(service.url, notifications(channels, NOTIFICATIONS), CONCURRENCY);
    const after = await outcomes(service);
    const acknowledged = load.statuses['200'] ?? 0;
    const webhookRps = acknowledged / load.seconds;
    const counted = (outcome: string) => (after.get(outcome) ?? 0) - (before.get(outcome) ?? 0);
    return {
      title: `Webhook: ${NOTIFICATIONS} valid notifications over ${CALENDARS} channels, ${CONCURRENCY} clients (service in process)`,
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
        { label: 'answers other than 200', value: String(NOTIFICATIONS - acknowledged), goal: '0' },
        { label: 'labelled accepted', value: String(counted('accepted')) },
        { label: 'labelled duplicate (none was one)', value: String(counted('duplicate')), goal: '0' },
      ],
      keys: {
        webhook_rps: round(webhookRps),
        webhook_p99_ms: round(load.p99Ms),
        baseline_hello_rps: round(baseline.rps),
      },
    };
  } finally {
    await service.stop();
  }
}

async function measureBareHandler() {
  const app = express();
  app.post('/hello', (_req, res) => void res.status(200).end());
  const port = await freePort();
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  try {
    const hello: LoadRequest[] = Array.from({ length: NOTIFICATIONS }, () => ({
      method: 'POST',
      path: '/hello',
      headers: {},
    }));
    const origin = `http://127.0.0.1:${port}`;
    await runLoad(origin, hello.slice(0, WARM_UP), CONCURRENCY);
    return await runLoad(origin, hello, CONCURRENCY);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Researchers signed in: the service opens one channel each; the tokens come from Google's side. */
async function openChannels(service: BenchService): Promise<ChannelForBench[]> {
  for (let index = 0; index < CALENDARS; index += 1) {
    await signInResearcher(service, `webhook-${index}@lab.example`);
  }
  await waitUntil(
    async () =>
      Number(
        (
          await service
            .knex('calendar_channels')
            .whereNull('resource_id')
            .count<{ count: string }[]>('* as count')
        )[0]?.count,
      ) === 0,
    10_000,
    'channels confirmed',
  );
  const rows = (await service.knex('calendar_channels').where({ state: 'active' }).select('id')) as {
    id: string;
  }[];
  const state = (await (await fetch(`${service.emulatorUrl}/_emulator/state`)).json()) as {
    channels: { id: string; token?: string; resourceId: string }[];
  };
  const byId = new Map(state.channels.map((channel) => [channel.id, channel]));
  return rows.map((row) => {
    const known = byId.get(row.id);
    if (!known?.token) throw new Error(`the emulator does not know channel ${row.id}`);
    return { id: row.id, resourceId: known.resourceId, token: known.token, next: 100 };
  });
}

/** `count` notifications round-robin over the channels, each with the channel's next number. */
function notifications(channels: ChannelForBench[], count: number): LoadRequest[] {
  return Array.from({ length: count }, (_, index) => {
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
  });
}

/** calendar_notifications_total by outcome, read from /metrics. */
async function outcomes(service: BenchService): Promise<Map<string, number>> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^calendar_notifications_total\{([^}]*)\} (\d+)/.exec(line);
    const outcome = match?.[1] ? /outcome="([^"]+)"/.exec(match[1])?.[1] : undefined;
    if (outcome && match?.[2]) counts.set(outcome, (counts.get(outcome) ?? 0) + Number(match[2]));
  }
  return counts;
}

const round = (value: number) => Math.round(value * 10) / 10;

if (require.main === module) runAlone(run);
