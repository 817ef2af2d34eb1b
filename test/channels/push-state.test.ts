import { webhookAddressWarning } from '../../src/channels/webhook-address-warning';
import { describeWatchFailure, pushStatusOf, type ChannelSummary } from '../../src/channels/push-state';
import { GoogleApiError } from '../../src/google';

const NOW = new Date('2030-01-10T12:00:00Z');
const inHours = (hours: number) => new Date(NOW.getTime() + hours * 3600_000);
const channel = (overrides: Partial<ChannelSummary> = {}): ChannelSummary => ({
  state: 'active',
  resourceId: 'r1',
  expiresAt: inHours(24),
  ...overrides,
});

describe('The start-up warning about push', () => {
  const google = { clientId: 'id', clientSecret: 'secret' };

  test('When real Google is configured and PUBLIC_URL is http, then one line warns that push is refused and calendars are polled', () => {
    const warning = webhookAddressWarning({
      google,
      publicUrl: 'http://scheduler.lan:3000',
      pollIntervalMinutes: 5,
    });
    expect(warning).toMatch(/^PUBLIC_URL http:\/\/scheduler\.lan:3000 is not https/);
    expect(warning).toContain('push.webhookUrlNotHttps');
    expect(warning).toContain('polled every 5 min');
    expect(warning).not.toContain('\n');
  });

  test('When PUBLIC_URL is https, or the emulator stands in for Google, then nothing is said', () => {
    expect(
      webhookAddressWarning({ google, publicUrl: 'https://s.example', pollIntervalMinutes: 5 }),
    ).toBeUndefined();
    expect(
      webhookAddressWarning({
        google: undefined,
        publicUrl: 'http://localhost:3000',
        pollIntervalMinutes: 5,
      }),
    ).toBeUndefined();
  });
});

describe('A calendar’s push state', () => {
  test('When a confirmed channel has not expired, then push is live until its end, whatever was recorded before', () => {
    expect(
      pushStatusOf({
        channels: [channel({ expiresAt: inHours(5) })],
        unavailableReason: 'old refusal',
        now: NOW,
      }),
    ).toEqual({ state: 'live', reason: null, expiresAt: inHours(5) });
  });

  test('When the watch never answered (no resource id), then the channel is not live', () => {
    expect(
      pushStatusOf({ channels: [channel({ resourceId: null })], unavailableReason: null, now: NOW }).state,
    ).toBe('unavailable');
  });

  test('When the last channel ran out, then push is expired, with the renewal’s failure as the reason when there was one', () => {
    const ended = channel({ expiresAt: inHours(-1) });
    expect(pushStatusOf({ channels: [ended], unavailableReason: null, now: NOW })).toMatchObject({
      state: 'expired',
      expiresAt: inHours(-1),
      reason: expect.stringContaining('ended at'),
    });
    expect(pushStatusOf({ channels: [ended], unavailableReason: 'Google refused', now: NOW })).toMatchObject({
      state: 'expired',
      reason: 'Google refused',
    });
  });

  test('When the watch was refused or the channel stopped, then push is unavailable with the reason', () => {
    expect(pushStatusOf({ channels: [], unavailableReason: 'refused', now: NOW })).toEqual({
      state: 'unavailable',
      reason: 'refused',
      expiresAt: null,
    });
    expect(
      pushStatusOf({ channels: [channel({ state: 'stopped' })], unavailableReason: null, now: NOW }),
    ).toMatchObject({ state: 'unavailable', reason: 'No push channel is open for this calendar.' });
  });

  test('When Google refuses an http address, then the reason names the address and Google’s reason', () => {
    const refusal = new GoogleApiError('calendar.events.watch', {
      failure: { kind: 'invalid' },
      status: 400,
      reason: 'push.webhookUrlNotHttps',
      googleMessage: 'WebHook callback must be HTTPS: http://s.lan/webhooks/google/calendar',
    });
    expect(describeWatchFailure(refusal, 'http://s.lan/webhooks/google/calendar')).toBe(
      'Google only notifies https addresses, and http://s.lan/webhooks/google/calendar is not one (push.webhookUrlNotHttps).',
    );
    expect(describeWatchFailure(new Error('socket hang up'), 'https://s.example/w')).toBe(
      'Opening a push channel failed: socket hang up',
    );
  });
});
