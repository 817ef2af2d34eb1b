import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { adminPage } from './admin-page';
import { adminRoutes } from './admin-routes';
import { calendarRoutes } from './calendar-routes';
import { createClock } from './clock';
import type { EmulatorContext } from './context';
import { ApiError } from './errors';
import { createFaults, seededRandom } from './faults';
import { field, sendApiError } from './http';
import { createIdTokenSigner, generateSigningKey } from './id-token';
import { createMeetResolver } from './meet-resolver';
import { silentLogger, type EmulatorLogger } from './logger';
import { DEFAULT_EMULATOR_CLIENT, type RegisteredClient } from './oauth-clients';
import { oauthRoutes } from './oauth-routes';
import { createPushDispatcher, type PushRetryOptions } from './push';
import { emptyState, replaceState, type EmulatorState } from './state';
import { loadStateFile } from './state-file';
import { createStatePersistence, type StatePersistence, type StateWriter } from './state-persistence';

export interface GoogleEmulatorOptions {
  /** Consent without a click when the authorization request carries a `login_hint`. */
  autoApprove?: boolean;
  /**
   * The OAuth clients registered (DEFAULT_EMULATOR_CLIENT when not given). Any other id,
   * a wrong secret or an unregistered redirect URI is refused as Google refuses it.
   */
  clients?: RegisteredClient[];
  /** Lifetime of access tokens (3600). */
  accessTokenTtlSeconds?: number;
  /**
   * JSON file to load the state from, and to save it to after changes: at most once per
   * `stateFileIntervalMs`, off the request path, and on close (state-persistence.ts).
   */
  stateFile?: string;
  /** Shortest time between two writes of the state file (1000 ms). */
  stateFileIntervalMs?: number;
  /** How a snapshot is written (temporary file + rename); tests count and hold writes with it. */
  stateFileWriter?: StateWriter;
  /** The base clock (the admin API can move the emulator's time relative to it). */
  now?: () => Date;
  logger?: EmulatorLogger;
  pushRetry?: PushRetryOptions;
  /** Channel lifetime: default 7 days, at most 30 days. */
  channelTtl?: { defaultSeconds?: number; maxSeconds?: number };
  /** Random source for fault `rate` (tests make it deterministic). */
  random?: () => number;
  /** Seeds the random source instead (`random` wins): the same faults hit on every run. */
  randomSeed?: number;
  /**
   * Refresh tokens expire this long after consent (`invalid_grant` "Token has been expired or
   * revoked."), as for an app in "Testing" (7 days). Unset: they do not age.
   */
  refreshTokenMaxAgeSeconds?: number;
  /** Probability that an incremental `events.list` finds its sync token invalidated (410). */
  syncTokenInvalidationRate?: number;
  /** How push notifications are sent (Node's fetch). */
  fetch?: typeof fetch;
  /**
   * Accept `http://` push addresses on 127.0.0.1, localhost and [::1] (default false: like
   * Google, only https). `npm start` turns it on so push works without any set-up.
   */
  allowHttpPushOnLoopback?: boolean;
  /**
   * How long a Meet conference stays `pending` before it succeeds (or fails by the fault
   * `conferences.create`); 0 by default — the insert still answers `pending`, as Google may.
   */
  meetDelayMs?: number;
}

export interface GoogleEmulator {
  app: Express;
  /** Port 0 (the default) takes a free port. */
  listen(port?: number, host?: string): Promise<{ url: string }>;
  close(): Promise<void>;
  /** The live state, for tests to look at. */
  readonly state: EmulatorState;
  /** `http://host:port` once listening. */
  readonly baseUrl: string | undefined;
  /** Resolves when every push notification queued so far is delivered or given up. */
  pushSettled(): Promise<void>;
  /** A secret rotated in the Cloud console: the old one is refused from now on. */
  setClientSecret(clientId: string, clientSecret: string): void;
}

const DAY_SECONDS = 24 * 3600;

export function createGoogleEmulator(options: GoogleEmulatorOptions = {}): GoogleEmulator {
  const logger = options.logger ?? silentLogger;
  const clock = createClock(options.now);
  const random =
    options.random ?? (options.randomSeed !== undefined ? seededRandom(options.randomSeed) : Math.random);
  const faults = createFaults(random, options.syncTokenInvalidationRate ?? 0);
  const loaded = options.stateFile ? loadStateFile(options.stateFile) : undefined;
  const state = loaded ?? emptyState(generateSigningKey());
  const signer = createIdTokenSigner(state.signingKey);
  const push = createPushDispatcher({
    state,
    clock,
    faults,
    logger,
    retry: options.pushRetry ?? {},
    lifetime: {
      defaultTtlSeconds: options.channelTtl?.defaultSeconds ?? 7 * DAY_SECONDS,
      maxTtlSeconds: options.channelTtl?.maxSeconds ?? 30 * DAY_SECONDS,
    },
    fetch: options.fetch ?? fetch,
    allowHttpOnLoopback: options.allowHttpPushOnLoopback ?? false,
  });
  const meet = createMeetResolver({
    state,
    clock,
    faults,
    logger,
    delayMs: options.meetDelayMs ?? 0,
    notifyChange: (calendar) => push.notifyChange(calendar),
  });
  // Conferences a saved state left pending are settled as if Google had gone on meanwhile.
  if (loaded) meet.resumePending();
  const persistence: StatePersistence | undefined = options.stateFile
    ? createStatePersistence({
        file: options.stateFile,
        state,
        logger,
        ...(options.stateFileIntervalMs !== undefined ? { intervalMs: options.stateFileIntervalMs } : {}),
        ...(options.stateFileWriter ? { writer: options.stateFileWriter } : {}),
      })
    : undefined;
  // A new state's signing key is written at once: verifiers may cache its certificates.
  if (!loaded) persistence?.markDirty();

  const context: EmulatorContext = {
    state,
    clock,
    faults,
    push,
    meet,
    signer,
    logger,
    autoApprove: options.autoApprove ?? false,
    clients: (options.clients ?? [DEFAULT_EMULATOR_CLIENT]).map((client) => ({ ...client })),
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    ...(options.refreshTokenMaxAgeSeconds !== undefined
      ? { refreshTokenMaxAgeSeconds: options.refreshTokenMaxAgeSeconds }
      : {}),
    nextConsent: new Map(),
    reset() {
      context.nextConsent.clear();
      push.cancelPending();
      meet.cancelPending();
      faults.reset();
      clock.resetOffset();
      // The signing key stays: verifiers may have cached the certificates.
      replaceState(state, emptyState(state.signingKey));
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Every write may change the state; with a state file it is saved once the answer is out.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (persistence && req.method !== 'GET' && req.method !== 'HEAD') {
      res.on('finish', () => persistence.markDirty());
    }
    next();
  });
  app.use(oauthRoutes(context));
  app.use('/calendar/v3', calendarRoutes(context));
  app.get(['/_emulator', '/_emulator/'], (req, res) => {
    res.type('html').send(adminPage(state, clock.nowMs(), field(req.query, 'error')));
  });
  app.use('/_emulator', adminRoutes(context));
  app.use((_req: Request, res: Response) => sendApiError(res, new ApiError(404, 'notFound', 'Not Found')));
  // Bodies that are not JSON (or too large) get Google's 400 `parseError`.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendApiError(res, new ApiError(400, 'parseError', 'Parse Error'));
    }
    logger.error?.({ err: error }, 'emulator request failed');
    sendApiError(res, new ApiError(500, 'backendError', 'Backend Error'));
  });

  let server: http.Server | undefined;
  let baseUrl: string | undefined;

  return {
    app,
    get state() {
      return state;
    },
    get baseUrl() {
      return baseUrl;
    },
    pushSettled: () => push.idle(),
    setClientSecret(clientId, clientSecret) {
      const client = context.clients.find((candidate) => candidate.clientId === clientId);
      if (!client) throw new Error(`no client ${clientId} is registered`);
      client.clientSecret = clientSecret;
    },
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const listening = http.createServer(app);
        listening.once('error', reject);
        listening.listen(port, host, () => {
          server = listening;
          const address = listening.address() as AddressInfo;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          baseUrl = `http://${shownHost}:${address.port}`;
          logger.info({ url: baseUrl }, 'Google emulator listening');
          resolve({ url: baseUrl });
        });
      });
    },
    async close() {
      meet.cancelPending();
      await push.close();
      if (server) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeAllConnections();
        });
      }
      await persistence?.close();
    },
  };
}
