import type { Server } from 'node:http';
import type { Knex } from 'knex';
import path from 'node:path';
import { buildApp } from './app';
import { webhookAddressWarning } from './channels/webhook-address-warning';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { createKnex, createMigrationKnex } from './db/knex';
import { migrateToLatest } from './db/migrations';
import { createGoogleEmulator } from './emulator';
import { createFeatures, EMULATOR_GOOGLE_CLIENT, googleCallbackUrl, startWorkers } from './features';
import { googleEndpoints, type GoogleEndpoints } from './google';
import { createMetrics } from './http/metrics';
import { createJobQueue } from './jobs/queue';
import type { Logger } from './logger';

export interface RunningService {
  url: string;
  databaseUrl: string;
  /** The Google emulator's URL (in process or GOOGLE_EMULATOR_URL), when no Google client is configured. */
  emulatorUrl: string | undefined;
  knex: Knex;
  stop(): Promise<void>;
}

/**
 * The composition root: database, migrations, HTTP server. Each part started is stopped
 * again, in reverse order, by `stop()` — and by a failure half-way through start-up.
 */
export async function startService(config: Readonly<Config>, logger: Logger): Promise<RunningService> {
  const stack: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stack.length > 0) {
      const step = stack.pop();
      try {
        await step?.();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  };
  try {
    const database: Database = await openDatabase(config.databaseUrl, config.dataDir, (line) =>
      logger.debug({ component: 'postgres' }, line),
    );
    stack.push(() => database.stop());
    const knex = createKnex(database.url, 10, logger, config.databaseTimeouts);
    stack.push(() => knex.destroy());
    const migrator = createMigrationKnex(database.url, logger, config.databaseTimeouts);
    const applied = await migrateToLatest(migrator).finally(() => migrator.destroy());
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

    const webhookWarning = webhookAddressWarning(config);
    if (webhookWarning) logger.warn(webhookWarning);
    const google = await googleFor(config, logger, stack);
    const queue = createJobQueue({ databaseUrl: database.url, logger, timeouts: config.databaseTimeouts });
    const features = createFeatures({ config, knex, logger, queue, ...google });
    await queue.start();
    // Pushed before the queue's stop, so it runs after it: running sends finish first.
    let closeMail = async () => {};
    stack.push(() => closeMail());
    stack.push(() => queue.stop());
    closeMail = await startWorkers(features, database.url);

    const app = buildApp({ config, logger, knex, metrics: createMetrics(), features });
    const server = await listen(app, config.port, config.host);
    stack.push(() => closeServer(server));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
      databaseUrl: database.url,
      emulatorUrl: google.emulatorUrl,
      knex,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Real Google when a client is configured; otherwise the emulator at GOOGLE_EMULATOR_URL
 * when one is given, else one started in this process on EMULATOR_PORT — reached over HTTP
 * like Google either way, so the code path is the same (DESIGN 6).
 */
async function googleFor(
  config: Readonly<Config>,
  logger: Logger,
  stack: (() => Promise<void>)[],
): Promise<{
  endpoints: GoogleEndpoints;
  googleClient: { clientId: string; clientSecret: string };
  emulatorUrl?: string;
}> {
  if (config.google) return { endpoints: googleEndpoints(), googleClient: config.google };
  if (config.emulator.url) {
    return {
      endpoints: googleEndpoints(config.emulator.url),
      googleClient: EMULATOR_GOOGLE_CLIENT,
      emulatorUrl: config.emulator.url,
    };
  }
  const emulator = createGoogleEmulator({
    autoApprove: config.emulator.autoApprove,
    allowHttpPushOnLoopback: config.emulator.allowHttpPushOnLoopback,
    meetDelayMs: config.emulator.meetDelayMs,
    // Registered as a deployer registers it at Google: this client, this exact callback.
    clients: [{ ...EMULATOR_GOOGLE_CLIENT, redirectUris: [googleCallbackUrl(config)] }],
    stateFile: path.join(config.dataDir, 'emulator-state.json'),
    logger: logger.child({ component: 'google-emulator' }),
  });
  const { url } = await emulator.listen(config.emulator.port, '127.0.0.1');
  stack.push(() => emulator.close());
  return {
    endpoints: googleEndpoints(url),
    googleClient: EMULATOR_GOOGLE_CLIENT,
    emulatorUrl: url,
  };
}

function listen(app: ReturnType<typeof buildApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Stops accepting, lets requests in flight finish, then drops idle keep-alive sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
}
