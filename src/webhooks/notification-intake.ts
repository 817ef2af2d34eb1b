import type { NotificationOutcome } from './classify-notification';
import type { Notification } from './notification-headers';
import { receiveNotifications, type Received, type ReceiveDeps } from './receive-notification';

/** A batch this large is still one short statement of each kind. */
const MAX_BATCH = 500;

export interface NotificationIntake {
  /** The notification's outcome once its job and message number are written. */
  receive(notification: Notification, now: Date): Promise<NotificationOutcome>;
}

interface Waiting extends Received {
  resolve(outcome: NotificationOutcome): void;
  reject(error: Error): void;
}

/**
 * Group commit for push notifications: a notification arriving while a batch is being written
 * waits for the next batch, which takes everything that arrived meanwhile. A lone
 * notification is written at once (no timer, no added delay); under a burst the per-request
 * database work is shared by the whole batch, so the acknowledgement rate grows with the load
 * instead of queueing for connections. Nothing is acknowledged before it is durable.
 */
export function createNotificationIntake(deps: ReceiveDeps): NotificationIntake {
  let waiting: Waiting[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, MAX_BATCH);
        waiting = waiting.slice(MAX_BATCH);
        await writeBatch(batch);
      }
    } finally {
      writing = false;
    }
  }

  async function writeBatch(batch: readonly Waiting[]): Promise<void> {
    try {
      const outcomes = await receiveNotifications(deps, batch);
      batch.forEach((item, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof Error || outcome === undefined)
          item.reject(outcome ?? new Error('no outcome'));
        else item.resolve(outcome);
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const item of batch) item.reject(failure);
    }
  }

  return {
    receive(notification, now) {
      return new Promise<NotificationOutcome>((resolve, reject) => {
        waiting.push({ notification, now, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
