import type { PushStatus } from '../channels/push-state';
import { html, type SafeHtml } from '../web/html';

/**
 * How changes in Google Calendar reach the studies, where the connection state shows (home
 * page, settings): pushed within seconds, or polled every few minutes, and why.
 */
export function pushStatusView(status: PushStatus, pollIntervalMinutes: number): SafeHtml {
  if (status.state === 'live') {
    return html`<p class="push-state" data-push-state="live">
      Push notifications are active: changes in Google Calendar show here within seconds.
    </p>`;
  }
  const label =
    status.state === 'expired' ? 'Push notifications expired' : 'Push notifications are not active';
  return html`<p class="push-state" data-push-state="${status.state}">
    <strong>${label}</strong>: ${status.reason ?? ''} Changes made in Google Calendar reach your studies
    within ${pollIntervalMinutes} minutes instead (the scheduler asks Google for them), and a new channel is
    tried regularly.
  </p>`;
}
