import fc from 'fast-check';
import { sha256Hex } from '../../src/security/secrets';
import { classifyNotification, statusFor, type KnownChannel } from '../../src/webhooks/classify-notification';
import type { Notification } from '../../src/webhooks/notification-headers';

const NOW = new Date('2026-03-02T10:00:00Z');
const TOKEN = 'the-channel-token-google-echoes';

const channel = (overrides: Partial<KnownChannel> = {}): KnownChannel => ({
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  researcherId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  resourceId: 'resource-1',
  tokenHash: sha256Hex(TOKEN),
  expiresAt: new Date(NOW.getTime() + 3600_000),
  state: 'active',
  connectionState: 'connected',
  ...overrides,
});

const notification = (overrides: Partial<Notification> = {}): Notification => ({
  channelId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  token: TOKEN,
  resourceId: 'resource-1',
  resourceState: 'exists',
  messageNumber: 11,
  ...overrides,
});

const anyChannel = fc.record({
  state: fc.constantFrom<KnownChannel['state']>('active', 'stopped', 'expired'),
  connectionState: fc.constantFrom<KnownChannel['connectionState']>('connected', 'revoked', null),
  expiresInMs: fc.integer({ min: -3600_000, max: 3600_000 }),
  resourceId: fc.option(fc.constantFrom('resource-1', 'resource-2'), { nil: null }),
  seenBefore: fc.boolean(),
});
const anyNotification = fc.record({
  token: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  resourceId: fc.constantFrom('resource-1', 'resource-2'),
  resourceState: fc.constantFrom<Notification['resourceState']>('sync', 'exists', 'not_exists'),
  messageNumber: fc.nat(1000),
});

describe('Classifying a push notification', () => {
  test('When the channel is active, the token right and the number new, then a change is accepted', () => {
    expect(classifyNotification(notification(), channel(), false, NOW)).toBe('accepted');
  });

  test.each([
    ['no channel of that id', notification(), undefined, 'unknown_channel'],
    [
      'the handshake after watch',
      notification({ resourceState: 'sync', messageNumber: 1 }),
      channel(),
      'sync_ack',
    ],
    ['the watched resource gone', notification({ resourceState: 'not_exists' }), channel(), 'recreate'],
    [
      'gone, on a channel already replaced',
      notification({ resourceState: 'not_exists' }),
      channel({ state: 'stopped' }),
      'inactive',
    ],
    [
      'a change on a replaced channel that still lives',
      notification(),
      channel({ state: 'stopped' }),
      'accepted',
    ],
    ['a channel past its expiry', notification(), channel({ expiresAt: NOW }), 'expired'],
    ['a revoked connection', notification(), channel({ connectionState: 'revoked' }), 'inactive'],
    [
      'the first message before the watch answered',
      notification(),
      channel({ resourceId: null }),
      'accepted',
    ],
  ] as const)('When it is %s, then the outcome is %s', (_, given, known, outcome) => {
    expect(classifyNotification(given, known, false, NOW)).toBe(outcome);
  });

  test('When the same message number was recorded on the channel before, then it is a duplicate', () => {
    expect(classifyNotification(notification({ messageNumber: 10 }), channel(), true, NOW)).toBe('duplicate');
  });

  test('Any token but the channel’s own is forged, whatever else the notification says', () => {
    fc.assert(
      fc.property(anyChannel, anyNotification, (known, given) => {
        fc.pre(given.token !== TOKEN);
        const stored = channel({ ...known, expiresAt: new Date(NOW.getTime() + known.expiresInMs) });
        expect(classifyNotification(notification(given), stored, known.seenBefore, NOW)).toBe('forged');
      }),
    );
  });

  test('On a live channel, a message is a duplicate exactly when its number was recorded before', () => {
    fc.assert(
      fc.property(anyNotification, fc.boolean(), (given, seenBefore) => {
        const live = notification({ ...given, token: TOKEN, resourceId: 'resource-1' });
        const outcome = classifyNotification(live, channel(), seenBefore, NOW);
        expect(outcome === 'duplicate').toBe(seenBefore);
      }),
    );
  });

  test('No notification is ever answered with a 5xx, and only a genuine live change leads to work', () => {
    fc.assert(
      fc.property(fc.option(anyChannel, { nil: undefined }), anyNotification, (known, given) => {
        const stored = known && channel({ ...known, expiresAt: new Date(NOW.getTime() + known.expiresInMs) });
        const outcome = classifyNotification(
          notification({ ...given, token: TOKEN }),
          stored,
          known?.seenBefore ?? false,
          NOW,
        );
        expect([200, 403, 404]).toContain(statusFor(outcome));
        if (outcome === 'accepted' || outcome === 'recreate') {
          expect(stored?.connectionState).toBe('connected');
          expect(stored && stored.expiresAt.getTime() > NOW.getTime()).toBe(true);
          expect(stored?.state).not.toBe('expired');
        }
      }),
    );
  });
});
