import type { Clock } from './clock';
import type { Faults } from './faults';
import type { IdTokenSigner } from './id-token';
import type { MeetResolver } from './meet-resolver';
import type { EmulatorLogger } from './logger';
import type { RegisteredClient } from './oauth-clients';
import type { PushDispatcher } from './push';
import type { EmulatorState } from './state';

/** What every route of one emulator instance shares; nothing is global, so many can run at once. */
export interface EmulatorContext {
  state: EmulatorState;
  clock: Clock;
  faults: Faults;
  push: PushDispatcher;
  meet: MeetResolver;
  signer: IdTokenSigner;
  logger: EmulatorLogger;
  autoApprove: boolean;
  /** The OAuth clients Google would know (configuration, not state: a reset keeps them). */
  clients: RegisteredClient[];
  accessTokenTtlSeconds: number;
  /** Refresh tokens older than this are `invalid_grant` (unset: they do not age). */
  refreshTokenMaxAgeSeconds?: number;
  /**
   * What the next auto-approved consent of a user grants beyond sign-in (by email), set by
   * `POST /_emulator/users/:email/grant`; used once. Absent: every requested scope.
   */
  nextConsent: Map<string, string[]>;
  /** Empties the state (users, events, tokens, channels), faults and clock offset. */
  reset(): void;
}
