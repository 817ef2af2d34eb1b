import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { Config } from './config';
import { registerFeatureRoutes, type Features } from './features';
import type { Logger } from './logger';
import type { Metrics } from './http/metrics';
import { buildOpenApiDocument } from './http/openapi';
import { NotFound, problemHandler } from './http/problem';
import { requestContext } from './http/request-context';
import { RouteTable } from './http/route-table';
import { registerHealthRoutes } from './operations/health-routes';
import { describeClientProblem } from './connections/google-client-health';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  knex: Knex;
  metrics: Metrics;
  /** The product (researchers, studies, participants…); absent, only operations routes exist. */
  features?: Features;
}

/** The HTTP app, built from its dependencies so tests build the very same thing. */
export function buildApp(deps: AppDeps): Express {
  const { config, logger, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.env === 'production' ? 1 : false);

  const table = new RouteTable();
  registerHealthRoutes(
    table,
    deps.knex,
    Math.max(config.databaseTimeouts.acquireMs, config.databaseTimeouts.connectMs),
    () => {
      const problem = deps.features?.googleClientHealth.problem();
      return problem ? describeClientProblem(problem) : undefined;
    },
  );
  if (deps.features) registerFeatureRoutes(table, deps.features, metrics.registry);
  table.add({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['operations'],
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
    handler: async ({ res }) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  });
  table.add({
    method: 'get',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['operations'],
    responses: { 200: { description: 'OpenAPI document', contentType: 'application/json' } },
    handler: ({ res }) => res.json(openApiDocument()),
  });

  let cachedDocument: unknown;
  const openApiDocument = () =>
    (cachedDocument ??= buildOpenApiDocument(table.routes(), {
      title: 'Interview scheduling for UX research',
      version: '1',
      description:
        'Researchers schedule study interviews on their Google Calendar; participants book from a link.',
      serverUrl: config.publicUrl,
    }));

  app.use(table.aheadRouter);
  app.use(requestContext(logger, metrics));
  app.use(helmet());
  app.use(express.json({ limit: config.jsonBodyLimit }));
  // The console's HTML forms (a pasted list of up to 500 participants is the largest); the
  // JSON API still demands application/json.
  app.use(express.urlencoded({ extended: false, limit: config.jsonBodyLimit }));
  app.use(table.close());
  app.use(() => {
    throw new NotFound();
  });
  app.use(problemHandler(logger, (path) => table.servesPage(path)));
  return app;
}
