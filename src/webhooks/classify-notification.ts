import { constantTimeEqual, sha256Hex } from '../security/secrets';
import type { Notification } from './notification-headers';
import type { ConnectionState } from '../connections/connection-repository';

/** What the webhook knows about the channel a notification names. */
export interface KnownChannel {
  id: string;
  researcherId: string;
  /** Null until the watch call has answered (Google's first `sync` may arrive before). */
  resourceId: string | null;
  tokenHash: string;
  expiresAt: Date;
  state: 'active' | 'stopped' | 'expired';
  connectionState: ConnectionState | null;
}

export type NotificationOutcome =
  /** A change on a calendar we listen to: sync it. */
  | 'accepted'
  /** Google says the watched resource is gone: open a new channel. */
  | 'recreate'
  /** The handshake right after watch: acknowledged, nothing else. */
  | 'sync_ack'
  /** This channel's message number already recorded: a redelivery of the same message. */
  | 'duplicate'
  | 'unknown_channel'
  /** Wrong token or resource id: not from Google, or not for this channel. */
  | 'forged'
  | 'expired'
  /** The researcher's connection is revoked, or a stopped channel reports `not_exists`. */
  | 'inactive';

/**
 * Decides what a notification means, before anything is written. Pure: the channel row,
 * whether this message number was recorded on it before, and `now` are given. Only the same
 * number is a redelivery: Google's numbers increase, but concurrent deliveries arrive in any
 * order, and a lower number arriving after a higher one is still a message of its own. The token is compared in constant time (as SHA-256 digests, which is
 * also how it is stored), so response timing tells a forger nothing.
 *
 * A stopped channel that has not expired is still heard: renewal opens the new channel
 * before stopping the old one, and Google may deliver on the old one for a while after
 * `channels.stop`. Such a late message can only cause a sync, which is always safe.
 */
export function classifyNotification(
  notification: Notification,
  channel: KnownChannel | undefined,
  seenBefore: boolean,
  now: Date,
): NotificationOutcome {
  if (!channel) return 'unknown_channel';
  const tokenMatches = constantTimeEqual(sha256Hex(notification.token ?? ''), channel.tokenHash);
  const resourceMatches = channel.resourceId === null || channel.resourceId === notification.resourceId;
  if (!tokenMatches || !resourceMatches) return 'forged';
  if (channel.state === 'expired' || channel.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (channel.connectionState !== 'connected') return 'inactive';
  if (seenBefore) return 'duplicate';
  switch (notification.resourceState) {
    case 'sync':
      return 'sync_ack';
    case 'not_exists':
      return channel.state === 'active' ? 'recreate' : 'inactive';
    case 'exists':
      return 'accepted';
  }
}

/**
 * 2xx for everything Google sent in good faith, 4xx for what no Google would send; no outcome
 * is a 5xx. Only a failure to record a valid change answers 5xx, so that Google retries it.
 */
export function statusFor(outcome: NotificationOutcome): 200 | 403 | 404 {
  if (outcome === 'unknown_channel') return 404;
  if (outcome === 'forged') return 403;
  return 200;
}
