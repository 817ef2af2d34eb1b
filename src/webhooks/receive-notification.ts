import type { Knex } from 'knex';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { enqueueCalendarSync, enqueueChannelReplacement } from '../sync/sync-queues';
import { classifyNotification, type NotificationOutcome } from './classify-notification';
import type { Notification } from './notification-headers';
import { findChannelForNotification, recordMessageNumber } from './notification-repository';

export interface ReceiveDeps {
  knex: Knex;
  queue: JobQueue;
  logger: Logger;
}

/**
 * DESIGN 1.4, the webhook's part: know the channel, trust the token, then leave the work to
 * a job — no Google call and nothing slow here, so Google gets its answer in milliseconds.
 * The message number and the job are written in one transaction: a redelivery is recognised
 * only once its job surely exists.
 */
export async function receiveNotification(
  deps: ReceiveDeps,
  notification: Notification,
  now: Date,
): Promise<NotificationOutcome> {
  const channel = await findChannelForNotification(deps.knex, notification.channelId);
  const outcome = classifyNotification(notification, channel, now);
  if (!channel || (outcome !== 'accepted' && outcome !== 'recreate')) return outcome;
  return deps.knex.transaction(async (trx) => {
    if (!(await recordMessageNumber(trx, channel.id, notification.messageNumber))) return 'duplicate';
    const researcherId = channel.researcherId;
    if (outcome === 'recreate') {
      await enqueueChannelReplacement(deps.queue, { researcherId, channelId: channel.id }, { trx });
    } else {
      await enqueueCalendarSync(deps.queue, { researcherId, notifiedAt: now.toISOString() }, { trx });
    }
    return outcome;
  });
}
