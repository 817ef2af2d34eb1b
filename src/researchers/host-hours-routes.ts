import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import { Conflict, Invalid, fieldErrorsFromZod } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import {
  clearHostHours,
  findHostHours,
  HostHoursBody,
  saveHostHours,
  type HostHoursOutcome,
} from './host-hours';

export interface HostHoursRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
}

const HoursResponse = z.object({
  hours: z
    .object({ timeZone: z.string(), availability: z.unknown() })
    .nullable()
    .describe('null = none kept; studies with hostHours per_host need them'),
});

const security = ['session', 'bearer'];

/** `/api/me/hours`: the signed-in researcher's own weekly hours as a host. */
export function registerHostHoursRoutes(table: RouteTable, deps: HostHoursRouteDeps): void {
  const { knex, authenticate } = deps;

  table.add({
    method: 'get',
    path: '/api/me/hours',
    summary: 'Your own weekly hours as a host (read by studies whose hostHours is per_host)',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    responses: { 200: { description: 'Your hours, or null', schema: HoursResponse } },
    handler: async ({ res }) => {
      res.json({ hours: await findHostHours(knex, currentResearcherId(res)) });
    },
  });

  table.add({
    method: 'put',
    path: '/api/me/hours',
    summary:
      'Set your own weekly hours: a time zone and the same availability (weekly windows, date overrides) as a study',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    body: HostHoursBody,
    responses: {
      200: { description: 'Saved', schema: HoursResponse },
      400: { description: 'Not valid hours; nothing saved', contentType: 'application/problem+json' },
    },
    handler: async ({ body, res }) => {
      const outcome = await saveHostHours(knex, currentResearcherId(res), body);
      if (outcome.kind === 'invalid' || outcome.kind === 'in-use') throw hoursProblem(outcome);
      if (outcome.kind === 'saved') res.json({ hours: outcome.hours });
    },
  });

  table.add({
    method: 'delete',
    path: '/api/me/hours',
    summary: 'Clear your own weekly hours; refused while a study you host reads them',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    responses: {
      204: { description: 'Cleared (also when there were none)' },
      409: {
        description: 'You host studies with per-host hours (hours-in-use, naming them in studies)',
        contentType: 'application/problem+json',
      },
    },
    handler: async ({ res }) => {
      const outcome = await clearHostHours(knex, currentResearcherId(res));
      if (outcome.kind === 'invalid' || outcome.kind === 'in-use') throw hoursProblem(outcome);
      res.status(204).end();
    },
  });
}

function hoursProblem(outcome: Extract<HostHoursOutcome, { kind: 'invalid' | 'in-use' }>) {
  if (outcome.kind === 'invalid')
    return new Invalid('Not valid hours.', fieldErrorsFromZod(outcome.error, 'body'));
  return new Conflict(inUseMessage(outcome.studies), 'hours-in-use', { studies: outcome.studies });
}

export function inUseMessage(studies: readonly { title: string }[]): string {
  const titles = studies.map((study) => `“${study.title}”`).join(', ');
  return `You host ${studies.length === 1 ? 'a study' : 'studies'} with each host’s own hours (${titles}): switch ${studies.length === 1 ? 'it' : 'them'} to the study’s schedule or leave ${studies.length === 1 ? 'it' : 'them'} as a host before clearing your hours`;
}
