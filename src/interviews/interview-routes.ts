import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import type { RouteTable } from '../http/route-table';
import { ParticipantStatusSchema, STATUS_LABELS } from '../participants/status-rules';
import {
  DEFAULT_PAGE_SIZE,
  INTERVIEW_LISTS,
  MAX_PAGE_SIZE,
  decodeCursor,
  listInterviews,
  type InterviewPage,
} from './interview-list';

export interface InterviewRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
  now?: () => Date;
}

/** The query both the API and the console pages take; a cursor this service did not make is a 400. */
export const InterviewsQuery = z.strictObject({
  when: z.enum(INTERVIEW_LISTS).default('upcoming'),
  cursor: z
    .string()
    .max(200)
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const cursor = decodeCursor(text);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: 'must be a nextCursor from an earlier page' });
        return z.NEVER;
      }
      return cursor;
    }),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const InterviewJson = z.object({
  bookingId: z.uuid(),
  start: z.string(),
  end: z.string(),
  bookingState: z
    .enum(['pending', 'confirmed', 'logged'])
    .describe(
      'logged: held elsewhere and logged by the researcher, no calendar event (bookingId is the logged interview id)',
    ),
  meetUrl: z.string().nullable(),
  participant: z.object({
    id: z.uuid(),
    name: z.string(),
    status: ParticipantStatusSchema,
    statusLabel: z.string(),
  }),
  study: z.object({ id: z.uuid(), title: z.string(), timeZone: z.string() }),
});

const InterviewsResponse = z.object({
  interviews: z.array(InterviewJson),
  nextCursor: z.string().nullable(),
});

export function interviewsJson(page: InterviewPage): z.infer<typeof InterviewsResponse> {
  return {
    interviews: page.interviews.map((interview) => ({
      bookingId: interview.bookingId,
      start: interview.start.toISOString(),
      end: interview.end.toISOString(),
      bookingState: interview.state,
      meetUrl: interview.meetUrl,
      participant: {
        ...interview.participant,
        statusLabel: STATUS_LABELS[interview.participant.status],
      },
      study: interview.study,
    })),
    nextCursor: page.nextCursor,
  };
}

export function registerInterviewRoutes(table: RouteTable, deps: InterviewRouteDeps): void {
  const now = deps.now ?? (() => new Date());
  table.add({
    method: 'get',
    path: '/api/interviews',
    summary:
      "The researcher's interviews across studies: upcoming soonest first (running ones included), or past newest first; cancelled ones in neither",
    tags: ['interviews'],
    security: ['session', 'bearer'],
    middleware: [deps.authenticate],
    query: InterviewsQuery,
    responses: {
      200: {
        description: 'One page; pass nextCursor back as cursor for the next',
        schema: InterviewsResponse,
      },
    },
    handler: async ({ query, res }) => {
      const page = await listInterviews(deps.knex, currentResearcherId(res), { ...query, now: now() });
      res.json(interviewsJson(page));
    },
  });
}
