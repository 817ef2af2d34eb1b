import { z } from 'zod';
import type { Clock } from './clock';
import { ApiError, invalid, required } from './errors';
import type { Faults } from './faults';
import { stableId } from './ids';
import type { EmulatorLogger } from './logger';
import type { CalendarRecord, ChannelRecord, EmulatorState, PushDeliveryRecord } from './state';

/**
 * Push notifications as Google sends them: `events.watch` opens a channel, a `sync` message
 * follows at once, then an `exists` message after every change to the calendar. Messages
 * go out after the API call has answered, one channel's messages in order, retried with
 * exponential backoff while the receiver answers 500/502/503/504 or does not answer.
 * Stopped and expired channels stay silent.
 */

export interface PushRetryOptions {
  /** Attempts per message, the first included (5). */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled each time (1000 ms). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long the receiver may take to answer one attempt (10 s). */
  timeoutMs?: number;
}

export interface ChannelLifetime {
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

export const watchBodySchema = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  address: z.string().optional(),
  token: z.string().optional(),
  expiration: z.union([z.string(), z.number()]).optional(),
  params: z
    .object({ ttl: z.union([z.string(), z.number()]).optional() })
    .loose()
    .optional(),
});

export type WatchBody = z.infer<typeof watchBodySchema>;

export interface PushDispatcher {
  watch(calendar: CalendarRecord, body: WatchBody, resourceUri: string): ChannelRecord;
  stop(body: { id?: string | undefined; resourceId?: string | undefined }): void;
  /** Google ends a channel on its own (it may, at any time): silent from now on, no message. */
  stopByGoogle(channelId: string): ChannelRecord | undefined;
  notifyChange(calendar: string): void;
  /** Resolves when every message queued so far is delivered or given up (for tests). */
  idle(): Promise<void>;
  /** Forgets queued messages and pending retries (reset). */
  cancelPending(): void;
  close(): Promise<void>;
}

export interface PushDeps {
  state: EmulatorState;
  clock: Clock;
  faults: Faults;
  logger: EmulatorLogger;
  retry: PushRetryOptions;
  lifetime: ChannelLifetime;
  fetch: typeof fetch;
  /**
   * Plain http on 127.0.0.1, localhost and [::1] is accepted too (development only): Google
   * itself refuses every address that is not https.
   */
  allowHttpOnLoopback: boolean;
}

const RETRYABLE = new Set([500, 502, 503, 504]);
const DELIVERY_LOG_LIMIT = 1000;

export function createPushDispatcher(deps: PushDeps): PushDispatcher {
  const maxAttempts = deps.retry.maxAttempts ?? 5;
  const initialDelayMs = deps.retry.initialDelayMs ?? 1000;
  const maxDelayMs = deps.retry.maxDelayMs ?? 60_000;
  const timeoutMs = deps.retry.timeoutMs ?? 10_000;
  const queues = new Map<string, Promise<void>>();
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let abort = new AbortController();
  let generation = 0;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      waits.add(entry);
    });

  const log = (record: Omit<PushDeliveryRecord, 'at'>) => {
    deps.state.pushDeliveries.push({ ...record, at: deps.clock.now().toISOString() });
    if (deps.state.pushDeliveries.length > DELIVERY_LOG_LIMIT) deps.state.pushDeliveries.shift();
    deps.logger.debug?.({ ...record }, 'emulator push delivery');
  };

  const live = (channelId: string): ChannelRecord | undefined => {
    const channel = deps.state.channels[channelId];
    if (!channel || channel.stoppedAt || channel.expiration <= deps.clock.nowMs()) return undefined;
    return channel;
  };

  async function deliver(channelId: string, number: number, resourceState: 'sync' | 'exists', gen: number) {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (closed || gen !== generation) return;
      const channel = live(channelId);
      if (!channel) return;
      const base = { channelId, messageNumber: number, resourceState, attempt };
      if (attempt === 1 && deps.faults.shouldDropPush()) return log({ ...base, outcome: 'dropped' });
      let status: number | undefined;
      let error: string | undefined;
      try {
        const response = await deps.fetch(channel.address, {
          method: 'POST',
          headers: headersFor(channel, number, resourceState),
          body: '',
          redirect: 'manual',
          signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
      if (closed || gen !== generation) return;
      if (status !== undefined && ((status >= 200 && status < 300) || status === 102)) {
        return log({ ...base, outcome: 'delivered', status });
      }
      const detail = {
        ...(status !== undefined ? { status } : {}),
        ...(error !== undefined ? { error } : {}),
      };
      if ((status !== undefined && !RETRYABLE.has(status)) || attempt === maxAttempts) {
        return log({ ...base, outcome: 'failed', ...detail });
      }
      log({ ...base, outcome: 'retrying', ...detail });
      await sleep(Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs));
    }
  }

  function enqueue(channel: ChannelRecord, resourceState: 'sync' | 'exists') {
    channel.lastMessageNumber += 1;
    const number = channel.lastMessageNumber;
    const gen = generation;
    // A macrotask first: the message never leaves within the API call that caused it.
    const previous = queues.get(channel.id) ?? new Promise<void>((resolve) => setImmediate(resolve));
    const next = previous
      .then(() => deliver(channel.id, number, resourceState, gen))
      .catch((failure: unknown) => deps.logger.error?.({ err: failure }, 'emulator push failed'));
    queues.set(channel.id, next);
    void next.then(() => {
      if (queues.get(channel.id) === next) queues.delete(channel.id);
    });
  }

  return {
    watch(calendar, body, resourceUri) {
      const nowMs = deps.clock.nowMs();
      if (!body.id) throw required('Required channel id.');
      if (body.id.length > 64) throw invalid('Channel id is too long.');
      if (body.type !== 'web_hook' && body.type !== 'webhook')
        throw invalid(`Invalid channel type: ${body.type ?? ''}`);
      if (!body.address) throw required('Required address.');
      checkAddress(body.address, deps.allowHttpOnLoopback);
      if (body.token !== undefined && body.token.length > 256) throw invalid('Channel token is too long.');
      if (live(body.id)) throw new ApiError(400, 'channelIdNotUnique', `Channel id ${body.id} not unique`);
      const channel: ChannelRecord = {
        id: body.id,
        resourceId: stableId(`events:${calendar.owner}`),
        resourceUri,
        calendar: calendar.owner,
        address: body.address,
        ...(body.token !== undefined ? { token: body.token } : {}),
        expiration: expirationFor(body, nowMs, deps.lifetime),
        createdAt: new Date(nowMs).toISOString(),
        lastMessageNumber: 0,
      };
      deps.state.channels[channel.id] = channel;
      enqueue(channel, 'sync');
      return channel;
    },

    stop(body) {
      if (!body.id) throw required('Required channel id.');
      if (!body.resourceId) throw required('Required resourceId.');
      const channel = deps.state.channels[body.id];
      if (!channel || channel.resourceId !== body.resourceId || channel.stoppedAt) {
        throw new ApiError(404, 'notFound', `Channel '${body.id}' not found`);
      }
      channel.stoppedAt = deps.clock.now().toISOString();
    },

    stopByGoogle(channelId) {
      const channel = live(channelId);
      if (!channel) return undefined;
      channel.stoppedAt = deps.clock.now().toISOString();
      channel.stoppedBy = 'google';
      return channel;
    },

    notifyChange(calendar) {
      for (const channel of Object.values(deps.state.channels)) {
        if (channel.calendar === calendar && live(channel.id)) enqueue(channel, 'exists');
      }
    },

    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },

    cancelPending() {
      generation += 1;
      abort.abort();
      abort = new AbortController();
      for (const wait of waits) {
        clearTimeout(wait.timer);
        wait.resolve();
      }
      waits.clear();
    },

    async close() {
      closed = true;
      this.cancelPending();
      await Promise.allSettled([...queues.values()]);
    },
  };
}

/**
 * Google wants HTTPS with a valid certificate (400 `push.webhookUrlNotHttps` otherwise); the
 * emulator takes plain http on loopback only when told to.
 */
function checkAddress(address: string, allowHttpOnLoopback: boolean): void {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid(`Invalid address: ${address}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback && allowHttpOnLoopback)) return;
  throw new ApiError(400, 'push.webhookUrlNotHttps', `WebHook callback must be HTTPS: ${address}`);
}

function expirationFor(body: WatchBody, nowMs: number, lifetime: ChannelLifetime): number {
  const latest = nowMs + lifetime.maxTtlSeconds * 1000;
  const ttl = body.params?.ttl;
  let wanted = nowMs + lifetime.defaultTtlSeconds * 1000;
  if (ttl !== undefined) {
    const seconds = Number(ttl);
    if (!Number.isFinite(seconds) || seconds <= 0) throw invalid(`Invalid ttl value: ${ttl}`);
    wanted = nowMs + seconds * 1000;
  } else if (body.expiration !== undefined) {
    const ms = Number(body.expiration);
    if (!Number.isFinite(ms) || ms <= nowMs) throw invalid(`Invalid expiration value: ${body.expiration}`);
    wanted = ms;
  }
  return Math.min(wanted, latest);
}

function headersFor(channel: ChannelRecord, number: number, resourceState: string): Record<string, string> {
  return {
    'User-Agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
    'X-Goog-Channel-ID': channel.id,
    ...(channel.token !== undefined ? { 'X-Goog-Channel-Token': channel.token } : {}),
    'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
    'X-Goog-Resource-ID': channel.resourceId,
    'X-Goog-Resource-URI': channel.resourceUri,
    'X-Goog-Resource-State': resourceState,
    'X-Goog-Message-Number': String(number),
  };
}
