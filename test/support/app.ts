import type { Knex } from 'knex';
import { buildApp, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createMetrics } from '../../src/http/metrics';
import { createLogger } from '../../src/logger';

/** The real app on a test database, with quiet logs. */
export function buildTestApp(knex: Knex, overrides: Partial<AppDeps> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', JSON_BODY_LIMIT: '10kb' });
  return buildApp({ config, logger: createLogger('silent'), knex, metrics: createMetrics(), ...overrides });
}
