import type { Server } from 'node:http';
import type { Knex } from 'knex';
import { buildApp } from './app';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { createKnex } from './db/knex';
import { migrateToLatest } from './db/migrations';
import { createMetrics } from './http/metrics';
import type { Logger } from './logger';

export interface RunningService {
  url: string;
  databaseUrl: string;
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
    const knex = createKnex(database.url, 10, logger);
    stack.push(() => knex.destroy());
    const applied = await migrateToLatest(knex);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

    const app = buildApp({ config, logger, knex, metrics: createMetrics() });
    const server = await listen(app, config.port, config.host);
    stack.push(() => closeServer(server));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
      databaseUrl: database.url,
      knex,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
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
