import { startStack, type Stack } from '../support/stack';

describe('Webhook metrics on /metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
  });
  afterAll(() => stack.close());

  test('When a notification arrives, then the service /metrics counts it by state and outcome, with the ack latency', async () => {
    await fetch(`${stack.url}/webhooks/google/calendar`, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': '7d0b7d5e-1f3a-4c55-9a7e-0c2f5e1b9a11',
        'x-goog-channel-token': 'nope',
        'x-goog-resource-id': 'resource',
        'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/x/events',
        'x-goog-resource-state': 'exists',
        'x-goog-message-number': '2',
      },
    });

    const text = await (await fetch(`${stack.url}/metrics`)).text();

    expect(text).toMatch(/calendar_notifications_total\{resource_state="exists",outcome="[a-z_-]+"\} 1/);
    expect(text).toContain('calendar_notification_ack_seconds_count');
    expect(text).toContain('# TYPE calendar_sync_lag_seconds histogram');
  });
});
