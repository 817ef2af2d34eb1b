import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, Conflict, Invalid, NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { deleteLoggedInterviewOf } from '../interviews/delete-logged-interview';
import { editLoggedInterview } from '../interviews/edit-logged-interview';
import { explainDeletion, explainEdit } from '../interviews/logged-interview-effects';
import {
  findLoggedInterview,
  statusRowsNewestFirst,
  type LoggedInterview,
} from '../interviews/logged-interview-repository';
import { verdictStanding } from '../interviews/logged-interview-rules';
import { findStudy } from '../studies/study-repository';
import type { Console } from '../web/console-page';
import { formatInterval } from '../web/format-time';
import { sendNotFoundPage } from '../web/page-session';
import { renderDeleteLoggedPage, type DeleteLoggedView } from './logged-interview-pages-html';
import { hostChoices } from './host-choices';
import { logValues, readLogForm, valuesOfLogged } from './log-form';
import { renderLogPage, type FieldProblem, type LogPageView } from './manual-booking-page-html';
import { findParticipant } from './participant-repository';
import { STATUS_LABELS } from './status-rules';

export interface LoggedInterviewPageDeps {
  knex: Knex;
  web: Console;
}

const Params = z.object({ id: z.string(), loggedInterviewId: z.string() });
const isId = (id: string) => z.uuid().safeParse(id).success;
// Not strict: the forms also carry `csrf` (checked by the session guard).
const EditForm = z.object({
  date: z.unknown().optional(),
  time: z.unknown().optional(),
  duration: z.unknown().optional(),
  status: z.unknown().optional(),
  note: z.unknown().optional(),
  hostId: z.unknown().optional(),
  version: z.unknown().optional(),
});
const DeleteForm = z.object({ version: z.unknown().optional() });

const page = (description: string) => ({ description, contentType: 'text/html' });
const tags = ['console'];
const versionOf = (value: unknown) =>
  typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;

/**
 * Edit and Delete of a logged interview on the participant page (issue 15): plain forms on
 * the same use cases as PATCH and DELETE /api/participants/:id/logged-interviews/:id. Each
 * form carries the version it showed, so a change made meanwhile (another tab, a colleague,
 * a script) is shown to the researcher instead of being overwritten or deleted unseen.
 */
export function registerLoggedInterviewPages(table: RouteTable, deps: LoggedInterviewPageDeps): void {
  const { knex, web } = deps;
  const middleware = [web.requireSession];

  async function load(res: Response, params: z.infer<typeof Params>) {
    const session = web.session(res);
    if (!isId(params.id) || !isId(params.loggedInterviewId)) return undefined;
    const participant = await findParticipant(knex, session.researcherId, params.id);
    if (!participant) return undefined;
    const [study, interview] = await Promise.all([
      findStudy(knex, session.researcherId, participant.studyId),
      findLoggedInterview(knex, participant.id, params.loggedInterviewId),
    ]);
    if (!study || !interview) return undefined;
    const subject = {
      participant: { id: participant.id, name: participant.name },
      study: { title: study.title, timeZone: study.timeZone, durationMinutes: study.durationMinutes },
      csrf: session.csrf,
      hosts: await hostChoices(knex, study.teamId),
    };
    return { participant, study, interview, subject, researcherId: session.researcherId };
  }

  function sendEdit(req: Request, res: Response, view: LogPageView, status = 200) {
    const title = `${view.errors.length > 0 ? 'Error: ' : ''}Edit logged interview: ${view.participant.name}`;
    web.sendPage(req, res, { title, current: 'studies', body: renderLogPage(view) }, status);
  }

  const editView = (
    found: NonNullable<Awaited<ReturnType<typeof load>>>,
    values: LogPageView['values'],
    errors: FieldProblem[],
    interview: LoggedInterview = found.interview,
  ): LogPageView => ({
    ...found.subject,
    values,
    errors,
    edit: { loggedInterviewId: interview.id, version: interview.version },
  });

  table.add({
    method: 'get',
    path: '/participants/:id/logged-interviews/:loggedInterviewId/edit',
    summary: 'Edit logged interview (HTML form), prefilled: when, how long, Completed or No Show, note',
    tags,
    middleware,
    params: Params,
    responses: { 200: page('The form'), 404: page('Not found') },
    handler: async ({ params, req, res }) => {
      const found = await load(res, params);
      if (!found) return sendNotFoundPage(res, 'logged interview');
      sendEdit(req, res, editView(found, valuesOfLogged(found.study, found.interview), []));
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/logged-interviews/:loggedInterviewId/edit',
    summary:
      'Edit logged interview (HTML form): the use case of PATCH /api/participants/:id/logged-interviews/:loggedInterviewId',
    tags,
    middleware,
    params: Params,
    body: EditForm,
    responses: {
      303: { description: 'Saved: back to the participant with a message' },
      400: page('The form is not valid (e.g. a time in the future)'),
      403: page('Missing or wrong CSRF token'),
      404: page('Not found'),
      409: page('Changed meanwhile: the form again, with the interview as it is now named in the error'),
    },
    handler: async ({ params, body, req, res }) => {
      const found = await load(res, params);
      if (!found) return sendNotFoundPage(res, 'logged interview');
      const values = logValues(body);
      const form = readLogForm(
        found.study,
        values,
        found.subject.hosts.map((host) => host.id),
      );
      if (form.kind === 'invalid') return sendEdit(req, res, editView(found, values, form.errors), 400);
      // The form shows whole minutes: an interview logged through the API at 10:00:30 keeps
      // its exact times when only its outcome or note is edited.
      const shown = valuesOfLogged(found.study, found.interview);
      const timeEdited = (['date', 'time', 'duration'] as const).some(
        (field) => values[field] !== shown[field],
      );
      try {
        const result = await editLoggedInterview({ knex }, found.researcherId, {
          participantId: found.participant.id,
          loggedInterviewId: found.interview.id,
          ...(timeEdited ? { start: form.start, end: form.end } : {}),
          verdict: form.verdict,
          note: form.note,
          hostId: form.hostId,
          version: versionOf(body.version) ?? 0,
        });
        web.flash(res, {
          message: result.edited ? `Logged interview saved. ${explainEdit(result)}` : 'Nothing changed.',
        });
        res.redirect(303, `/participants/${found.participant.id}`);
      } catch (error) {
        if (error instanceof NotFound) return sendNotFoundPage(res, 'logged interview');
        if (error instanceof Conflict && error.problemType.endsWith(':logged-interview-changed')) {
          // Shown as it is now, with its new version: saving again is a decision on what is there.
          const now = await findLoggedInterview(knex, found.participant.id, found.interview.id);
          if (!now) return sendNotFoundPage(res, 'logged interview');
          const when = formatInterval(now.start, now.end, found.study.timeZone);
          const message = `Someone changed this interview while you were editing it: it is now ${when}, ${STATUS_LABELS[now.verdict]}. Check your changes and save again.`;
          return sendEdit(req, res, editView(found, values, [{ fieldId: 'date', message }], now), 409);
        }
        if (!(error instanceof AppError)) throw error;
        const path = error instanceof Invalid ? error.errors.map((e) => e.path) : [];
        const fieldId = path.includes('hostId') ? 'hostId' : path.includes('end') ? 'duration' : 'date';
        const message = fieldId === 'hostId' ? 'Choose a host from the study’s team' : error.message;
        return sendEdit(req, res, editView(found, values, [{ fieldId, message }]), error.status);
      }
    },
  });

  async function deleteView(found: NonNullable<Awaited<ReturnType<typeof load>>>): Promise<DeleteLoggedView> {
    const standing = verdictStanding(
      found.interview,
      found.participant.status,
      await statusRowsNewestFirst(knex, found.participant.id),
    );
    return {
      ...found.subject,
      interview: found.interview,
      currentStatus: found.participant.status,
      statusAfter: standing.stands && standing.before !== null ? standing.before : found.participant.status,
    };
  }

  function sendDelete(req: Request, res: Response, view: DeleteLoggedView, status = 200) {
    const title = `${view.error ? 'Error: ' : ''}Delete logged interview: ${view.participant.name}`;
    web.sendPage(req, res, { title, current: 'studies', body: renderDeleteLoggedPage(view) }, status);
  }

  table.add({
    method: 'get',
    path: '/participants/:id/logged-interviews/:loggedInterviewId/delete',
    summary: 'Delete logged interview: the confirmation page, saying what happens to the status',
    tags,
    middleware,
    params: Params,
    responses: { 200: page('The confirmation'), 404: page('Not found') },
    handler: async ({ params, req, res }) => {
      const found = await load(res, params);
      if (!found) return sendNotFoundPage(res, 'logged interview');
      sendDelete(req, res, await deleteView(found));
    },
  });

  table.add({
    method: 'post',
    path: '/participants/:id/logged-interviews/:loggedInterviewId/delete',
    summary:
      'Delete logged interview (HTML form): the use case of DELETE /api/participants/:id/logged-interviews/:loggedInterviewId',
    tags,
    middleware,
    params: Params,
    body: DeleteForm,
    responses: {
      303: { description: 'Deleted: back to the participant with a message' },
      403: page('Missing or wrong CSRF token'),
      404: page('Not found'),
      409: page('Changed meanwhile: the confirmation again, for the interview as it is now'),
    },
    handler: async ({ params, body, req, res }) => {
      const found = await load(res, params);
      if (!found) return sendNotFoundPage(res, 'logged interview');
      try {
        const result = await deleteLoggedInterviewOf({ knex }, found.researcherId, {
          participantId: found.participant.id,
          loggedInterviewId: found.interview.id,
          version: versionOf(body.version) ?? 0,
        });
        web.flash(res, { message: `Logged interview deleted. ${explainDeletion(result)}` });
        res.redirect(303, `/participants/${found.participant.id}`);
      } catch (error) {
        if (error instanceof NotFound) return sendNotFoundPage(res, 'logged interview');
        if (!(error instanceof Conflict)) throw error;
        // Shown as it is now (the page reads it again, with its new version): deleting
        // again is a decision on what is there.
        const view = await deleteView(found);
        const message = error.problemType.endsWith(':logged-interview-changed')
          ? 'Someone changed this logged interview after you opened this page. Check it as it is now, then delete it if you still want to.'
          : error.message;
        return sendDelete(req, res, { ...view, error: message }, 409);
      }
    },
  });
}
