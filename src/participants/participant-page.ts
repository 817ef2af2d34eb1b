import { findReminderSubscription } from '../reminders/reminder-repository';
import type { Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DeleteEventDeps } from '../bookings/delete-calendar-event';
import type { EncryptionKey } from '../config';
import { AppError, NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { listEmailsOfParticipant } from '../mail/outbox-repository';
import { loadConsentStanding } from '../consent/consent-standing';
import { findResearcher } from '../researchers/researcher-repository';
import { decryptToken } from '../security/token-cipher';
import { hostsOfBooking } from '../bookings/booking-host-repository';
import { listHostWarnings } from '../sync/host-response-repository';
import { findStudy } from '../studies/study-repository';
import { hostNames } from '../interviews/logged-interview-host';
import { listLoggedInterviews } from '../interviews/logged-interview-repository';
import { interviewsReturnPath } from '../interviews/return-path';
import type { Console } from '../web/console-page';
import { sendNotFoundPage } from '../web/page-session';
import { cancelParticipant } from './cancel-participant';
import {
  bookingLinkFlash,
  liveParts,
  renderBookingLinkBody,
  renderParticipantBody,
  type FormError,
  type ParticipantPageView,
} from './participant-page-html';
import {
  findParticipantWithBooking,
  findSealedBookingLink,
  participantVersion,
} from './participant-repository';
import { participantTimeline } from './participant-timeline';
import { reinviteParticipant, type ReinviteDeps } from './reinvite-participant';
import { setManualStatus } from './set-manual-status';
import { PARTICIPANT_STATUSES, ParticipantStatusSchema, STATUS_LABELS } from './status-rules';

export interface ParticipantPageDeps {
  knex: Knex;
  web: Console;
  events: DeleteEventDeps;
  reinvite: ReinviteDeps;
  keys: readonly EncryptionKey[];
}

// Any string: a malformed id is a page that does not exist, like another researcher's.
const IdParams = z.object({ id: z.string() });
const isId = (id: string) => z.uuid().safeParse(id).success;

// Not strict: the form also carries `csrf` (checked by the session guard).
const StatusForm = z.object({
  status: z.unknown().optional(),
  reason: z.unknown().optional(),
  returnTo: z.unknown().optional(),
});
// `returnTo`: the interviews pages post these forms too and want their page back.
const Form = z.object({ returnTo: z.unknown().optional() });
/** The cancel form names the booking it shows, so a stale page cannot cancel another one. */
const CancelForm = Form.extend({ bookingId: z.string().max(100).optional() });

/** The page shows the newest entries; the API pages through all of them. */
const PAGE_TIMELINE_ITEMS = 200;

const html = (description: string) => ({ description, contentType: 'text/html' });
const tags = ['console'];

/**
 * The researcher console's participant page (DESIGN 2a) and its form posts. Every read and
 * every change goes through the same repository functions and use cases as the JSON API;
 * the routes only translate between forms, pages and redirects.
 */
export function registerParticipantPage(table: RouteTable, deps: ParticipantPageDeps): void {
  const { knex, web } = deps;
  const middleware = [web.requireSession];

  async function loadView(res: Response, id: string): Promise<ParticipantPageView | undefined> {
    const session = web.session(res);
    if (!isId(id)) return undefined;
    const participant = await findParticipantWithBooking(knex, session.researcherId, id);
    if (!participant) return undefined;
    const [study, researcher, timeline, emails, link, version] = await Promise.all([
      findStudy(knex, session.researcherId, participant.studyId),
      findResearcher(knex, session.researcherId),
      participantTimeline(knex, session.researcherId, participant.id, { limit: PAGE_TIMELINE_ITEMS }),
      listEmailsOfParticipant(knex, participant.id),
      findSealedBookingLink(knex, session.researcherId, participant.id),
      participantVersion(knex, session.researcherId, participant.id),
    ]);
    const reminders = await findReminderSubscription(knex, participant.id);
    const loggedRows = await listLoggedInterviews(knex, participant.id);
    const names = await hostNames(
      knex,
      loggedRows.map((interview) => interview.hostId),
    );
    const logged = loggedRows.map((interview) => ({
      ...interview,
      hostName: names.get(interview.hostId) ?? '',
    }));
    const hostWarnings = participant.booking
      ? ((await listHostWarnings(knex, [participant.booking.id])).get(participant.booking.id) ?? [])
      : [];
    const bookingHosts = participant.booking ? await hostsOfBooking(knex, participant.booking.id) : [];
    if (!study) return undefined;
    const consent = await loadConsentStanding(knex, participant, study);
    return {
      participant,
      study: { id: study.id, title: study.title, timeZone: study.timeZone },
      researcher: { id: session.researcherId, name: researcher?.name || researcher?.email || '' },
      timeline,
      emails,
      hasStoredLink: link !== undefined,
      consent,
      csrf: session.csrf,
      timeZone: session.timeZone ?? study.timeZone,
      researcherChoseZone: session.timeZone !== null,
      version: version ?? '',
      remindersUnsubscribedAt: reminders?.unsubscribedAt ?? null,
      loggedInterviews: logged,
      hostWarnings,
      bookingHosts,
    };
  }

  async function storedLink(res: Response, id: string): Promise<string | undefined> {
    const sealed = await findSealedBookingLink(knex, web.session(res).researcherId, id);
    return sealed ? decryptToken(sealed, deps.keys) : undefined;
  }

  /** Re-renders the page with a refused form: the error beside its field and in the summary. */
  async function sendRefusal(
    req: Parameters<Console['sendPage']>[0],
    res: Response,
    id: string,
    status: number,
    error: FormError,
  ): Promise<void> {
    const view = await loadView(res, id);
    if (!view) return sendNotFoundPage(res, 'participant');
    web.sendPage(
      req,
      res,
      {
        title: `Error: ${view.participant.name}`,
        current: 'studies',
        body: renderParticipantBody(view, error),
      },
      status,
    );
  }

  /** The use cases name statuses by their API values ("no_show"); the page uses the labels. */
  function inWords(message: string): string {
    return PARTICIPANT_STATUSES.reduce(
      (text, status) => text.replaceAll(`"${status}"`, `"${STATUS_LABELS[status]}"`),
      message,
    );
  }

  /** A use case's refusal (409 and the like) is shown on the page; "not found" is the 404 page. */
  function refusalOf(error: unknown): AppError | undefined {
    if (error instanceof NotFound) return undefined;
    return error instanceof AppError && error.status < 500 ? error : undefined;
  }

  /**
   * Runs the use case of one Actions form. True when it was done; otherwise the answer is
   * already sent: the 404 page, or the page again with the refusal beside the form's field.
   */
  async function attempt(
    req: Parameters<Console['sendPage']>[0],
    res: Response,
    id: string,
    work: () => Promise<unknown>,
    refused: (message: string) => FormError,
  ): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      if (error instanceof NotFound) {
        sendNotFoundPage(res, 'participant');
        return false;
      }
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      await sendRefusal(req, res, id, refusal.status, refused(refusal.message));
      return false;
    }
  }

  table.add({
    method: 'get',
    path: '/participants/:id',
    summary: 'The participant page: status, interview, emails, history and the actions (HTML)',
    tags,
    middleware,
    params: IdParams,
    responses: {
      200: html('The page'),
      303: { description: 'Signed out: to the sign-in page' },
      404: html('Not found'),
    },
    handler: async ({ params, req, res }) => {
      const view = await loadView(res, params.id);
      if (!view) return sendNotFoundPage(res, 'participant');
      const flash = web.takeFlash(req, res);
      const flashBody = flash
        ? bookingLinkFlash(
            flash.message,
            flash.show === 'booking-link' ? await storedLink(res, view.participant.id) : undefined,
          )
        : undefined;
      web.sendPage(req, res, {
        title: view.participant.name,
        current: 'studies',
        body: renderParticipantBody(view),
        flash: flashBody,
      });
    },
  });

  table.add({
    method: 'get',
    path: '/participants/:id/live',
    summary: "The participant page's live parts, when they changed since `since` (JSON)",
    tags,
    middleware,
    params: IdParams,
    query: z.object({ since: z.string().max(100).optional() }),
    responses: {
      200: {
        description: 'What changed',
        schema: z.object({
          version: z.string(),
          parts: z.record(z.string(), z.string()),
          announcement: z.string(),
        }),
      },
      204: { description: 'Nothing changed' },
      404: { description: 'No such participant' },
    },
    handler: async ({ params, query, res }) => {
      const session = web.session(res);
      const version = isId(params.id)
        ? await participantVersion(knex, session.researcherId, params.id)
        : undefined;
      if (version === undefined) throw new NotFound('No such participant.');
      if (version === query.since) return void res.status(204).end();
      const view = await loadView(res, params.id);
      if (!view) throw new NotFound('No such participant.');
      res.json({
        version: view.version,
        parts: liveParts(view),
        announcement: `Updated: ${view.participant.name} is ${STATUS_LABELS[view.participant.status]}.`,
      });
    },
  });

  table.add({
    method: 'get',
    path: '/participants/:id/booking-link',
    summary: "The participant's current booking link, decrypted (HTML page, or JSON for the copy button)",
    tags,
    middleware,
    params: IdParams,
    responses: {
      200: html('The link'),
      404: html('No such participant, or no link stored'),
    },
    handler: async ({ params, req, res }) => {
      const view = isId(params.id)
        ? await findParticipantWithBooking(knex, web.session(res).researcherId, params.id)
        : undefined;
      if (!view) return sendNotFoundPage(res, 'participant');
      const bookingUrl = await storedLink(res, view.id);
      if (req.accepts(['text/html', 'application/json']) === 'application/json') {
        if (!bookingUrl) throw new NotFound('No link stored: re-invite to make a new one.');
        return void res.json({ bookingUrl });
      }
      web.sendPage(
        req,
        res,
        {
          title: `Booking link of ${view.name}`,
          current: 'studies',
          body: renderBookingLinkBody(view, bookingUrl),
        },
        bookingUrl ? 200 : 404,
      );
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/status',
    summary: 'Update Participant Status (HTML form): the same use case as POST /api/participants/:id/status',
    tags,
    middleware,
    params: IdParams,
    body: StatusForm,
    responses: {
      303: { description: 'Updated: back to the page with a message' },
      400: html('The form is not valid (the page, with the error)'),
      403: html('Missing or wrong CSRF token'),
      404: html('Not found'),
      409: html('Refused (the page, with the reason)'),
    },
    handler: async ({ params, body, req, res }) => {
      if (!isId(params.id)) return sendNotFoundPage(res, 'participant');
      const reasonText = typeof body.reason === 'string' ? body.reason.trim() : '';
      const posted = { status: typeof body.status === 'string' ? body.status : '', reason: reasonText };
      const status = ParticipantStatusSchema.safeParse(body.status);
      if (!status.success) {
        return sendRefusal(req, res, params.id, 400, {
          panel: 'status',
          fieldId: 'status',
          message: 'Choose a status',
          values: posted,
        });
      }
      if (reasonText.length > 500) {
        return sendRefusal(req, res, params.id, 400, {
          panel: 'status',
          fieldId: 'reason',
          message: 'The reason must be 500 characters or fewer',
          values: posted,
        });
      }
      const done = await attempt(
        req,
        res,
        params.id,
        () =>
          setManualStatus(deps.events, web.session(res).researcherId, {
            participantId: params.id,
            status: status.data,
            reason: reasonText || undefined,
          }),
        (message) => ({ panel: 'status', fieldId: 'status', message: inWords(message), values: posted }),
      );
      if (!done) return;
      web.flash(res, { message: `Status updated to ${STATUS_LABELS[status.data]}` });
      res.redirect(303, interviewsReturnPath(body.returnTo) ?? `/participants/${params.id}`);
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/cancel',
    summary: 'Cancel interview (HTML form): the same use case as POST /api/participants/:id/cancel',
    tags,
    middleware,
    params: IdParams,
    body: CancelForm,
    responses: {
      303: { description: 'Cancelled: back to the page with a message' },
      403: html('Missing or wrong CSRF token'),
      404: html('Not found'),
      409: html('Refused: the interview shown is no longer the live one (the page, with the reason)'),
    },
    handler: async ({ params, body, req, res }) => {
      if (!isId(params.id)) return sendNotFoundPage(res, 'participant');
      const researcherId = web.session(res).researcherId;
      const done = await attempt(
        req,
        res,
        params.id,
        () =>
          cancelParticipant(deps.events, researcherId, {
            participantId: params.id,
            source: 'researcher',
            actor: researcherId,
            reason: null,
            bookingId: body.bookingId || undefined,
          }),
        (message) => ({ panel: 'cancel', fieldId: 'cancel-submit', message }),
      );
      if (!done) return;
      web.flash(res, { message: 'Interview canceled. Google tells the participant and the guests.' });
      res.redirect(303, interviewsReturnPath(body.returnTo) ?? `/participants/${params.id}`);
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/reinvite',
    summary: 'Re-invite (HTML form): the same use case as POST /api/participants/:id/reinvite',
    tags,
    middleware,
    params: IdParams,
    body: Form,
    responses: {
      303: { description: 'Re-invited: back to the page, which shows the new link' },
      403: html('Missing or wrong CSRF token'),
      404: html('Not found'),
      409: html('Refused: an interview is booked (the page, with the reason)'),
    },
    handler: async ({ params, req, res }) => {
      if (!isId(params.id)) return sendNotFoundPage(res, 'participant');
      const done = await attempt(
        req,
        res,
        params.id,
        () => reinviteParticipant(deps.reinvite, web.session(res).researcherId, params.id),
        (message) => ({ panel: 'reinvite', fieldId: 'reinvite-submit', message }),
      );
      if (!done) return;
      web.flash(res, {
        message:
          'Re-invited: a new booking link was made and is being emailed. The old link no longer works.',
        show: 'booking-link',
      });
      res.redirect(303, `/participants/${params.id}`);
    },
  });
}
