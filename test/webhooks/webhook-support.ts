import type { Stack } from '../support/stack';

export interface ChannelRow {
  id: string;
  resource_id: string;
  state: string;
  expires_at: Date;
}

/** The researcher's active push channel, as stored. */
export async function activeChannel(stack: Stack, researcherId: string): Promise<ChannelRow> {
  const row = await stack
    .knex('calendar_channels')
    .where({ researcher_id: researcherId, state: 'active' })
    .orderBy('created_at', 'desc')
    .first();
  if (!row) throw new Error('no active channel');
  return row as ChannelRow;
}

/** The channel token only Google knows (the service keeps its hash): from the emulator's state. */
export function tokenOf(stack: Stack, channelId: string): string {
  const token = stack.emulator.state.channels[channelId]?.token;
  if (token === undefined) throw new Error(`the emulator has no token for channel ${channelId}`);
  return token;
}

/** Posts a notification as Google does: empty body, everything in X-Goog-* headers. */
export function notify(stack: Stack, headers: Record<string, string | undefined>): Promise<Response> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  return fetch(`${stack.url}/webhooks/google/calendar`, { method: 'POST', headers: sent });
}

export function googleHeaders(
  stack: Stack,
  channel: ChannelRow,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    'X-Goog-Channel-ID': channel.id,
    'X-Goog-Channel-Token': tokenOf(stack, channel.id),
    'X-Goog-Channel-Expiration': channel.expires_at.toUTCString(),
    'X-Goog-Resource-ID': channel.resource_id,
    'X-Goog-Resource-URI': 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
    'X-Goog-Resource-State': 'exists',
    'X-Goog-Message-Number': '1000',
    ...overrides,
  };
}

/** Sync jobs waiting for this researcher (workers are off in the webhook tests). */
export async function queuedJobs(stack: Stack, queue: string, researcherId: string): Promise<number> {
  const rows = await stack
    .knex('pgboss.job')
    .where({ name: queue, singleton_key: researcherId })
    .whereIn('state', ['created', 'retry', 'active'])
    .count<{ count: string }[]>('* as count');
  return Number(rows[0]?.count);
}
