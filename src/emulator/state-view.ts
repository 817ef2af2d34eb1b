import { apiEvent } from './events-query';
import type { Faults } from './faults';
import type { EmulatorState } from './state';

/** `GET /_emulator/state`: what tests and demos look at. Tokens themselves are left out. */
export function snapshot(state: EmulatorState, nowMs: number, faults: ReturnType<Faults['describe']>) {
  return {
    now: new Date(nowMs).toISOString(),
    users: Object.values(state.users),
    events: Object.fromEntries(
      Object.values(state.calendars).map((calendar) => [
        calendar.owner,
        Object.values(calendar.events)
          .sort((a, b) => a.createdSeq - b.createdSeq)
          .map((stored) => apiEvent(stored.resource)),
      ]),
    ),
    channels: Object.values(state.channels).map((channel) => ({
      ...channel,
      expiration: String(channel.expiration),
      active: !channel.stoppedAt && channel.expiration > nowMs,
    })),
    invitations: state.invitations,
    pushDeliveries: state.pushDeliveries,
    grants: Object.values(state.grants).map((grant) => ({
      clientId: grant.clientId,
      email: grant.email,
      scopes: grant.scopes,
      offline: grant.refreshToken !== undefined,
      createdAt: grant.createdAt,
      ...(grant.revokedAt ? { revokedAt: grant.revokedAt } : {}),
      ...(grant.refreshTokenExpiredAt ? { refreshTokenExpiredAt: grant.refreshTokenExpiredAt } : {}),
    })),
    faults,
  };
}
