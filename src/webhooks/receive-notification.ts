import type { Knex } from 'knex';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import type { SyncPacing } from '../sync/sync-pacing';
import { enqueueCalendarSyncs, enqueueChannelReplacements } from '../sync/sync-queues';
import { classifyNotification, type NotificationOutcome } from './classify-notification';
import type { Notification } from './notification-headers';
import {
  findKnownMessages,
  messageKey,
  recordMessages,
  type ChannelMessage,
} from './notification-repository';

export interface ReceiveDeps {
  knex: Knex;
  queue: JobQueue;
  logger: Logger;
  /** When the syncs may start (this instance's sync worker reports to it); at once without. */
  syncPacing?: SyncPacing;
}

/** One notification waiting for its answer. */
export interface Received {
  notification: Notification;
  now: Date;
}

/**
 * DESIGN 1.4, the webhook's part, for a batch of notifications: know the channels, trust the
 * tokens, then leave the work to jobs — no Google call and nothing slow here, so Google gets
 * its answer in milliseconds. Per batch: one read (channels, connections, messages already
 * recorded), one insert of the sync jobs (coalesced: one per calendar, none where one waits
 * already), one insert of the message numbers. No row is updated, so concurrent
 * notifications of one channel never wait on each other's locks.
 *
 * The jobs are written before the message numbers: a message counts as received only once
 * its job surely exists, so a redelivery after a failure here is acted on again. Every job is
 * sent after its notification arrived, so the sync it causes lists after the change.
 *
 * Answers one outcome per notification, in order; a notification whose job or record could
 * not be written gets the error instead (the caller answers 5xx and Google retries).
 */
export async function receiveNotifications(
  deps: ReceiveDeps,
  batch: readonly Received[],
): Promise<(NotificationOutcome | Error)[]> {
  const messages: ChannelMessage[] = batch.map(({ notification }) => ({
    channelId: notification.channelId,
    messageNumber: notification.messageNumber,
  }));
  const known = await findKnownMessages(deps.knex, messages);
  const outcomes: (NotificationOutcome | Error)[] = [];
  const takenInBatch = new Set<string>();
  const toRecord: { index: number; message: ChannelMessage; researcherId: string }[] = [];
  batch.forEach(({ notification, now }, index) => {
    const message = messages[index] as ChannelMessage;
    const key = messageKey(message);
    const found = known.get(key);
    const seenBefore = (found?.seenBefore ?? false) || takenInBatch.has(key);
    const outcome = classifyNotification(notification, found?.channel, seenBefore, now);
    outcomes.push(outcome);
    if (found && (outcome === 'accepted' || outcome === 'recreate')) {
      takenInBatch.add(key);
      toRecord.push({ index, message, researcherId: found.channel.researcherId });
    }
  });
  if (toRecord.length === 0) return outcomes;

  const syncs = toRecord.filter(({ index }) => outcomes[index] === 'accepted');
  const replacements = toRecord.filter(({ index }) => outcomes[index] === 'recreate');
  const [syncSent, replacementSent] = await Promise.all([
    settle(
      enqueueCalendarSyncs(
        deps.queue,
        syncs.map(({ index, researcherId }) => ({
          researcherId,
          notifiedAt: (batch[index] as Received).now.toISOString(),
        })),
        deps.syncPacing,
      ),
    ),
    settle(
      enqueueChannelReplacements(
        deps.queue,
        replacements.map(({ message, researcherId }) => ({ researcherId, channelId: message.channelId })),
      ),
    ),
  ]);
  const queued = [
    ...(syncSent ? fail(outcomes, syncs, syncSent) : syncs),
    ...(replacementSent ? fail(outcomes, replacements, replacementSent) : replacements),
  ];
  if (queued.length === 0) return outcomes;
  try {
    const recorded = await recordMessages(
      deps.knex,
      queued.map(({ message }) => message),
    );
    // Not recorded by us: another instance took the same message a moment ago.
    for (const { index, message } of queued)
      if (!recorded.has(messageKey(message))) outcomes[index] = 'duplicate';
  } catch (error) {
    fail(outcomes, queued, asError(error));
  }
  return outcomes;
}

/** Replaces the outcomes of `failed` by the error; answers nothing left to go on with. */
function fail(
  outcomes: (NotificationOutcome | Error)[],
  failed: readonly { index: number }[],
  error: Error,
): [] {
  for (const { index } of failed) outcomes[index] = error;
  return [];
}

async function settle(work: Promise<void>): Promise<Error | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return asError(error);
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
