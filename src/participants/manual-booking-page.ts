import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { bookForParticipant, CalendarOverlapFound, NotOffered } from '../bookings/book-for-participant';
import type { BookDeps } from '../bookings/book-interview';
import type { CalendarOverlap } from '../bookings/slot-recheck';
import { readExplainInput } from '../console/slot-explain-panel';
import { AppError, Invalid, NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { logPastInterview } from '../interviews/log-past-interview';
import { explainAvailability, type AvailabilityAnswer } from '../studies/explain-availability';
import { findStudy } from '../studies/study-repository';
import type { Console } from '../web/console-page';
import { formatInterval } from '../web/format-time';
import { sendNotFoundPage } from '../web/page-session';
import {
  renderBookPage,
  renderLogPage,
  type BookPageView,
  type FieldProblem,
  type LogPageView,
  type ManualPageSubject,
} from './manual-booking-page-html';
import { hostChoices } from './host-choices';
import { logValues, readLogForm } from './log-form';
import { findLiveBooking, findParticipant } from './participant-repository';
import { STATUS_LABELS } from './status-rules';

export interface ManualBookingPageDeps {
  knex: Knex;
  web: Console;
  book: BookDeps;
}

const IdParams = z.object({ id: z.string() });
const isId = (id: string) => z.uuid().safeParse(id).success;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
// Not strict: the forms also carry `csrf` (checked by the session guard).
const BookForm = z.object({
  date: z.unknown().optional(),
  time: z.unknown().optional(),
  overrideReason: z.unknown().optional(),
  confirmOverlap: z.unknown().optional(),
  intent: z.unknown().optional(),
});
const LogForm = z.object({
  date: z.unknown().optional(),
  time: z.unknown().optional(),
  duration: z.unknown().optional(),
  status: z.unknown().optional(),
  note: z.unknown().optional(),
  hostId: z.unknown().optional(),
});

const page = (description: string) => ({ description, contentType: 'text/html' });
const tags = ['console'];

/**
 * The participant page's "Book interview" and "Log past interview" (issue 15): plain forms
 * on the same use cases as POST /api/participants/:id/booking and /logged-interview; the
 * routes only read the form, call the use case and show its answer or refusal.
 */
export function registerManualBookingPages(table: RouteTable, deps: ManualBookingPageDeps): void {
  const { knex, web } = deps;
  const middleware = [web.requireSession];

  async function subjectOf(res: Response, id: string) {
    const session = web.session(res);
    if (!isId(id)) return undefined;
    const participant = await findParticipant(knex, session.researcherId, id);
    const study = participant ? await findStudy(knex, session.researcherId, participant.studyId) : undefined;
    if (!participant || !study) return undefined;
    const subject: ManualPageSubject = {
      participant: { id: participant.id, name: participant.name },
      study: { title: study.title, timeZone: study.timeZone, durationMinutes: study.durationMinutes },
      csrf: session.csrf,
    };
    return { subject, study, researcherId: session.researcherId };
  }

  function sendBook(req: Request, res: Response, view: BookPageView, status = 200) {
    const title = `${view.errors.length > 0 ? 'Error: ' : ''}Book interview: ${view.participant.name}`;
    web.sendPage(req, res, { title, current: 'studies', body: renderBookPage(view) }, status);
  }

  table.add({
    method: 'get',
    path: '/participants/:id/book',
    summary:
      'Book interview (HTML form): date and time in the study’s zone, whether it is offered, an override reason',
    tags,
    middleware,
    params: IdParams,
    responses: { 200: page('The form'), 404: page('Not found') },
    handler: async ({ params, req, res }) => {
      const found = await subjectOf(res, params.id);
      if (!found) return sendNotFoundPage(res, 'participant');
      sendBook(
        req,
        res,
        bookView(found.subject, { date: '', time: '', overrideReason: '', confirmOverlap: false }),
      );
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/book',
    summary:
      'Book interview (HTML form): `intent=check` shows whether the time is offered; `intent=book` books it (the use case of POST /api/participants/:id/booking)',
    tags,
    middleware,
    params: IdParams,
    body: BookForm,
    responses: {
      200: page('The checked time'),
      303: { description: 'Booked: back to the participant with a message' },
      400: page('The form is not valid'),
      403: page('Missing or wrong CSRF token'),
      404: page('Not found'),
      409: page('Refused: not offered, a calendar overlap, or the time is taken (the form, with the reason)'),
    },
    handler: async ({ params, body, req, res }) => {
      const found = await subjectOf(res, params.id);
      if (!found) return sendNotFoundPage(res, 'participant');
      const { subject, study, researcherId } = found;
      const values = {
        date: text(body.date),
        time: text(body.time),
        overrideReason: text(body.overrideReason),
        confirmOverlap: body.confirmOverlap === 'yes',
      };
      const input = readExplainInput(study, { whyDate: values.date, whyTime: values.time });
      const errors: FieldProblem[] =
        input.kind === 'invalid'
          ? input.errors.map(({ fieldId, message }) => ({ fieldId: fieldId.slice(4), message }))
          : [];
      if (input.kind === 'none')
        errors.push({ fieldId: 'date', message: 'Enter a date, for example 2026-12-08' });
      if (values.overrideReason.length > 500) {
        errors.push({ fieldId: 'overrideReason', message: 'The reason must be 500 characters or fewer' });
      }
      if (errors.length > 0 || input.kind !== 'start')
        return sendBook(req, res, bookView(subject, values, { errors }), 400);

      // A participant's live interview is judged with its own hosts, as the booking will be.
      const current = await findLiveBooking(deps.book.knex, subject.participant.id);
      const answer = await explainAvailability(deps.book, researcherId, study.id, input.start, new Date(), {
        excludeParticipantId: subject.participant.id,
        current,
      });
      if (body.intent !== 'book') {
        return sendBook(req, res, bookView(subject, values, { answer, overlaps: busyEventsOf(answer) }));
      }
      try {
        const result = await bookForParticipant(deps.book, researcherId, {
          participantId: subject.participant.id,
          start: input.start,
          overrideReason: values.overrideReason || undefined,
          confirmOverlap: values.confirmOverlap,
        });
        const when = formatInterval(result.booking.start, result.booking.end, study.timeZone);
        web.flash(res, {
          message:
            result.status === 201
              ? `Interview booked for ${when}. Google sends the invitation with Google Meet.`
              : `Interview held for ${when}; it is being added to Google Calendar.`,
        });
        res.redirect(303, `/participants/${subject.participant.id}`);
      } catch (error) {
        if (error instanceof NotFound) return sendNotFoundPage(res, 'participant');
        if (error instanceof NotOffered) {
          const problem = {
            fieldId: 'overrideReason',
            message: 'This time is not offered: give a reason to book it anyway',
          };
          return sendBook(req, res, bookView(subject, values, { answer, errors: [problem] }), 409);
        }
        if (error instanceof CalendarOverlapFound) {
          const problem = {
            fieldId: 'confirmOverlap',
            message: 'Your calendar has an event at this time: tick the box to book anyway',
          };
          return sendBook(
            req,
            res,
            bookView(subject, values, { answer, overlaps: error.overlaps, errors: [problem] }),
            409,
          );
        }
        if (!(error instanceof AppError)) throw error;
        return sendBook(
          req,
          res,
          bookView(subject, values, { answer, errors: [{ fieldId: 'date', message: error.message }] }),
          error.status,
        );
      }
    },
  });

  function sendLog(req: Request, res: Response, view: LogPageView, status = 200) {
    const title = `${view.errors.length > 0 ? 'Error: ' : ''}Log past interview: ${view.participant.name}`;
    web.sendPage(req, res, { title, current: 'studies', body: renderLogPage(view) }, status);
  }

  table.add({
    method: 'get',
    path: '/participants/:id/log-interview',
    summary: 'Log past interview (HTML form): when, how long, Completed or No Show',
    tags,
    middleware,
    params: IdParams,
    responses: { 200: page('The form'), 404: page('Not found') },
    handler: async ({ params, req, res }) => {
      const found = await subjectOf(res, params.id);
      if (!found) return sendNotFoundPage(res, 'participant');
      const values = {
        date: '',
        time: '',
        duration: String(found.study.durationMinutes),
        status: 'completed',
        note: '',
        hostId: found.researcherId,
      };
      const hosts = await hostChoices(knex, found.study.teamId);
      sendLog(req, res, { ...found.subject, values, hosts, errors: [] });
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/log-interview',
    summary: 'Log past interview (HTML form): the use case of POST /api/participants/:id/logged-interview',
    tags,
    middleware,
    params: IdParams,
    body: LogForm,
    responses: {
      303: { description: 'Logged: back to the participant with a message' },
      400: page('The form is not valid (e.g. a time in the future)'),
      403: page('Missing or wrong CSRF token'),
      404: page('Not found'),
      409: page('Refused: an interview is booked (the form, with the reason)'),
    },
    handler: async ({ params, body, req, res }) => {
      const found = await subjectOf(res, params.id);
      if (!found) return sendNotFoundPage(res, 'participant');
      const { study, researcherId } = found;
      const hosts = await hostChoices(knex, study.teamId);
      const subject = { ...found.subject, hosts };
      const values = logValues(body);
      const form = readLogForm(
        study,
        values,
        hosts.map((host) => host.id),
      );
      if (form.kind === 'invalid') return sendLog(req, res, { ...subject, values, errors: form.errors }, 400);
      const verdict = form.verdict;
      try {
        await logPastInterview({ knex }, researcherId, {
          participantId: subject.participant.id,
          start: form.start,
          end: form.end,
          status: verdict,
          note: form.note || undefined,
          hostId: form.hostId,
        });
      } catch (error) {
        if (error instanceof NotFound) return sendNotFoundPage(res, 'participant');
        if (!(error instanceof AppError)) throw error;
        // A host who left the team after the form was read is refused by the use case.
        const badHost = error instanceof Invalid && error.errors.some((e) => e.path === 'hostId');
        const message = badHost
          ? 'Choose a host from the study’s team'
          : error instanceof Invalid
            ? 'The interview must have started in the past'
            : error.message;
        return sendLog(
          req,
          res,
          { ...subject, values, errors: [{ fieldId: badHost ? 'hostId' : 'date', message }] },
          error.status,
        );
      }
      web.flash(res, { message: `Interview logged: ${STATUS_LABELS[verdict]}.` });
      res.redirect(303, `/participants/${subject.participant.id}`);
    },
  });
}

function bookView(
  subject: ManualPageSubject,
  values: BookPageView['values'],
  found: Partial<Pick<BookPageView, 'answer' | 'overlaps' | 'errors'>> = {},
): BookPageView {
  return { ...subject, values, answer: found.answer, overlaps: found.overlaps, errors: found.errors ?? [] };
}

/** The calendar events the check found in the way: the "book anyway" box shows at once. */
function busyEventsOf(answer: AvailabilityAnswer | undefined): CalendarOverlap[] {
  return (answer?.reasons ?? [])
    .filter((reason) => reason.code === 'busy-event')
    .map((reason) => ({
      title: typeof reason.details.title === 'string' ? reason.details.title : null,
      start: new Date(String(reason.details.start)),
      end: new Date(String(reason.details.end)),
    }));
}
