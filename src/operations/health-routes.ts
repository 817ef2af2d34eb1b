import type { Knex } from 'knex';
import { z } from 'zod';
import { migrationsAreCurrent } from '../db/migrations';
import type { RouteTable } from '../http/route-table';
import { Unavailable } from '../http/problem';

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({
  status: z.literal('ready'),
  checks: z.object({ database: z.literal('ok'), migrations: z.literal('current') }),
});

export function registerHealthRoutes(table: RouteTable, knex: Knex): void {
  table.add({
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tags: ['operations'],
    responses: { 200: { description: 'Up', schema: HealthSchema } },
    handler: ({ res }) => res.json({ status: 'ok' }),
  });

  table.add({
    method: 'get',
    path: '/readyz',
    summary: 'The database answers and every migration has run',
    tags: ['operations'],
    responses: {
      200: { description: 'Ready for traffic', schema: ReadySchema },
      503: { description: 'Not ready', contentType: 'application/problem+json' },
    },
    handler: async ({ res }) => {
      let current: boolean;
      try {
        await knex.raw('select 1');
        current = await migrationsAreCurrent(knex);
      } catch {
        throw new Unavailable('The database cannot be reached.', 'not-ready');
      }
      if (!current) throw new Unavailable('Database migrations are pending.', 'not-ready');
      res.json({ status: 'ready', checks: { database: 'ok', migrations: 'current' } });
    },
  });
}
