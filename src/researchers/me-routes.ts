import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/api-token-repository';
import { currentResearcherId } from '../auth/authenticate';
import { PUSH_STATES } from '../channels/push-state';
import { findPushStatus } from '../channels/push-state-repository';
import { findConnection } from '../connections/connection-repository';
import { disconnectGoogle, type DisconnectDeps } from '../connections/disconnect-google';
import { NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { findResearcher } from './researcher-repository';

export interface MeRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
  disconnect: DisconnectDeps;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const MeSchema = z.object({
  researcher: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
  google: z
    .object({
      state: z.enum(['connected', 'revoked', 'needs_consent']),
      email: z.string(),
      calendarId: z.string(),
      scopes: z.array(z.string()),
      lastSyncedAt: z.string().nullable(),
      revokedAt: z.string().nullable(),
      revokedReason: z.string().nullable(),
      /** Whether Google notifies the service of changes; without push the calendar is polled. */
      push: z.object({
        state: z.enum(PUSH_STATES),
        reason: z.string().nullable(),
        expiresAt: z.string().nullable(),
      }),
    })
    .nullable(),
});

const TokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
const NewTokenBody = z.strictObject({ name: z.string().trim().max(100).optional() });
const IdParams = z.object({ id: z.uuid('must be a token id') });

const security = ['session', 'bearer'];

export function registerMeRoutes(table: RouteTable, deps: MeRouteDeps): void {
  const { knex, authenticate } = deps;

  table.add({
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in researcher and the state of their Google connection',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    responses: { 200: { description: 'Researcher', schema: MeSchema } },
    handler: async ({ res }) => {
      const researcherId = currentResearcherId(res);
      const researcher = await findResearcher(knex, researcherId);
      if (!researcher) throw new NotFound();
      const connection = await findConnection(knex, researcherId);
      const push = connection ? await findPushStatus(knex, researcherId, new Date()) : undefined;
      res.json({
        researcher: { id: researcher.id, email: researcher.email, name: researcher.name },
        google: connection
          ? {
              state: connection.state,
              email: connection.googleEmail,
              calendarId: connection.calendarId,
              scopes: connection.scopes,
              lastSyncedAt: iso(connection.lastSyncedAt),
              revokedAt: iso(connection.revokedAt),
              revokedReason: connection.revokedReason,
              push: push && {
                state: push.state,
                reason: push.reason,
                expiresAt: iso(push.expiresAt),
              },
            }
          : null,
      });
    },
  });

  table.add({
    method: 'post',
    path: '/api/me/tokens',
    summary: 'Create an API token for scripts (shown once; only its hash is kept)',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    body: NewTokenBody,
    responses: {
      201: { description: 'The token, shown this once', schema: TokenSchema.extend({ token: z.string() }) },
    },
    handler: async ({ body, res }) => {
      const created = await createApiToken(knex, currentResearcherId(res), body.name ?? '');
      res.status(201).json({
        id: created.id,
        name: created.name,
        token: created.token,
        createdAt: created.createdAt.toISOString(),
        lastUsedAt: null,
      });
    },
  });

  table.add({
    method: 'get',
    path: '/api/me/tokens',
    summary: "The researcher's API tokens (without the secrets)",
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    responses: { 200: { description: 'Tokens', schema: z.object({ tokens: z.array(TokenSchema) }) } },
    handler: async ({ res }) => {
      const tokens = await listApiTokens(knex, currentResearcherId(res));
      res.json({
        tokens: tokens.map((token) => ({
          ...token,
          createdAt: token.createdAt.toISOString(),
          lastUsedAt: iso(token.lastUsedAt),
        })),
      });
    },
  });

  table.add({
    method: 'delete',
    path: '/api/me/tokens/:id',
    summary: 'Revoke an API token',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    params: IdParams,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such token' } },
    handler: async ({ params, res }) => {
      if (!(await revokeApiToken(knex, currentResearcherId(res), params.id)))
        throw new NotFound('No such API token.');
      res.status(204).end();
    },
  });

  table.add({
    method: 'delete',
    path: '/api/me/google',
    summary: 'Disconnect Google: stop push channels, revoke the grant, keep all data',
    tags: ['researcher'],
    security,
    middleware: [authenticate],
    responses: { 204: { description: 'Disconnected (also when it already was)' } },
    handler: async ({ res }) => {
      await disconnectGoogle(deps.disconnect, currentResearcherId(res));
      res.status(204).end();
    },
  });
}
