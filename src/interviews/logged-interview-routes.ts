import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import { InstantSchema } from '../http/instant';
import { NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { findParticipant, type Participant } from '../participants/participant-repository';
import { ParticipantStatusSchema, STATUS_LABELS } from '../participants/status-rules';
import { deleteLoggedInterviewOf } from './delete-logged-interview';
import { editLoggedInterview } from './edit-logged-interview';
import { LOGGED_VERDICTS, listLoggedInterviews, type LoggedInterview } from './logged-interview-repository';
import { explainDeletion, explainEdit } from './logged-interview-effects';

export interface LoggedInterviewRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
}

const ParticipantParams = z.object({ id: z.uuid('must be an id') });
const LoggedParams = z.object({
  id: z.uuid('must be an id'),
  loggedInterviewId: z.uuid('must be an id'),
});

const VersionSchema = z
  .number()
  .int('must be a whole number')
  .min(1)
  .describe(
    'The version you read; if the interview was changed since, the answer is 409 and nothing changes',
  );

export const EditLoggedInterviewBody = z
  .strictObject({
    start: InstantSchema.optional().describe('When it started; must be in the past'),
    end: InstantSchema.optional().describe(
      'When it ended; never in the future, at most 24 hours after the start. Left out while start changes: the interview keeps its length',
    ),
    status: z.enum(LOGGED_VERDICTS).optional().describe('The outcome: completed or no_show'),
    note: z.string().trim().max(500).optional().describe('An empty string removes the note'),
    hostId: z.uuid('must be an id').optional().describe('Who held it: a member of the study’s team'),
    version: VersionSchema.optional(),
  })
  .refine((body) => !body.start || !body.end || Date.parse(body.end) > Date.parse(body.start), {
    path: ['end'],
    message: 'must be after start',
  })
  .refine((body) => ['start', 'end', 'status', 'note', 'hostId'].some((field) => field in body), {
    message: 'give at least one of start, end, status, note, hostId',
  });

const DeleteQuery = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'must be a whole number from 1')
    .transform(Number)
    .optional()
    .describe(
      'The version you read; if the interview was changed since, the answer is 409 and nothing changes',
    ),
});

export const LoggedInterviewJson = z.object({
  id: z.uuid(),
  start: z.string(),
  end: z.string(),
  status: z.enum(LOGGED_VERDICTS),
  statusLabel: z.string(),
  note: z.string().nullable(),
  version: z.number().int(),
  loggedBy: z.uuid().describe('The researcher who logged it'),
  hostId: z.uuid().describe('The team member who held it'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ParticipantSummary = z.object({
  id: z.uuid(),
  status: ParticipantStatusSchema,
  statusLabel: z.string(),
});

const EditedJson = z.object({
  interview: LoggedInterviewJson,
  participant: ParticipantSummary,
  statusChange: z
    .enum(['changed', 'unchanged', 'kept'])
    .describe(
      'changed: the new verdict is the participant’s status; unchanged; kept: the verdict changed but the participant’s status changed after this interview was logged, so it stays',
    ),
  statusNote: z.string().describe('The same, in words'),
});

const DeletedJson = z.object({
  deleted: LoggedInterviewJson,
  participant: ParticipantSummary,
  statusChange: z
    .enum(['restored', 'unchanged', 'kept'])
    .describe(
      'restored: back to the status before this interview’s verdict; unchanged; kept: the status changed after it was logged (or cannot be set again), so it stays',
    ),
  statusNote: z.string().describe('The same, in words'),
});

export const loggedInterviewJson = (interview: LoggedInterview): z.infer<typeof LoggedInterviewJson> => ({
  id: interview.id,
  start: interview.start.toISOString(),
  end: interview.end.toISOString(),
  status: interview.verdict,
  statusLabel: STATUS_LABELS[interview.verdict],
  note: interview.note,
  version: interview.version,
  loggedBy: interview.researcherId,
  hostId: interview.hostId,
  createdAt: interview.createdAt.toISOString(),
  updatedAt: interview.updatedAt.toISOString(),
});

const summary = (participant: Participant) => ({
  id: participant.id,
  status: participant.status,
  statusLabel: STATUS_LABELS[participant.status],
});

const security = ['session', 'bearer'];
const tags = ['participants'];
const problem = (description: string) => ({ description, contentType: 'application/problem+json' });

/** Issue 15: read, correct and remove the interviews held elsewhere that were logged. */
export function registerLoggedInterviewRoutes(table: RouteTable, deps: LoggedInterviewRouteDeps): void {
  const middleware = [deps.authenticate];

  table.add({
    method: 'get',
    path: '/api/participants/:id/logged-interviews',
    summary: 'The participant’s logged interviews (held elsewhere), the latest first',
    tags,
    security,
    middleware,
    params: ParticipantParams,
    responses: {
      200: { description: 'The list', schema: z.object({ loggedInterviews: z.array(LoggedInterviewJson) }) },
      404: problem('No such participant'),
    },
    handler: async ({ params, res }) => {
      const participant = await findParticipant(deps.knex, currentResearcherId(res), params.id);
      if (!participant) throw new NotFound('No such participant.');
      const logged = await listLoggedInterviews(deps.knex, participant.id);
      res.json({ loggedInterviews: logged.map(loggedInterviewJson) });
    },
  });

  table.add({
    method: 'patch',
    path: '/api/participants/:id/logged-interviews/:loggedInterviewId',
    summary:
      'Correct a logged interview: start, end, note, status (completed or no_show). A changed status becomes the participant’s status while this interview’s verdict is still what it rests on',
    tags,
    security,
    middleware,
    params: LoggedParams,
    body: EditLoggedInterviewBody,
    responses: {
      200: {
        description: 'Edited (or nothing to change); the history has a row naming you',
        schema: EditedJson,
      },
      400: problem('The body is not valid (e.g. a start in the future, longer than 24 hours)'),
      404: problem('No such participant or logged interview'),
      409: problem(
        '`logged-interview-changed`: `version` is not the current one (someone edited it meanwhile); or the status rules refuse the verdict',
      ),
    },
    handler: async ({ params, body, res }) => {
      const result = await editLoggedInterview(deps, currentResearcherId(res), {
        participantId: params.id,
        loggedInterviewId: params.loggedInterviewId,
        start: body.start ? new Date(body.start) : undefined,
        end: body.end ? new Date(body.end) : undefined,
        verdict: body.status,
        note: body.note,
        hostId: body.hostId,
        version: body.version,
      });
      res.json({
        interview: loggedInterviewJson(result.interview),
        participant: summary(result.participant),
        statusChange: result.statusEffect,
        statusNote: explainEdit(result),
      });
    },
  });

  table.add({
    method: 'delete',
    path: '/api/participants/:id/logged-interviews/:loggedInterviewId',
    summary:
      'Delete a logged interview. While its verdict is still what the participant’s status rests on, they return to the status they had before it; otherwise the status stays',
    tags,
    security,
    middleware,
    params: LoggedParams,
    query: DeleteQuery,
    responses: {
      200: { description: 'Deleted; the history has a row naming you', schema: DeletedJson },
      400: problem('The query is not valid'),
      404: problem('No such participant or logged interview'),
      409: problem(
        '`logged-interview-changed`: `version` is not the current one (someone edited it meanwhile)',
      ),
    },
    handler: async ({ params, query, res }) => {
      const result = await deleteLoggedInterviewOf(deps, currentResearcherId(res), {
        participantId: params.id,
        loggedInterviewId: params.loggedInterviewId,
        version: query.version,
      });
      res.json({
        deleted: loggedInterviewJson(result.deleted),
        participant: summary(result.participant),
        statusChange: result.statusEffect,
        statusNote: explainDeletion(result),
      });
    },
  });
}
