import type { Logger } from '../logger';

/** Google refused this service's OAuth client: what /readyz says until it is accepted again. */
export interface GoogleClientProblem {
  /** Google's OAuth error: `invalid_client`, `unauthorized_client` or `deleted_client`. */
  reason: string;
  /** The Google operation that met it (e.g. `events.list`, `oauth.exchangeCode`). */
  operation: string;
  since: Date;
}

/**
 * Whether Google accepts the service's own OAuth client (id and secret). A rejection is the
 * deployer's misconfiguration — a rotated secret, a deleted client — and concerns every
 * researcher at once; it lasts until Google issues a token to the client again.
 */
export interface GoogleClientHealth {
  rejected(reason: string, operation: string): void;
  /** Google issued a token (code exchange or refresh): the client is fine. */
  accepted(): void;
  problem(): GoogleClientProblem | undefined;
  /** Called on every rejection (the metric counts them). */
  onRejected(listener: (reason: string) => void): void;
}

export function createGoogleClientHealth(
  logger: Logger,
  now: () => Date = () => new Date(),
): GoogleClientHealth {
  let current: GoogleClientProblem | undefined;
  const listeners: ((reason: string) => void)[] = [];
  return {
    rejected(reason, operation) {
      // One error log per outage (and per change of reason), not one per researcher and call.
      if (current?.reason !== reason) {
        logger.error(
          { reason, operation },
          'Google rejects this service’s OAuth client: check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET',
        );
        current = { reason, operation, since: now() };
      }
      for (const listener of listeners) listener(reason);
    },
    accepted() {
      if (!current) return;
      logger.info({ reason: current.reason }, 'Google accepts this service’s OAuth client again');
      current = undefined;
    },
    problem: () => current,
    onRejected(listener) {
      listeners.push(listener);
    },
  };
}

/** The sentence /readyz shows. */
export function describeClientProblem(problem: GoogleClientProblem): string {
  return (
    `Google rejects this service's OAuth client (${problem.reason}, since ${problem.since.toISOString()}): ` +
    'check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET against the client in the Google Cloud console.'
  );
}
