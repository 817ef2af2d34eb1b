import type { RequestHandler } from 'express';
import { InstantSchema } from '../http/instant';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import type { RouteTable } from '../http/route-table';
import { LOGGED_VERDICTS, logPastInterview } from '../interviews/log-past-interview';
import { LoggedInterviewJson, loggedInterviewJson } from '../interviews/logged-interview-routes';
import { findParticipant } from '../participants/participant-repository';
import { ParticipantStatusSchema, STATUS_LABELS } from '../participants/status-rules';
import type { BookDeps } from './book-interview';
import { bookForParticipant } from './book-for-participant';

export interface ResearcherBookingRouteDeps extends BookDeps {
  authenticate: RequestHandler;
}

const IdParams = z.object({ id: z.uuid('must be an id') });

export const ResearcherBookingBody = z.strictObject({
  start: InstantSchema.describe('The interview start; it lasts the study’s duration'),
  override: z
    .strictObject({
      reason: z
        .string()
        .trim()
        .min(1, 'Give a reason for booking a time the study does not offer')
        .max(500)
        .describe('Why a time the study does not offer is booked anyway; kept in the history'),
    })
    .optional(),
  confirmOverlap: z
    .boolean()
    .optional()
    .describe('Book even though events in your Google Calendar overlap the time'),
});

export const LoggedInterviewBody = z
  .strictObject({
    start: InstantSchema.describe('When the interview started; must be in the past'),
    end: InstantSchema.optional().describe('When it ended; default: start plus the study’s duration'),
    status: z.enum(LOGGED_VERDICTS).describe('The outcome: completed or no_show'),
    note: z.string().trim().max(500).optional().describe('Kept in the history as the reason'),
    hostId: z
      .uuid('must be an id')
      .optional()
      .describe('Who held it: a member of the study’s team; default you'),
  })
  .refine((body) => !body.end || Date.parse(body.end) > Date.parse(body.start), {
    path: ['end'],
    message: 'must be after start',
  });

const ParticipantSummary = z.object({
  id: z.uuid(),
  status: ParticipantStatusSchema,
  statusLabel: z.string(),
});

const BookedJson = z.object({
  booking: z.object({
    id: z.uuid(),
    start: z.string(),
    end: z.string(),
    meetUrl: z.string().nullable(),
    status: z.enum(['pending', 'confirmed']),
  }),
  participant: ParticipantSummary,
});

const LoggedJson = z.object({
  interview: LoggedInterviewJson,
  participant: ParticipantSummary,
});

const security = ['session', 'bearer'];
const problem = (description: string) => ({ description, contentType: 'application/problem+json' });

/** The researcher books a participant by hand, or logs an interview held elsewhere (issue 15). */
export function registerResearcherBookingRoutes(table: RouteTable, deps: ResearcherBookingRouteDeps): void {
  async function summary(researcherId: string, participantId: string) {
    const participant = await findParticipant(deps.knex, researcherId, participantId);
    if (!participant) throw new Error('participant vanished');
    return { id: participant.id, status: participant.status, statusLabel: STATUS_LABELS[participant.status] };
  }

  table.add({
    method: 'post',
    path: '/api/participants/:id/booking',
    summary:
      'Book the participant at a chosen time (an interview they have is moved): the same event with Meet, confirmation and status as their own booking',
    tags: ['participants'],
    security,
    middleware: [deps.authenticate],
    params: IdParams,
    body: ResearcherBookingBody,
    responses: {
      201: { description: 'Booked and on the calendar', schema: BookedJson },
      202: {
        description: 'Held; the calendar event is still on its way (a durable job finishes it)',
        schema: BookedJson,
      },
      400: problem('The body is not valid'),
      404: problem('No such participant'),
      409: problem(
        '`not-offered` (the study does not offer the time; `reasons` lists why — give `override.reason`), `calendar-overlap` (events in your calendar overlap; `events` names them — send `confirmOverlap: true`), `slot-taken` (another interview holds the time), `status-final`, `interview-started`',
      ),
      503: problem('Google Calendar is not connected or could not be asked'),
    },
    handler: async ({ params, body, res }) => {
      const researcherId = currentResearcherId(res);
      const result = await bookForParticipant(deps, researcherId, {
        participantId: params.id,
        start: new Date(body.start),
        overrideReason: body.override?.reason,
        confirmOverlap: body.confirmOverlap,
      });
      const { booking } = result;
      res.status(result.status).json({
        booking: {
          id: booking.id,
          start: booking.start.toISOString(),
          end: booking.end.toISOString(),
          meetUrl: booking.meetUrl,
          status: booking.state === 'confirmed' ? 'confirmed' : 'pending',
        },
        participant: await summary(researcherId, params.id),
      });
    },
  });

  table.add({
    method: 'post',
    path: '/api/participants/:id/logged-interview',
    summary:
      'Log an interview held elsewhere (no calendar event, no time held) and record its outcome: completed or no_show',
    tags: ['participants'],
    security,
    middleware: [deps.authenticate],
    params: IdParams,
    body: LoggedInterviewBody,
    responses: {
      201: { description: 'Logged; the participant has the verdict', schema: LoggedJson },
      400: problem('The body is not valid (e.g. a start in the future)'),
      404: problem('No such participant'),
      409: problem('`booking-live`: the participant has an interview booked; set the status on it instead'),
    },
    handler: async ({ params, body, res }) => {
      const researcherId = currentResearcherId(res);
      const { interview } = await logPastInterview(deps, researcherId, {
        participantId: params.id,
        start: new Date(body.start),
        end: body.end ? new Date(body.end) : undefined,
        status: body.status,
        note: body.note,
        hostId: body.hostId,
      });
      res.status(201).json({
        interview: loggedInterviewJson(interview),
        participant: await summary(researcherId, params.id),
      });
    },
  });
}
