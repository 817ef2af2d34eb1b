import type { RouteTable } from '../http/route-table';
import { AppError, fieldErrorsFromZod, Invalid } from '../http/problem';
import type { SyncMetrics } from '../sync/sync-metrics';
import { statusFor, type NotificationOutcome } from './classify-notification';
import { NotificationHeadersSchema } from './notification-headers';
import { createNotificationIntake } from './notification-intake';
import type { ReceiveDeps } from './receive-notification';

export interface WebhookDeps extends ReceiveDeps {
  metrics: SyncMetrics;
}

export const CALENDAR_WEBHOOK_PATH = '/webhooks/google/calendar';

/**
 * `POST /webhooks/google/calendar`: Google's push notifications (DESIGN 1.4). Every answer is
 * counted by resource state and outcome, and timed; channel and researcher ids are logged,
 * the channel token never.
 */
export function registerCalendarWebhookRoutes(table: RouteTable, deps: WebhookDeps): void {
  const intake = createNotificationIntake(deps);
  table.add({
    method: 'post',
    path: CALENDAR_WEBHOOK_PATH,
    summary: 'Google Calendar push notification (X-Goog-* headers, empty body)',
    tags: ['google'],
    // Counted and timed here (calendar_notifications_total, the acknowledgement histogram);
    // a request log line per notification would cost more than acknowledging it.
    ahead: true,
    responses: {
      200: { description: 'Acknowledged: a valid change is queued for sync; anything stale is ignored' },
      400: { description: 'The X-Goog-* headers are missing or malformed' },
      403: { description: 'The channel token or resource id does not match' },
      404: { description: 'No such channel' },
    },
    handler: async ({ req, res }) => {
      const started = process.hrtime.bigint();
      const observe = (resourceState: string, outcome: NotificationOutcome | 'invalid' | 'error') => {
        deps.metrics.notifications.inc({ resource_state: resourceState, outcome });
        deps.metrics.ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      };
      const parsed = NotificationHeadersSchema.safeParse(req.headers);
      if (!parsed.success) {
        observe('invalid', 'invalid');
        deps.logger.warn(
          { errors: parsed.error.issues.length },
          'calendar notification with invalid headers',
        );
        throw new Invalid('The X-Goog-* headers are not valid.', fieldErrorsFromZod(parsed.error, 'headers'));
      }
      const notification = parsed.data;
      let outcome: NotificationOutcome;
      try {
        outcome = await intake.receive(notification, new Date());
      } catch (error) {
        // The change could not be recorded (database down): the 5xx makes Google retry it.
        observe(notification.resourceState, 'error');
        throw error;
      }
      observe(notification.resourceState, outcome);
      const context = {
        channelId: notification.channelId,
        resourceState: notification.resourceState,
        messageNumber: notification.messageNumber,
        outcome,
      };
      const status = statusFor(outcome);
      if (status === 200) {
        deps.logger.debug(context, 'calendar notification');
        res.status(200).end();
        return;
      }
      deps.logger.warn(context, 'calendar notification refused');
      throw status === 404
        ? new AppError(404, 'Not Found', 'No such notification channel.')
        : new AppError(403, 'Forbidden', 'The channel token does not match.');
    },
  });
}
