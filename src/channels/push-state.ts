import { GoogleApiError } from '../google';
import type { ChannelState } from './channel-repository';

/**
 * Whether Google tells the service about changes to a calendar: `live` (a channel that Google
 * confirmed and that has not expired), `expired` (the last channel ran out and no new one
 * could be opened yet) or `unavailable` (Google refused the watch, stopped the channel, or none
 * was ever opened). Calendars that are not `live` are polled.
 */
export type PushState = 'live' | 'unavailable' | 'expired';

export const PUSH_STATES: readonly PushState[] = ['live', 'unavailable', 'expired'];

export interface PushStatus {
  state: PushState;
  /** Why push is not live, in words for the researcher; null when live. */
  reason: string | null;
  /** When the live channel ends (it is renewed before), or when the last one ended. */
  expiresAt: Date | null;
}

export interface ChannelSummary {
  state: ChannelState;
  resourceId: string | null;
  expiresAt: Date;
}

/** `channels`: the calendar's channels, newest first; `unavailableReason`: as recorded. */
export function pushStatusOf(input: {
  channels: readonly ChannelSummary[];
  unavailableReason: string | null;
  now: Date;
}): PushStatus {
  const live = input.channels.filter(
    (channel) => channel.state === 'active' && channel.resourceId !== null && channel.expiresAt > input.now,
  );
  if (live.length > 0) {
    const expiresAt = new Date(Math.max(...live.map((channel) => channel.expiresAt.getTime())));
    return { state: 'live', reason: null, expiresAt };
  }
  const latest = input.channels[0];
  if (latest && latest.state !== 'stopped' && latest.resourceId !== null) {
    return {
      state: 'expired',
      reason:
        input.unavailableReason ??
        `The push channel ended at ${latest.expiresAt.toISOString()} and no new one is open yet.`,
      expiresAt: latest.expiresAt,
    };
  }
  if (input.unavailableReason) {
    return { state: 'unavailable', reason: input.unavailableReason, expiresAt: null };
  }
  return { state: 'unavailable', reason: 'No push channel is open for this calendar.', expiresAt: null };
}

/** Words for the researcher (and the log) on why Google would not open a channel. */
export function describeWatchFailure(error: unknown, webhookUrl: string): string {
  if (error instanceof GoogleApiError && (error.status === 400 || error.status === 403)) {
    if (error.reason === 'push.webhookUrlNotHttps') {
      return `Google only notifies https addresses, and ${webhookUrl} is not one (push.webhookUrlNotHttps).`;
    }
    const detail = [error.status, error.reason].filter((part) => part !== undefined).join(' ');
    return `Google refused to notify ${webhookUrl} (${detail}).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Opening a push channel failed: ${message.slice(0, 300)}`;
}

/** What the service says when Google stopped notifying on a channel it still believed live. */
export const SILENT_CHANNEL_REASON =
  'Google stopped sending notifications for this calendar (a change arrived without one).';
