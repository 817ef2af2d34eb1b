import type { RequestHandler } from 'express';
import { InstantSchema } from '../http/instant';
import type { Knex } from 'knex';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import type { GoogleAccess } from '../connections/google-access';
import { AppError, Conflict, Invalid, NotFound, fieldErrorsFromZod, problemTypeBase } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { PARTICIPANT_STATUSES } from '../participants/status-rules';
import {
  countParticipantsByStatus,
  findStudy,
  listStudies,
  type StatusCounts,
  type Study,
} from './study-repository';
import { listHostsOfStudies, listStudyHosts, type StudyHost } from './study-host-repository';
import { HOST_HOURS_SOURCES, type HostingRefusal } from './study-hosting';
import { SCHEDULING_TYPES } from '../availability/hosts';
import { CreateStudyRequest, PatchStudyBody } from './study-schema';
import { changeStudy, createStudy, type StudyOutcome } from './study-use-cases';
import { explainAvailability, type AvailabilityAnswer } from './explain-availability';

export interface StudyRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
  /** Calendar reads for "why is this time not offered?" (event titles come from Google). */
  access: GoogleAccess;
}

const StudyIdParams = z.object({ id: z.uuid('must be a study id') });

const StudyResponse = z.object({
  id: z.uuid(),
  title: z.string(),
  status: z.enum(['open', 'closed']),
  timeZone: z.string(),
  availability: z.unknown(),
  durationMinutes: z.number(),
  bufferBeforeMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  minNoticeMinutes: z.number(),
  horizonDays: z.number().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  slotStepMinutes: z.number().nullable(),
  dailyLimit: z.number().nullable(),
  eventTitle: z.string(),
  eventDescription: z.string(),
  guests: z.array(z.string()),
  reminderMinutesBefore: z.array(z.number()),
  conflictHandling: z.enum(['busy', 'strict', 'off']),
  emailTemplates: z.record(z.string(), z.object({ subject: z.string(), body: z.string() })),
  consentRequired: z.boolean(),
  consentText: z.string().describe('The current version of the consent text ("" when none was written)'),
  schedulingType: z.enum(SCHEDULING_TYPES),
  hostHours: z.enum(HOST_HOURS_SOURCES),
  hosts: z
    .array(
      z.object({
        researcherId: z.uuid(),
        name: z.string(),
        email: z.string(),
        connection: z
          .enum(['connected', 'revoked', 'needs-consent', 'none'])
          .describe('Only a connected host takes new bookings; none = never connected'),
        hasOwnHours: z.boolean().describe('Whether the host keeps weekly hours of their own (/api/me/hours)'),
      }),
    )
    .describe('In order: the first organizes collective events'),
  participantCounts: z.record(z.enum(PARTICIPANT_STATUSES), z.number()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ExplainQuery = z.strictObject({
  start: InstantSchema.describe('The interview start to ask about, e.g. 2026-12-08T10:00:00+01:00'),
});

export const ExplainResponse = z.object({
  start: z.string(),
  end: z.string().describe('start + the study duration'),
  timeZone: z.string().describe("The study's time zone, in which the messages give times"),
  offered: z.boolean().describe('Whether the booking page offers this start now'),
  calendarChecked: z.boolean().describe('False when Google could not be read; see calendar-unavailable'),
  reasons: z
    .array(
      z
        .object({
          code: z.enum([
            'outside-weekly-hours',
            'date-override',
            'not-on-grid',
            'min-notice',
            'beyond-horizon',
            'outside-date-range',
            'daily-limit',
            'busy-event',
            'buffer',
            'already-booked',
            'study-closed',
            'calendar-unavailable',
            'host-not-bookable',
            'not-all-hosts-free',
            'no-host-free',
          ]),
          message: z.string(),
        })
        .catchall(z.unknown()),
    )
    .describe(
      'Every rule that keeps the start off the booking page (empty = offered); details beside code and message. busy-event carries the calendar event title (null = just busy): for the researcher only',
    ),
  hosts: z
    .array(z.object({ researcherId: z.string(), name: z.string(), free: z.boolean() }))
    .optional()
    .describe(
      'A study with several hosts: whether each host is free at this start (round robin: who could take it)',
    ),
});

export function explainJson(answer: AvailabilityAnswer): z.infer<typeof ExplainResponse> {
  return {
    start: answer.start.toISOString(),
    end: answer.end.toISOString(),
    timeZone: answer.study.timeZone,
    offered: answer.offered,
    calendarChecked: answer.calendarChecked,
    reasons: answer.reasons.map((reason) => ({
      ...reason.details,
      code: reason.code,
      message: reason.message,
    })),
    ...(answer.hosts
      ? {
          hosts: answer.hosts.map((host) => ({
            researcherId: host.hostId,
            name: host.name,
            free: host.free,
          })),
        }
      : {}),
  };
}

export function hostJson(host: StudyHost) {
  return {
    researcherId: host.researcherId,
    name: host.name,
    email: host.email,
    connection: host.connection,
    hasOwnHours: host.hours !== null,
  };
}

export function studyJson(study: Study, counts: StatusCounts | undefined, hosts: readonly StudyHost[] = []) {
  return {
    id: study.id,
    title: study.title,
    status: study.status,
    timeZone: study.timeZone,
    availability: study.availability,
    durationMinutes: study.durationMinutes,
    bufferBeforeMinutes: study.bufferBeforeMinutes,
    bufferAfterMinutes: study.bufferAfterMinutes,
    minNoticeMinutes: study.minNoticeMinutes,
    horizonDays: study.horizonDays ?? null,
    startDate: study.startDate ?? null,
    endDate: study.endDate ?? null,
    slotStepMinutes: study.slotStepMinutes ?? null,
    dailyLimit: study.dailyLimit ?? null,
    eventTitle: study.eventTitle,
    eventDescription: study.eventDescription,
    guests: study.guests,
    reminderMinutesBefore: study.reminderMinutesBefore,
    conflictHandling: study.conflictHandling,
    emailTemplates: study.emailTemplates,
    consentRequired: study.consentRequired,
    consentText: study.consentText,
    schedulingType: study.schedulingType,
    hostHours: study.hostHours,
    hosts: hosts.map(hostJson),
    participantCounts: counts ?? { invited: 0, scheduled: 0, canceled: 0, no_show: 0, completed: 0 },
    createdAt: study.createdAt.toISOString(),
    updatedAt: study.updatedAt.toISOString(),
  };
}

const security = ['session', 'bearer'];

export function registerStudyRoutes(table: RouteTable, deps: StudyRouteDeps): void {
  const { knex, authenticate } = deps;

  async function withCounts(researcherId: string, study: Study) {
    const counts = await countParticipantsByStatus(knex, researcherId, [study.id]);
    return studyJson(study, counts.get(study.id), await listStudyHosts(knex, study.id));
  }

  /** The saved study, or the refusal as problem+json; nothing was saved on a refusal. */
  function savedOrThrow(outcome: StudyOutcome, detail: string): Study {
    if (outcome.kind === 'not-found') throw new NotFound('No such study.');
    if (outcome.kind === 'invalid') throw new Invalid(detail, fieldErrorsFromZod(outcome.error, 'body'));
    if (outcome.kind === 'hosts-refused') throw hostingProblem(outcome.refusal);
    return outcome.study;
  }

  table.add({
    method: 'post',
    path: '/api/studies',
    summary: 'Create a study',
    tags: ['studies'],
    security,
    middleware: [authenticate],
    body: CreateStudyRequest,
    responses: {
      201: { description: 'Created', schema: StudyResponse },
      400: { description: 'Not a valid study or host list', contentType: 'application/problem+json' },
      409: {
        description:
          'A host has no connected calendar (host-not-connected) or no own hours (host-hours-missing)',
        contentType: 'application/problem+json',
      },
    },
    handler: async ({ body, res }) => {
      const researcherId = currentResearcherId(res);
      const study = savedOrThrow(await createStudy(knex, researcherId, body), 'Not a valid study.');
      res
        .status(201)
        .location(`/api/studies/${study.id}`)
        .json(studyJson(study, undefined, await listStudyHosts(knex, study.id)));
    },
  });

  table.add({
    method: 'get',
    path: '/api/studies',
    summary: "The studies of the caller's team, newest first, with participant counts by status",
    tags: ['studies'],
    security,
    middleware: [authenticate],
    responses: { 200: { description: 'Studies', schema: z.object({ studies: z.array(StudyResponse) }) } },
    handler: async ({ res }) => {
      const researcherId = currentResearcherId(res);
      const studies = await listStudies(knex, researcherId);
      const ids = studies.map((study) => study.id);
      const counts = await countParticipantsByStatus(knex, researcherId, ids);
      const hosts = await listHostsOfStudies(knex, ids);
      res.json({
        studies: studies.map((study) => studyJson(study, counts.get(study.id), hosts.get(study.id))),
      });
    },
  });

  table.add({
    method: 'get',
    path: '/api/studies/:id',
    summary: 'One study',
    tags: ['studies'],
    security,
    middleware: [authenticate],
    params: StudyIdParams,
    responses: {
      200: { description: 'Study', schema: StudyResponse },
      404: { description: 'No such study' },
    },
    handler: async ({ params, res }) => {
      const researcherId = currentResearcherId(res);
      const study = await findStudy(knex, researcherId, params.id);
      if (!study) throw new NotFound('No such study.');
      res.json(await withCounts(researcherId, study));
    },
  });

  table.add({
    method: 'get',
    path: '/api/studies/:id/availability/explain',
    summary: 'Why is this time not offered? Every rule that keeps a start off the booking page',
    tags: ['studies'],
    security,
    middleware: [authenticate],
    params: StudyIdParams,
    query: ExplainQuery,
    responses: {
      200: { description: 'The answer', schema: ExplainResponse },
      400: { description: 'Not a valid start', contentType: 'application/problem+json' },
      404: { description: 'No such study', contentType: 'application/problem+json' },
    },
    handler: async ({ params, query, res }) => {
      const answer = await explainAvailability(
        deps,
        currentResearcherId(res),
        params.id,
        new Date(query.start),
      );
      if (!answer) throw new NotFound('No such study.');
      res.setHeader('Cache-Control', 'no-store');
      res.json(explainJson(answer));
    },
  });

  table.add({
    method: 'patch',
    path: '/api/studies/:id',
    summary:
      'Change a study; null clears horizonDays, startDate/endDate, slotStepMinutes or dailyLimit. New hosts, type or hours apply to bookings made from now on: booked interviews keep their hosts',
    tags: ['studies'],
    security,
    middleware: [authenticate],
    params: StudyIdParams,
    body: PatchStudyBody,
    responses: {
      200: { description: 'Study', schema: StudyResponse },
      400: { description: 'The study would not be valid', contentType: 'application/problem+json' },
      404: { description: 'No such study' },
      409: {
        description: 'A host added has no connected calendar, or a host has no own hours',
        contentType: 'application/problem+json',
      },
    },
    handler: async ({ params, body, res }) => {
      const researcherId = currentResearcherId(res);
      const outcome = await changeStudy(knex, researcherId, params.id, body);
      const study = savedOrThrow(outcome, 'The study would not be valid after this change.');
      res.json(await withCounts(researcherId, study));
    },
  });
}

/**
 * A host list the request got wrong is a 400 like any invalid field; a host who has to
 * connect Google or write their hours first is a 409: the same request works once they have.
 */
export function hostingProblem(refusal: HostingRefusal): AppError {
  const errors = [{ location: 'body', path: refusal.field, message: refusal.message }];
  if (refusal.code === 'host-not-connected' || refusal.code === 'host-hours-missing') {
    return new Conflict(refusal.message, refusal.code, { researcherIds: refusal.researcherIds, errors });
  }
  return new AppError(400, 'Invalid request', refusal.message, `${problemTypeBase}${refusal.code}`, {
    errors,
  });
}
