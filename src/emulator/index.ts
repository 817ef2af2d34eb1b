/**
 * The Google emulator: OAuth 2.0, Calendar v3 (events, watch, channels, freeBusy) and push
 * notifications at Google's own paths, plus an admin API and page under `/_emulator`.
 * Its own module: nothing here imports from the rest of the service.
 */
export { createGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions } from './emulator';
export type { EmulatorLogger } from './logger';
export { DEFAULT_EMULATOR_CLIENT, type RegisteredClient } from './oauth-clients';
export type { PushRetryOptions } from './push';
export type { StateWriter } from './state-persistence';
export type {
  EmulatorState,
  EventResource,
  ChannelRecord,
  InvitationRecord,
  PushDeliveryRecord,
  UserRecord,
} from './state';
