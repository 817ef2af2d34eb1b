import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ResearcherCalendar } from '../connections/google-access';
import type { Logger } from '../logger';
import { randomToken, sha256Hex } from '../security/secrets';
import {
  confirmChannel,
  deleteChannel,
  insertChannel,
  listActiveChannels,
  markChannelStopped,
  type CalendarChannel,
} from './channel-repository';
import { describeWatchFailure } from './push-state';
import { recordChannelOpened, recordPushUnavailable } from './push-state-repository';

/** Google caps event channels at about a week; asking for that keeps renewals rare. */
export const CHANNEL_TTL_SECONDS = 7 * 24 * 3600;

/** After a refused or failed watch, the polling tick tries a new channel this much later. */
export const WATCH_RETRY_MS = 3600_000;

export interface ChannelDeps {
  knex: Knex;
  logger: Logger;
  /** Where Google posts notifications: PUBLIC_URL + /webhooks/google/calendar. */
  webhookUrl: string;
  ttlSeconds?: number;
}

/**
 * Opens a push channel on the researcher's calendar. The row is written before the watch
 * call because Google sends its first (`sync`) message right away: the webhook must already
 * know the channel. A failed watch removes the row again and records why push is unavailable
 * (the calendar is then polled, and a watch is tried again after WATCH_RETRY_MS).
 */
export async function startChannel(
  deps: ChannelDeps,
  calendar: ResearcherCalendar,
): Promise<CalendarChannel> {
  const id = randomUUID();
  const token = randomToken(32);
  const ttlSeconds = deps.ttlSeconds ?? CHANNEL_TTL_SECONDS;
  const requestedExpiry = new Date(Date.now() + ttlSeconds * 1000);
  await insertChannel(deps.knex, {
    id,
    researcherId: calendar.researcherId,
    calendarId: calendar.calendarId,
    tokenHash: sha256Hex(token),
    address: deps.webhookUrl,
    expiresAt: requestedExpiry,
  });
  try {
    const { resourceId, expiration } = await calendar.client.watchEvents(calendar.calendarId, {
      id,
      token,
      address: deps.webhookUrl,
      ttlSeconds,
    });
    await confirmChannel(deps.knex, id, resourceId, expiration);
    await recordChannelOpened(deps.knex, calendar.researcherId);
    deps.logger.info(
      { researcherId: calendar.researcherId, channelId: id, expiresAt: expiration },
      'push channel opened',
    );
    return {
      id,
      researcherId: calendar.researcherId,
      calendarId: calendar.calendarId,
      resourceId,
      tokenHash: sha256Hex(token),
      expiresAt: expiration,
      state: 'active',
    };
  } catch (error) {
    await deleteChannel(deps.knex, id);
    const reason = describeWatchFailure(error, deps.webhookUrl);
    await recordPushUnavailable(
      deps.knex,
      calendar.researcherId,
      reason,
      new Date(Date.now() + WATCH_RETRY_MS),
    );
    deps.logger.warn({ err: error, researcherId: calendar.researcherId, reason }, 'push channel not opened');
    throw error;
  }
}

/** Stops a channel at Google (one Google no longer knows counts as stopped) and marks it. */
export async function stopChannel(
  deps: Pick<ChannelDeps, 'knex' | 'logger'>,
  calendar: ResearcherCalendar | undefined,
  channel: CalendarChannel,
): Promise<void> {
  if (calendar && channel.resourceId) {
    try {
      await calendar.client.stopChannel(channel.id, channel.resourceId);
    } catch (error) {
      // The channel dies at its expiry anyway, and notifications on a stopped channel are
      // ignored: failing to tell Google must not block a disconnect.
      deps.logger.warn({ err: error, channelId: channel.id }, 'could not stop push channel at Google');
    }
  }
  await markChannelStopped(deps.knex, channel.id);
}

/** Stops every active channel of the researcher except `keep`. */
export async function stopOtherChannels(
  deps: Pick<ChannelDeps, 'knex' | 'logger'>,
  calendar: ResearcherCalendar | undefined,
  researcherId: string,
  keep?: string,
): Promise<number> {
  const channels = (await listActiveChannels(deps.knex, researcherId)).filter(
    (channel) => channel.id !== keep,
  );
  for (const channel of channels) await stopChannel(deps, calendar, channel);
  return channels.length;
}
