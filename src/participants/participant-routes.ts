import { findReminderSubscription } from '../reminders/reminder-repository';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import type { DeleteEventDeps } from '../bookings/delete-calendar-event';
import { loadConsentStanding, type ConsentStanding } from '../consent/consent-standing';
import { NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { listEmailsOfParticipant, type OutboxEmail } from '../mail/outbox-repository';
import { findStudy } from '../studies/study-repository';
import { addParticipants, type AddParticipantsDeps } from './add-participants';
import { cancelParticipant } from './cancel-participant';
import {
  findParticipantWithBooking,
  listHistory,
  listParticipants,
  type HistoryEntry,
  type ParticipantListItem,
} from './participant-repository';
import { participantTimeline, TIMELINE_PAGE } from './participant-timeline';
import { reinviteParticipant } from './reinvite-participant';
import { setManualStatus } from './set-manual-status';
import { ParticipantStatusSchema, STATUS_LABELS, STATUS_SOURCES } from './status-rules';
import { parseCursor, TIMELINE_KINDS } from './timeline';

export interface ParticipantRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
  add: AddParticipantsDeps;
  events: DeleteEventDeps;
}

/**
 * One API call may add a whole recruitment list (issue 12 measures 2,500 invitations from
 * one add); a list that size needs about 200kb of the default 300kb JSON_BODY_LIMIT.
 */
export const MAX_PARTICIPANTS_PER_CALL = 2_500;

/** A paste into the console form stays at 500 lines: a form post is held to JSON_BODY_LIMIT too. */
export const MAX_PARTICIPANTS_PER_PASTE = 500;

const IdParams = z.object({ id: z.uuid('must be an id') });

const AddBody = z.strictObject({
  participants: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1, 'A participant needs a name').max(200),
        // Pasted lists carry stray spaces and capitals; both are normalised before checking.
        email: z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(320)),
      }),
    )
    .min(1, 'Add at least one participant')
    .max(MAX_PARTICIPANTS_PER_CALL, `At most ${MAX_PARTICIPANTS_PER_CALL} participants per request`),
});

const ListQuery = z.strictObject({
  status: ParticipantStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

const StatusBody = z.strictObject({
  status: ParticipantStatusSchema,
  reason: z.string().trim().max(500).optional(),
});

const CancelBody = z.strictObject({
  reason: z.string().trim().max(500).optional(),
  /** The interview the caller means: refused (409 booking-changed) when it is no longer the live one. */
  bookingId: z.uuid().optional(),
});

const ParticipantJson = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  name: z.string(),
  email: z.string(),
  status: ParticipantStatusSchema,
  statusLabel: z.string(),
  scheduledStart: z.string().nullable(),
  scheduledEnd: z.string().nullable(),
  meetUrl: z.string().nullable(),
  bookingState: z.enum(['pending', 'confirmed']).nullable(),
  calendarEventLink: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const HistoryJson = z.object({
  kind: z.enum(['status', 'rescheduled', 'invited', 'organizer_changed', 'booking_failed']),
  from: ParticipantStatusSchema.nullable(),
  to: ParticipantStatusSchema,
  source: z.enum(STATUS_SOURCES),
  actor: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  at: z.string(),
});

const EmailJson = z
  .object({
    id: z.uuid(),
    kind: z.enum(['invitation', 'reinvitation', 'reminder', 'confirmation', 'update', 'cancellation']),
    status: z
      .enum(['queued', 'sent', 'failed', 'superseded'])
      .describe(
        'queued = waiting for (another) attempt; failed = given up, see lastError; superseded = not sent: an invitation replaced by a re-invitation, or an email about an interview overtaken by a later change (lastError says which)',
      ),
    attempts: z.number().int().describe('Attempts at the mail server so far'),
    lastError: z
      .string()
      .nullable()
      .describe(
        "The mail server's answer to the last failed attempt (SMTP code and reason), kept after a later success; a 5xx refusal fails the email at once",
      ),
    queuedAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .describe('An email to the participant and how its delivery went');

const EMAIL_KIND_NAMES: readonly string[] = EmailJson.shape.kind.options;
type EmailKind = z.infer<typeof EmailJson>['kind'];

const EMAIL_STATUS = { pending: 'queued', sent: 'sent', failed: 'failed', superseded: 'superseded' } as const;

const emailJson = (email: OutboxEmail): z.infer<typeof EmailJson> => ({
  id: email.id,
  kind: EMAIL_KIND_NAMES.includes(email.kind as EmailKind) ? (email.kind as EmailKind) : 'invitation',
  status: EMAIL_STATUS[email.state],
  attempts: email.attempts,
  lastError: email.lastError,
  queuedAt: email.createdAt.toISOString(),
  sentAt: email.sentAt?.toISOString() ?? null,
});

/** One participant as the researcher sees them: status, history and the emails sent to them. */
const ParticipantDetailJson = ParticipantJson.extend({
  history: z.array(HistoryJson),
  emails: z
    .array(EmailJson)
    .describe('Emails to the participant (invitations, and about their interview), oldest first'),
  remindersUnsubscribedAt: z
    .string()
    .nullable()
    .describe('When the participant unsubscribed from reminder emails; null while they get them'),
  consent: z
    .object({
      version: z.number(),
      text: z.string(),
      consentedAt: z.string(),
      forCurrentInterview: z
        .boolean()
        .describe('Given for the live booking (when booking it, or again when moving it)'),
      current: z.boolean().describe("Agreed to the study's current version of the text"),
    })
    .nullable()
    .describe(
      'The consent given for the live booking, else the one the participant last gave (the words of that version), or null',
    ),
});

function participantJson(participant: ParticipantListItem): z.infer<typeof ParticipantJson> {
  return {
    id: participant.id,
    studyId: participant.studyId,
    name: participant.name,
    email: participant.email,
    status: participant.status,
    statusLabel: STATUS_LABELS[participant.status],
    scheduledStart: participant.booking?.start.toISOString() ?? null,
    scheduledEnd: participant.booking?.end.toISOString() ?? null,
    meetUrl: participant.booking?.meetUrl ?? null,
    bookingState: participant.booking?.state ?? null,
    calendarEventLink: participant.booking?.htmlLink ?? null,
    createdAt: participant.createdAt.toISOString(),
    updatedAt: participant.updatedAt.toISOString(),
  };
}

const historyJson = (entry: HistoryEntry): z.infer<typeof HistoryJson> => ({
  ...entry,
  at: entry.at.toISOString(),
});

const TimelineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(TIMELINE_PAGE.max).default(TIMELINE_PAGE.default),
  before: z
    .string()
    .max(100)
    .transform((text, context) => {
      const cursor = parseCursor(text);
      if (!cursor) context.addIssue({ code: 'custom', message: 'must be a `next` value of an earlier page' });
      return cursor ?? z.NEVER;
    })
    .optional(),
});

const TimelineJson = z.object({
  timeZone: z.string().describe('The zone the summaries write times in: the researcher’s, else the study’s'),
  items: z
    .array(
      z.object({
        at: z.string().describe('When it happened (an email: when it was sent, or queued if it was not)'),
        kind: z.enum(TIMELINE_KINDS),
        summary: z.string().describe('What happened, in words, with times in `timeZone`'),
        details: z
          .record(z.string(), z.unknown())
          .describe(
            'By kind: moved {from:{start,end}, to:{start,end}, source}; canceled {source, reason}; rsvp {from, to} (needsAction, tentative, accepted, declined); event_changed {field: title|location|meet, from, to}; email {emailKind, state, attempts, lastError, subject, queuedAt, sentAt}; status {from, to, source, reason}; booked {interview, reason (an override by the researcher)}; interview_logged {interview:{start,end}, loggedInterviewId, to, reason}; logged_interview_edited {interview:{start,end}, was:{interview, verdict, note}, loggedInterviewId, from, to, statusKept?}; logged_interview_deleted {interview:{start,end}, loggedInterviewId, from, to, statusKept?}',
          ),
      }),
    )
    .describe('Newest first'),
  next: z.string().nullable().describe('Pass as `before` for the next, older page; null on the last page'),
});

function consentJson({ consent, forCurrentInterview, current }: ConsentStanding) {
  return consent
    ? {
        version: consent.version,
        text: consent.text,
        consentedAt: consent.consentedAt.toISOString(),
        forCurrentInterview,
        current,
      }
    : null;
}

const security = ['session', 'bearer'];
const problem = (description: string) => ({ description, contentType: 'application/problem+json' });

export function registerParticipantRoutes(table: RouteTable, deps: ParticipantRouteDeps): void {
  const { knex, authenticate } = deps;

  async function detail(researcherId: string, participantId: string) {
    const participant = await findParticipantWithBooking(knex, researcherId, participantId);
    if (!participant) throw new NotFound('No such participant.');
    return {
      ...participantJson(participant),
      history: (await listHistory(knex, participant.id)).map(historyJson),
      emails: (await listEmailsOfParticipant(knex, participant.id)).map(emailJson),
      remindersUnsubscribedAt:
        (await findReminderSubscription(knex, participant.id))?.unsubscribedAt?.toISOString() ?? null,
      consent: consentJson(
        await loadConsentStanding(
          knex,
          participant,
          await findStudy(knex, researcherId, participant.studyId),
        ),
      ),
    };
  }

  table.add({
    method: 'post',
    path: '/api/studies/:id/participants',
    summary: `Add up to ${MAX_PARTICIPANTS_PER_CALL} participants (all or nothing); each gets an invitation email`,
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    body: AddBody,
    responses: {
      201: {
        description: 'Added; the booking URLs are shown only here and on re-invite',
        schema: z.object({
          participants: z.array(
            z.object({
              id: z.uuid(),
              name: z.string(),
              email: z.string(),
              status: ParticipantStatusSchema,
              bookingUrl: z.string(),
            }),
          ),
        }),
      },
      404: problem('No such study'),
      409: problem('An email is listed twice or already in the study'),
    },
    handler: async ({ params, body, res }) => {
      const created = await addParticipants(deps.add, currentResearcherId(res), params.id, body.participants);
      res.status(201).json({
        participants: created.map((participant) => ({
          id: participant.id,
          name: participant.name,
          email: participant.email,
          status: participant.status,
          bookingUrl: participant.bookingUrl,
        })),
      });
    },
  });

  table.add({
    method: 'get',
    path: '/api/studies/:id/participants',
    summary: "A study's participants with status and scheduled time, oldest first",
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    query: ListQuery,
    responses: {
      200: { description: 'Participants', schema: z.object({ participants: z.array(ParticipantJson) }) },
      404: problem('No such study'),
    },
    handler: async ({ params, query, res }) => {
      const researcherId = currentResearcherId(res);
      if (!(await findStudy(knex, researcherId, params.id))) throw new NotFound('No such study.');
      const participants = await listParticipants(knex, researcherId, params.id, {
        limit: query.limit,
        offset: query.offset,
        ...(query.status ? { status: query.status } : {}),
      });
      res.json({ participants: participants.map(participantJson) });
    },
  });

  table.add({
    method: 'get',
    path: '/api/participants/:id',
    summary:
      'One participant with the full status history and their emails (queued, sent or failed, with the reason)',
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    responses: {
      200: { description: 'Participant', schema: ParticipantDetailJson },
      404: problem('No such participant'),
    },
    handler: async ({ params, res }) => {
      res.json(await detail(currentResearcherId(res), params.id));
    },
  });

  table.add({
    method: 'get',
    path: '/api/participants/:id/timeline',
    summary:
      "The participant's activity, newest first: invitation and every email (sent, or failed with the reason), bookings, moves (old → new time), cancellations and who made them, RSVPs from the calendar (tentative too), event changes, status verdicts",
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    query: TimelineQuery,
    responses: {
      200: { description: 'One page of the timeline', schema: TimelineJson },
      400: problem('`limit` or `before` is not valid'),
      404: problem('No such participant'),
    },
    handler: async ({ params, query, res }) => {
      const timeline = await participantTimeline(knex, currentResearcherId(res), params.id, {
        limit: query.limit,
        ...(query.before ? { before: query.before } : {}),
      });
      res.json({
        timeZone: timeline.timeZone,
        items: timeline.items.map((item) => ({ ...item, at: item.at.toISOString() })),
        next: timeline.next,
      });
    },
  });

  table.add({
    method: 'post',
    path: '/api/participants/:id/status',
    summary: 'Set a status by hand (no_show, completed, …) with an optional reason',
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    body: StatusBody,
    responses: {
      200: { description: 'Participant', schema: ParticipantDetailJson },
      404: problem('No such participant'),
      409: problem('The status cannot be set now (e.g. scheduled without a booking)'),
    },
    handler: async ({ params, body, res }) => {
      const researcherId = currentResearcherId(res);
      await setManualStatus(deps.events, researcherId, {
        participantId: params.id,
        status: body.status,
        reason: body.reason,
      });
      res.json(await detail(researcherId, params.id));
    },
  });

  table.add({
    method: 'post',
    path: '/api/participants/:id/cancel',
    summary: "Cancel the participant's interview: the Google event is deleted (attendees notified)",
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    body: CancelBody,
    responses: {
      200: { description: 'Participant', schema: ParticipantDetailJson },
      404: problem('No such participant'),
      409: problem('booking-changed: the bookingId given is no longer the live booking'),
    },
    handler: async ({ params, body, res }) => {
      const researcherId = currentResearcherId(res);
      await cancelParticipant(deps.events, researcherId, {
        participantId: params.id,
        source: 'researcher',
        actor: researcherId,
        reason: body.reason ?? null,
        bookingId: body.bookingId,
      });
      res.json(await detail(researcherId, params.id));
    },
  });

  table.add({
    method: 'post',
    path: '/api/participants/:id/reinvite',
    summary: 'A new booking link (the old one stops working) and a new invitation email',
    tags: ['participants'],
    security,
    middleware: [authenticate],
    params: IdParams,
    responses: {
      200: { description: 'The new link', schema: z.object({ bookingUrl: z.string() }) },
      404: problem('No such participant'),
      409: problem('An interview is booked; cancel it first'),
    },
    handler: async ({ params, res }) => {
      res.json(await reinviteParticipant(deps.add, currentResearcherId(res), params.id));
    },
  });
}
