import type { Response } from 'express';
import type { Knex } from 'knex';
import { InstantSchema } from '../http/instant';
import { z } from 'zod';
import { computeSlots, TimeZoneSchema } from '../availability';
import { loadBusyEvents } from '../busy/busy-cache';
import { GoogleNotConnected, type GoogleAccess } from '../connections/google-access';
import { RESEARCHER_UNAVAILABLE } from './finish-booking';
import { GoogleApiError } from '../google';
import { admittedRequest, createAdmission } from '../http/admission';
import { IdempotencyKeySchema, withIdempotency } from '../http/idempotency';
import { Invalid, Unavailable } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { createSharedRateCounter } from '../http/shared-rate-counter';
import type { RouteTable } from '../http/route-table';
import { cancelParticipant } from '../participants/cancel-participant';
import { linkRefusalView } from '../participants/link-refusal';
import type { LiveBooking } from '../participants/participant-repository';
import { decideLinkChange, interviewTiming, STATUS_LABELS } from '../participants/status-rules';
import { sha256Hex } from '../security/secrets';
import { consentToAsk } from '../consent/booking-consent';
import { bookInterview, type BookDeps } from './book-interview';
import { findLastBookingFailure } from './booking-failure';
import { findLastCancellation } from './last-cancellation';
import type { Booking } from './booking-repository';
import { resolveBookingLink } from './booking-link';
import { listHostSlots } from './host-availability';
import { calendarPlan, hostNamedToParticipant } from './booking-organizer';
import { linkForHost } from './book-with-hosts';
import { bookingRange, otherBookings, slotListRange, slotQueryFor } from './slot-query';

export interface BookingRouteDeps extends BookDeps {
  knex: Knex;
  access: GoogleAccess;
  /** Requests per minute per client address and per booking link. */
  limits: { perAddress: number; perToken: number };
  /** Booking requests run at once (bounded admission, src/http/admission.ts). */
  concurrency: number;
}

/**
 * The booking's deps for one admitted request: its waits between Google retries give its
 * admission place to the next participant (Google down must not stall every booking behind
 * the ones backing off).
 */
function givingWaitsAway(deps: BookDeps, res: Response): BookDeps {
  const admitted = admittedRequest(res);
  if (!admitted) return deps;
  return { ...deps, retry: { ...deps.retry, whileWaiting: (wait) => admitted.whileWaiting(wait) } };
}

const TokenParams = z.object({ token: z.string().min(1).max(200) });
const SlotsQuery = z.strictObject({
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
});
const BookBody = z.strictObject({
  start: InstantSchema,
  timeZone: TimeZoneSchema.optional(),
  consent: z
    .strictObject({
      version: z.number().int().min(1).describe('The consent version shown (GET /api/booking/:token)'),
      // false is well-formed but not consent: answered as consent-required, like a missing one.
      accepted: z.boolean().describe('true when the participant ticked the box'),
    })
    .optional()
    .describe(
      'Required when the study asks for consent and this participant has not agreed to the current version',
    ),
});
const BookingJson = z.object({
  id: z.uuid(),
  start: z.string(),
  end: z.string(),
  meetUrl: z.string().nullable(),
  status: z.enum(['pending', 'confirmed']),
});
const ViewJson = z.object({
  participant: z.object({ name: z.string(), status: z.string(), statusLabel: z.string() }),
  study: z.object({ title: z.string(), durationMinutes: z.number(), timeZone: z.string() }),
  researcher: z.object({ name: z.string() }),
  booking: BookingJson.nullable(),
  consent: z
    .object({ version: z.number(), text: z.string() })
    .nullable()
    .describe(
      'The consent to agree to before booking (plain text; send its version with the booking), or null when the study asks none',
    ),
  bookingFailure: z
    .object({ start: z.string(), end: z.string(), at: z.string(), detail: z.string() })
    .nullable()
    .describe(
      'When the last booking could not be made (the calendar refused it) and nothing was booked since: the time it was for and what to tell the participant',
    ),
  cancellation: z
    .object({
      by: z.enum(['you', 'declined', 'calendar', 'researcher']),
      at: z.string(),
      start: z.string().nullable(),
      end: z.string().nullable(),
    })
    .nullable()
    .describe(
      'While the participant is canceled: who ended the interview (this link, a decline in the calendar, the calendar, the research team), when, and the time it was for',
    ),
  canChange: z.boolean().describe('Whether this link may still book, move or cancel'),
  cannotChangeReason: z
    .object({ type: z.string(), detail: z.string() })
    .nullable()
    .describe('Why not: the problem type a booking or cancel would answer, and its words'),
});

const problem = (description: string) => ({ description, contentType: 'application/problem+json' });
const linkProblems = {
  404: problem('Unknown link'),
  410: problem('Expired link, closed study, or a link a re-invite replaced (newLinkSentAt)'),
  429: problem('Too many requests'),
};

function bookingJson(booking: Booking | LiveBooking): z.infer<typeof BookingJson> {
  return {
    id: booking.id,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    meetUrl: booking.meetUrl,
    status: booking.state === 'confirmed' ? 'confirmed' : 'pending',
  };
}

export function registerBookingRoutes(table: RouteTable, deps: BookingRouteDeps): void {
  const { knex } = deps;
  const { limits } = deps;
  // Counted in PostgreSQL, so the limits hold for all instances together.
  const counter = createSharedRateCounter({ knex, logger: deps.logger });
  const byAddress = rateLimit(
    { name: 'per address', limit: limits.perAddress, windowMs: 60_000, key: (req) => req.ip ?? 'unknown' },
    counter,
  );
  const byToken = rateLimit(
    { name: 'per link', limit: limits.perToken, windowMs: 60_000, key: (req) => String(req.params.token) },
    counter,
  );
  const middleware = [byAddress, byToken];
  // After the rate limits: a refused request never waits for a turn.
  const bookingAdmission = createAdmission(deps.concurrency);

  table.add({
    method: 'get',
    path: '/api/booking/:token',
    summary: 'What the booking link opens: study, participant, current booking',
    tags: ['booking'],
    params: TokenParams,
    middleware,
    responses: { 200: { description: 'The booking view', schema: ViewJson }, ...linkProblems },
    handler: async ({ params, res }) => {
      const now = new Date();
      const link = await resolveBookingLink(knex, params.token, now);
      const booking = link.liveBooking;
      // Reads that do not depend on each other go out together: one round trip, not four.
      const [failure, cancellation, consent, hostName] = await Promise.all([
        booking ? undefined : findLastBookingFailure(knex, link.participant.id),
        !booking && link.participant.status === 'canceled'
          ? findLastCancellation(knex, link.participant.id)
          : undefined,
        consentToAsk(knex, link.study),
        hostNamedToParticipant(knex, link),
      ]);
      const change = decideLinkChange({
        action: 'book',
        status: link.participant.status,
        interview: interviewTiming(booking, now),
      });
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        participant: {
          name: link.participant.name,
          status: link.participant.status,
          statusLabel: STATUS_LABELS[link.participant.status],
        },
        study: {
          title: link.study.title,
          durationMinutes: link.study.durationMinutes,
          timeZone: link.study.timeZone,
        },
        // Who would like to talk: the booked interview's organizer, else the study's organizer
        // or a round robin's team (any host may take it).
        researcher: { name: hostName },
        booking: booking ? bookingJson(booking) : null,
        consent: consent ? { version: consent.version, text: consent.text } : null,
        bookingFailure: failure
          ? {
              start: failure.start.toISOString(),
              end: failure.end.toISOString(),
              at: failure.at.toISOString(),
              detail: failure.detail,
            }
          : null,
        cancellation: cancellation
          ? {
              by: cancellation.by,
              at: cancellation.at.toISOString(),
              start: cancellation.start?.toISOString() ?? null,
              end: cancellation.end?.toISOString() ?? null,
            }
          : null,
        canChange: change.kind === 'allow',
        cannotChangeReason: change.kind === 'refuse' ? linkRefusalView(change.reason) : null,
      });
    },
  });

  table.add({
    method: 'get',
    path: '/api/booking/:token/slots',
    summary: 'Free interview slots (UTC instants; timeZone is echoed for the viewer)',
    tags: ['booking'],
    params: TokenParams,
    query: SlotsQuery,
    middleware,
    responses: {
      200: {
        description: 'Slots',
        schema: z.object({
          timeZone: z.string(),
          slots: z.array(z.object({ start: z.string(), end: z.string() })),
        }),
      },
      ...linkProblems,
      503: problem("The researcher's calendar cannot be read now"),
    },
    handler: async ({ params, query, res }) => {
      const now = new Date();
      const studyLink = await resolveBookingLink(knex, params.token, now);
      const from = query.from ? new Date(query.from) : undefined;
      const to = query.to ? new Date(query.to) : undefined;
      if (from && to && from >= to) {
        throw new Invalid('from must be before to.', [
          { location: 'query', path: 'to', message: 'must be after from' },
        ]);
      }
      const current = studyLink.liveBooking;
      const plan = await calendarPlan(knex, studyLink.study, current, studyLink);
      if (plan.kind === 'hosts') {
        // Every host's calendar and interviews; the answer names no host and no count.
        const slots = await calendarRead(() =>
          listHostSlots(deps, studyLink.study, current, studyLink.participant.id, now, { from, to }),
        );
        res.setHeader('Cache-Control', 'no-store');
        res.json({
          timeZone: query.timeZone ?? studyLink.study.timeZone,
          slots: slots.map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
        });
        return;
      }
      // A study left without hosts takes no bookings (its link names no calendar).
      if (!plan.organizerId) throw new GoogleNotConnected(RESEARCHER_UNAVAILABLE);
      // One calendar: the interview's own organizer when it is moved, else the study's.
      const link =
        plan.organizerId !== studyLink.researcher.id
          ? await linkForHost(knex, studyLink, plan.organizerId)
          : studyLink;
      // Busy time for the whole horizon (one cache entry serves every view of it); bookings
      // only for the days asked for.
      const range = bookingRange(link.study, now);
      const bookingsRange = slotListRange(link.study, now, { from, to });
      const slots = await calendarRead(() =>
        deps.access.withCalendar(
          link.researcher.id,
          async (calendar) => {
            const [busyEvents, bookings] = await Promise.all([
              loadBusyEvents(knex, calendar, range.from, range.to, now),
              otherBookings(knex, link.researcher.id, bookingsRange, link.participant.id),
            ]);
            return computeSlots(
              slotQueryFor({
                study: link.study,
                busyEvents,
                bookings,
                now,
                ...(from ? { from } : {}),
                ...(to ? { to } : {}),
              }),
            );
          },
          link.connection,
        ),
      );
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        timeZone: query.timeZone ?? link.study.timeZone,
        slots: slots.map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
      });
    },
  });

  table.add({
    method: 'post',
    path: '/api/booking/:token',
    summary: 'Book (or move) the interview; Idempotency-Key repeats the first answer',
    tags: ['booking'],
    params: TokenParams,
    body: BookBody,
    middleware: [...middleware, bookingAdmission.middleware],
    responses: {
      201: {
        description: 'Booked, on the calendar with a Meet link',
        schema: z.object({ booking: BookingJson }),
      },
      202: {
        description: 'Held; the calendar event follows shortly',
        schema: z.object({ booking: BookingJson }),
      },
      400: problem(
        'Not valid, or the study asks for consent and none was given (consent-required): nothing is booked',
      ),
      409: problem(
        'The slot was taken meanwhile, the interview has started (interview-started), a verdict is recorded (status-final), or the consent text changed since it was shown (consent-outdated: show it again)',
      ),
      ...linkProblems,
      502: problem(
        "The researcher's calendar refused the interview for good (calendar-refused): nothing is booked, the time is free again",
      ),
      503: problem("The researcher's calendar is not connected"),
    },
    handler: async ({ params, body, req, res }) => {
      const key = req.get('idempotency-key');
      const parsedKey = key === undefined ? undefined : IdempotencyKeySchema.safeParse(key);
      if (parsedKey && !parsedKey.success) {
        throw new Invalid('The Idempotency-Key header is not valid.', [
          {
            location: 'headers',
            path: 'Idempotency-Key',
            message: parsedKey.error.issues[0]?.message ?? 'invalid',
          },
        ]);
      }
      const answer = await withIdempotency(
        knex,
        { scope: `booking:${sha256Hex(params.token)}`, key: parsedKey?.data, body },
        async () => {
          const result = await calendarRead(() =>
            bookInterview(givingWaitsAway(deps, res), params.token, new Date(body.start), {
              consent: body.consent,
              timeZone: body.timeZone,
            }),
          );
          return { status: result.status, body: { booking: bookingJson(result.booking) } };
        },
      );
      if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(answer.status).json(answer.body);
    },
  });

  table.add({
    method: 'post',
    path: '/api/booking/:token/cancel',
    summary: 'The participant cancels their interview (they may book again while the study is open)',
    tags: ['booking'],
    params: TokenParams,
    middleware,
    responses: {
      200: {
        description: 'Cancelled',
        schema: z.object({ booking: z.null(), participant: ViewJson.shape.participant }),
      },
      409: problem(
        'No interview is booked (no-booking), it has started (interview-started), or a verdict is recorded (status-final)',
      ),
      ...linkProblems,
    },
    handler: async ({ params, res }) => {
      const now = new Date();
      const link = await resolveBookingLink(knex, params.token, now, { allowClosed: true });
      const participant = await cancelParticipant(deps, link.researcher.id, {
        participantId: link.participant.id,
        source: 'participant',
        actor: link.participant.email,
        reason: 'cancelled from the booking link',
        now,
      });
      res.json({
        booking: null,
        participant: {
          name: participant.name,
          status: participant.status,
          statusLabel: STATUS_LABELS[participant.status],
        },
      });
    },
  });
}

/** A Google hiccup while reading the calendar is a clear 503, not a 500. */
async function calendarRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof GoogleApiError) {
      throw new Unavailable(
        "The researcher's calendar cannot be reached right now. Please try again in a minute.",
        'calendar-unavailable',
      );
    }
    throw error;
  }
}
