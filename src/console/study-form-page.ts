import { REMINDER_FIELD, REMINDER_HINT, REMINDER_LABEL } from './study-form-reminders';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import { errorLines, errorsFor, radios } from './form-fields';
import { listStudyHosts, listTeamMembers, type TeamMember } from '../studies/study-host-repository';
import { teamIdOf } from '../teams/team-scope';
import { hostingFieldError, hostingInputOf, hostsSection, organizerProblem } from './study-form-hosts';
import { dayFieldset, overrideFieldset } from './weekly-hours-fields';
import { findStudy, type Study } from '../studies/study-repository';
import { EVENT_PLACEHOLDERS } from '../studies/event-template';
import { changeStudy, createStudy, type StudyOutcome } from '../studies/study-use-cases';
import type { Console } from '../web/console-page';
import { errorSummary } from '../web/error-summary';
import { html, type SafeHtml } from '../web/html';
import { sendNotFoundPage } from '../web/page-session';
import { EMAIL_TEMPLATE_KINDS, type EmailTemplateKind } from '../mail/email-templates';
import { findResearcher } from '../researchers/researcher-repository';
import { studyHostName, studyOrganizerId } from '../bookings/booking-organizer';
import { emailTemplatesSection, type EmailPreviewRequest } from './email-templates-form';
import { FORM_RESPONSES, PAGE_RESPONSES } from './page-responses';
import { previewSettings, previewSlots, type PreviewDay, type PreviewHosts } from './slot-preview';
import {
  FORM_WEEKDAYS,
  formErrorsOf,
  formValuesOf,
  newStudyFormValues,
  readStudyForm,
  studyInputOf,
  studyPatchOf,
  type FormFieldError,
  type StudyFormValues,
} from './study-form-input';

export interface StudyFormPageDeps {
  knex: Knex;
  web: Console;
  /** The sample links of the email preview start here, like real booking links. */
  publicUrl: string;
}

const Params = z.object({ id: z.string().max(100) });
const isId = (id: string) => z.uuid().safeParse(id).success;

/** Flat urlencoded fields; the form's own names are read by readStudyForm. */
const FormBody = z.record(z.string().max(200), z.union([z.string(), z.array(z.string()).max(20)]));
const StatusForm = z.object({ csrf: z.string(), status: z.enum(['open', 'closed']) });

const TIME_ZONES: string[] = Intl.supportedValuesOf('timeZone');

interface FormView {
  heading: string;
  action: string;
  submit: string;
  back: string;
  study?: Study;
  hosts?: PreviewHosts;
}

/**
 * `/studies/new` and `/studies/:id/edit`: the study form on the same use cases (and so the
 * same zod schemas) as POST and PATCH /api/studies. A refused form comes back with what was
 * typed, each error beside its field and in a summary linking to it, and nothing saved.
 * Register before `/studies/:id`, which answers any other path below /studies.
 */
export function registerStudyFormPage(table: RouteTable, deps: StudyFormPageDeps): void {
  const { web, knex } = deps;

  table.add({
    method: 'get',
    path: '/studies/new',
    summary: 'The form for a new study (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    responses: { ...PAGE_RESPONSES, 200: { description: 'New study form', contentType: 'text/html' } },
    handler: async ({ req, res }) => {
      await showForm(req, res, NEW_VIEW, newStudyFormValues(web.session(res).researcherId), []);
    },
  });

  table.add({
    method: 'post',
    path: '/studies/preview',
    summary:
      "The slot preview of the study form's settings as typed, not saved (HTML fragment for the form's script)",
    tags: ['console'],
    middleware: [web.requireSession],
    body: FormBody,
    responses: {
      ...FORM_RESPONSES,
      200: { description: 'The preview, or what keeps it from showing', contentType: 'text/html' },
    },
    handler: ({ body, res }) => {
      res.type('html').send(previewOfTyped(readStudyForm(body), new Date()).safeHtml);
    },
  });

  table.add({
    method: 'post',
    path: '/studies/email-preview',
    summary:
      'The new study form again, with a preview of one email (`previewKind`) as typed, with sample values; nothing saved (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    body: FormBody,
    responses: {
      ...FORM_RESPONSES,
      200: { description: 'The form with the preview', contentType: 'text/html' },
    },
    handler: async ({ body, req, res }) => {
      const values = readStudyForm(body);
      await showForm(req, res, NEW_VIEW, values, [], 200, await previewRequest(res, body, values));
    },
  });

  table.add({
    method: 'post',
    path: '/studies/:id/email-preview',
    summary:
      'The edit form again, with a preview of one email (`previewKind`) as typed, with sample values; nothing saved (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    body: FormBody,
    responses: {
      ...FORM_RESPONSES,
      200: { description: 'The form with the preview', contentType: 'text/html' },
      404: { description: 'No such study in this team', contentType: 'text/html' },
    },
    handler: async ({ params, body, req, res }) => {
      const study = isId(params.id)
        ? await findStudy(knex, web.session(res).researcherId, params.id)
        : undefined;
      if (!study) {
        sendNotFoundPage(res, 'study');
        return;
      }
      const values = readStudyForm(body);
      await showForm(
        req,
        res,
        await editView(knex, study),
        values,
        [],
        200,
        await previewRequest(res, body, values, study),
      );
    },
  });

  async function previewRequest(
    res: Response,
    body: Record<string, string | string[]>,
    values: StudyFormValues,
    /** A saved study: its emails carry its organizer's name (a round robin's: its team's); a new study's the caller's. */
    study?: Study,
  ): Promise<EmailPreviewRequest> {
    const asked = body.previewKind;
    const kind: EmailTemplateKind = EMAIL_TEMPLATE_KINDS.find((known) => known === asked) ?? 'invitation';
    const organizerId = study ? await studyOrganizerId(knex, study) : web.session(res).researcherId;
    const researcher = organizerId ? await findResearcher(knex, organizerId) : undefined;
    return {
      kind,
      values,
      researcherName: study
        ? await studyHostName(knex, study, researcher)
        : researcher?.name || researcher?.email || '',
      publicUrl: deps.publicUrl,
      now: new Date(),
    };
  }

  table.add({
    method: 'post',
    path: '/studies',
    summary: 'Create a study from the form (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    body: FormBody,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Created: to the study page' },
      400: { description: 'The form again with its errors; nothing saved', contentType: 'text/html' },
    },
    handler: async ({ body, req, res }) => {
      const values = readStudyForm(body);
      const organizer = organizerProblem(values.hosting);
      if (organizer) {
        await showForm(req, res, NEW_VIEW, values, [organizer], 400);
        return;
      }
      const input = { ...studyInputOf(values), ...hostingInputOf(values.hosting) };
      const outcome = await createStudy(knex, web.session(res).researcherId, input);
      await answer(req, res, outcome, values, NEW_VIEW, 'Study created');
    },
  });

  table.add({
    method: 'get',
    path: '/studies/:id/edit',
    summary: 'The form to change a study, prefilled (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    responses: {
      ...PAGE_RESPONSES,
      200: { description: 'Edit study form', contentType: 'text/html' },
      404: { description: 'No such study in this team', contentType: 'text/html' },
    },
    handler: async ({ params, req, res }) => {
      const study = isId(params.id)
        ? await findStudy(knex, web.session(res).researcherId, params.id)
        : undefined;
      if (!study) {
        sendNotFoundPage(res, 'study');
        return;
      }
      const hosts = await listStudyHosts(knex, study.id);
      const hosting = {
        schedulingType: study.schedulingType,
        hostHours: study.hostHours,
        hosts: hosts.map((host) => host.researcherId),
      };
      await showForm(req, res, await editView(knex, study), formValuesOf(study, hosting), []);
    },
  });

  table.add({
    method: 'post',
    path: '/studies/:id',
    summary: 'Save the edit form: the same change as PATCH /api/studies/:id (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    body: FormBody,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Saved: to the study page' },
      400: { description: 'The form again with its errors; nothing saved', contentType: 'text/html' },
      404: { description: 'No such study in this team', contentType: 'text/html' },
    },
    handler: async ({ params, body, req, res }) => {
      const { researcherId } = web.session(res);
      const study = isId(params.id) ? await findStudy(knex, researcherId, params.id) : undefined;
      if (!study) {
        sendNotFoundPage(res, 'study');
        return;
      }
      const values = readStudyForm(body);
      const organizer = organizerProblem(values.hosting);
      if (organizer) {
        await showForm(req, res, await editView(knex, study), values, [organizer], 400);
        return;
      }
      const patch = { ...studyPatchOf(values), ...hostingInputOf(values.hosting) };
      const outcome = await changeStudy(knex, researcherId, study.id, patch);
      await answer(req, res, outcome, values, await editView(knex, study), 'Study saved');
    },
  });

  table.add({
    method: 'post',
    path: '/studies/:id/status',
    summary: 'Close or reopen a study: PATCH /api/studies/:id with status (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: Params,
    body: StatusForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Closed or reopened: to the study page' },
      404: { description: 'No such study in this team', contentType: 'text/html' },
    },
    handler: async ({ params, body, res }) => {
      const outcome = isId(params.id)
        ? await changeStudy(knex, web.session(res).researcherId, params.id, { status: body.status })
        : ({ kind: 'not-found' } as const);
      if (outcome.kind !== 'saved') {
        // A saved study is valid by construction, so only a missing one is refused here.
        sendNotFoundPage(res, 'study');
        return;
      }
      web.flash(res, {
        message:
          body.status === 'closed'
            ? 'Study closed. Booking links no longer offer slots.'
            : 'Study reopened. Booking links offer slots again.',
      });
      res.redirect(303, `/studies/${outcome.study.id}`);
    },
  });

  async function answer(
    req: Request,
    res: Response,
    outcome: StudyOutcome,
    values: StudyFormValues,
    view: FormView,
    saved: string,
  ): Promise<void> {
    if (outcome.kind === 'not-found') {
      sendNotFoundPage(res, 'study');
    } else if (outcome.kind === 'invalid') {
      await showForm(req, res, view, values, formErrorsOf(outcome.error, values), 400);
    } else if (outcome.kind === 'hosts-refused') {
      await showForm(req, res, view, values, [hostingFieldError(outcome.refusal)], 400);
    } else {
      web.flash(res, { message: saved });
      res.redirect(303, `/studies/${outcome.study.id}`);
    }
  }

  async function showForm(
    req: Request,
    res: Response,
    view: FormView,
    values: StudyFormValues,
    errors: FormFieldError[],
    status = 200,
    preview?: EmailPreviewRequest,
  ): Promise<void> {
    const { csrf, researcherId } = web.session(res);
    const teamId = view.study?.teamId ?? (await teamIdOf(knex, researcherId));
    const members = teamId ? await listTeamMembers(knex, teamId) : [];
    web.sendPage(
      req,
      res,
      {
        title: errors.length > 0 ? `Error: ${view.heading}` : view.heading,
        current: 'studies',
        body: html`${
            errors.length > 0
              ? errorSummary(
                  'There is a problem; nothing was saved',
                  errors.map((error) => ({ fieldId: error.field, message: error.message })),
                )
              : ''
          }
          <p><a href="${view.back}">Back</a></p>
          <div class="page-title"><h1>${view.heading}</h1></div>
          <div class="study-form-layout">
            ${studyForm(view, values, members, errors, csrf, preview)}
            ${slotPreview(view.study, values, view.hosts)}
          </div>
          ${view.study ? statusForm(view.study, csrf) : ''}`,
      },
      status,
    );
  }
}

const NEW_VIEW: FormView = {
  heading: 'New study',
  action: '/studies',
  submit: 'Create study',
  back: '/studies',
};

async function editView(knex: Knex, study: Study): Promise<FormView> {
  return {
    heading: `Edit ${study.title}`,
    action: `/studies/${study.id}`,
    submit: 'Save study',
    back: `/studies/${study.id}`,
    study,
    // The saved study's preview combines its hosts' hours as the booking page does.
    hosts: {
      schedulingType: study.schedulingType,
      hostHours: study.hostHours,
      hosts: await listStudyHosts(knex, study.id),
    },
  };
}

interface InputField {
  id: string;
  label: string;
  hint?: SafeHtml | string;
  value: string;
  type?: string;
  inputmode?: string;
  width?: 'short' | 'long';
  list?: string;
}

function inputField(field: InputField, errors: FormFieldError[]): SafeHtml {
  const mine = errorsFor(errors, field.id);
  const described = [field.hint ? `${field.id}-hint` : '', mine.length > 0 ? `${field.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="${mine.length > 0 ? 'field has-error' : 'field'}">
    <label for="${field.id}">${field.label}</label>
    ${field.hint ? html`<p id="${field.id}-hint" class="hint">${field.hint}</p>` : ''}
    ${errorLines(field.id, mine)}
    <input
      id="${field.id}"
      name="${field.id}"
      type="${field.type ?? 'text'}"
      value="${field.value}"
      ${field.inputmode ? html`inputmode="${field.inputmode}"` : ''}
      ${field.list ? html`list="${field.list}" autocomplete="off"` : ''}
      ${field.width === 'short' ? html`class="input-short"` : ''}
      ${described ? html`aria-describedby="${described}"` : ''}
    />
  </div>`;
}

const number = (id: string, label: string, value: string, hint: string): InputField => ({
  id,
  label,
  hint,
  value,
  inputmode: 'numeric',
  width: 'short',
});

const CONFLICT_CHOICES: [string, string, string][] = [
  [
    'busy',
    'Busy events',
    'Events that show you as busy block a slot, and so does time you are out of office; events marked free, tentative ones, ones you declined, working locations and birthdays do not.',
  ],
  [
    'strict',
    'Every event',
    'Every event on your calendar blocks a slot, even one marked free; working locations and birthdays do not.',
  ],
  [
    'off',
    'Ignore my calendar',
    'Only time you are out of office is read from your Google Calendar; your interviews in this and other studies still block their time.',
  ],
];

function studyForm(
  view: FormView,
  values: StudyFormValues,
  members: TeamMember[],
  errors: FormFieldError[],
  csrf: string,
  preview: EmailPreviewRequest | undefined,
): SafeHtml {
  const previewAction = view.study ? `/studies/${view.study.id}/email-preview` : '/studies/email-preview';
  const placeholders = EVENT_PLACEHOLDERS.map((name) => html`<code>{{${name}}}</code>`);
  return html`<form class="study-form" method="post" action="${view.action}" novalidate data-study-form>
    <input type="hidden" name="csrf" value="${csrf}" />
    <section class="card">
      <h2>The study</h2>
      ${inputField({ id: 'title', label: 'Title', value: values.title, width: 'long' }, errors)}
      ${inputField(number('durationMinutes', 'Interview length (minutes)', values.durationMinutes, '5 to 480 minutes.'), errors)}
      ${inputField(
        {
          id: 'timeZone',
          label: 'Time zone',
          hint: 'The availability below is read in this time zone, for example Europe/Berlin. Type to search.',
          value: values.timeZone,
          list: 'time-zones',
        },
        errors,
      )}
      <datalist id="time-zones">
        ${TIME_ZONES.map((zone) => html`<option value="${zone}"></option>`)}
      </datalist>
      ${radios(
        'conflictHandling',
        'Which events on your Google Calendar block a slot?',
        values.conflictHandling,
        CONFLICT_CHOICES,
        errors,
      )}
    </section>
    ${hostsSection(values.hosting, members, errors)}
    <section class="card">
      <h2 id="availability-heading">Weekly availability</h2>
      <p class="hint">
        When you take interviews, in the study’s time zone. Leave a day empty to take none that day; 24:00
        ends a range at midnight.
      </p>
      ${FORM_WEEKDAYS.map(([day, name]) => dayFieldset(day, name, values.weekly[day], errors))}
    </section>
    <section class="card">
      <h2>Date overrides</h2>
      ${overrideFieldset(values.overrides, errors)}
    </section>
    <section class="card">
      <h2>Scheduling rules</h2>
      ${inputField(number('bufferBeforeMinutes', 'Buffer before (minutes)', values.bufferBeforeMinutes, 'Free time kept before each interview, 0 to 240.'), errors)}
      ${inputField(number('bufferAfterMinutes', 'Buffer after (minutes)', values.bufferAfterMinutes, 'Free time kept after each interview, 0 to 240.'), errors)}
      ${inputField(number('minNoticeMinutes', 'Minimum notice (minutes)', values.minNoticeMinutes, 'How soon a slot may start, counted from now; 240 is 4 hours.'), errors)}
      ${radios(
        'bookingWindow',
        'Booking window',
        values.bookingWindow,
        [
          ['rolling', 'A number of days ahead', 'Slots start before today plus the booking horizon.'],
          ['fixed', 'Fixed dates', 'Slots only between the first and last bookable date (inclusive).'],
        ],
        errors,
      )}
      ${inputField(number('horizonDays', 'Booking horizon (days)', values.horizonDays, 'With “A number of days ahead”: 1 to 365; empty = 30.'), errors)}
      ${inputField({ id: 'startDate', label: 'First bookable date', type: 'date', value: values.startDate, hint: 'With “Fixed dates”.' }, errors)}
      ${inputField({ id: 'endDate', label: 'Last bookable date', type: 'date', value: values.endDate, hint: 'With “Fixed dates”; at most 366 dates after the first.' }, errors)}
      ${inputField(number('slotStepMinutes', 'Slot step (minutes)', values.slotStepMinutes, 'Minutes between offered start times; empty = 30 (shorter for shorter interviews).'), errors)}
      ${inputField(number('dailyLimit', 'Daily limit', values.dailyLimit, 'Most interviews of this study on one day; empty = no limit.'), errors)}
    </section>
    <section class="card">
      <h2>Calendar event</h2>
      ${textArea('guests', 'Guests', 'Observers’ emails, one per line: added to every interview as optional guests (at most 20).', values.guests, 3, errors)}
      ${inputField({ id: 'eventTitle', label: 'Event title', value: values.eventTitle, width: 'long', hint: html`Placeholders: ${placeholders}` }, errors)}
      ${textArea('eventDescription', 'Event description', html`Placeholders: ${placeholders}`, values.eventDescription, 4, errors)}
    </section>
    <section class="card">
      <h2>Reminder emails</h2>
      ${inputField({ id: REMINDER_FIELD, label: REMINDER_LABEL, hint: REMINDER_HINT, value: values.reminderMinutesBefore }, errors)}
    </section>
    ${emailTemplatesSection(values, errors, previewAction, preview)} ${consentSection(values, errors)}
    <div class="form-actions"><button type="submit">${view.submit}</button></div>
  </form>`;
}

/** Consent before booking: a switch and the words participants agree to (versioned when saved). */
function consentSection(values: StudyFormValues, errors: FormFieldError[]): SafeHtml {
  return html`<section class="card">
    <h2>Consent</h2>
    <div class="field radios">
      <div class="radio">
        <input
          type="checkbox"
          id="consentRequired"
          name="consentRequired"
          value="yes"
          aria-describedby="consentRequired-hint"
          ${values.consentRequired ? html`checked` : ''}
        />
        <label for="consentRequired">Participants must agree to the consent text before booking</label>
        <p id="consentRequired-hint" class="hint">
          The booking page shows the text with a box to tick; without it, nothing is booked.
        </p>
      </div>
    </div>
    ${textArea('consentText', 'Consent text', 'Plain text, at most 10,000 characters. Changing it makes a new version: participants who agreed to an earlier one agree again if they book a new time.', values.consentText, 6, errors)}
  </section>`;
}

function textArea(
  id: string,
  label: string,
  hint: SafeHtml | string,
  value: string,
  rows: number,
  errors: FormFieldError[],
): SafeHtml {
  const mine = errorsFor(errors, id);
  return html`<div class="${mine.length > 0 ? 'field has-error' : 'field'}">
    <label for="${id}">${label}</label>
    <p id="${id}-hint" class="hint">${hint}</p>
    ${errorLines(id, mine)}
    <textarea
      id="${id}"
      name="${id}"
      rows="${rows}"
      aria-describedby="${id}-hint${mine.length > 0 ? ` ${id}-error` : ''}"
    >
${value}</textarea>
  </div>`;
}

/**
 * What the settings offer next week: as saved when the form opens on a study, and, with
 * the form's script, as typed while the researcher changes them.
 */
function slotPreview(study: Study | undefined, values: StudyFormValues, hosts?: PreviewHosts): SafeHtml {
  const now = new Date();
  const shown = study
    ? previewPart(previewSlots(study, now, hosts), `As saved, in ${study.timeZone}`)
    : previewOfTyped(values, now);
  return html`<section
    class="card slot-preview-card"
    aria-labelledby="preview-heading"
    tabindex="0"
    data-preview-url="/studies/preview"
  >
    <h2 id="preview-heading">Slots in the next 7 days</h2>
    <div data-preview-part>${shown}</div>
    <p class="visually-hidden" role="status" data-preview-status></p>
  </section>`;
}

function previewOfTyped(values: StudyFormValues, now: Date): SafeHtml {
  const preview = previewSettings(studyInputOf(values), now);
  if (preview.kind === 'slots')
    return previewPart(preview.days, `As typed (not saved yet), in ${preview.timeZone}`);
  return previewRefusal(formErrorsOf(preview.error, values).filter((error) => error.field !== 'title'));
}

function previewPart(days: PreviewDay[], basis: string): SafeHtml {
  const count = days.reduce((sum, day) => sum + day.starts.length, 0);
  const summary =
    count === 0
      ? 'No slots in the next 7 days.'
      : `${count} ${count === 1 ? 'slot' : 'slots'} on ${days.length} ${days.length === 1 ? 'day' : 'days'}.`;
  return html`<p class="hint">
      ${basis}, before your Google Calendar and other interviews are taken into account: participants see
      fewer when you are busy.
    </p>
    <p data-preview-summary>${summary}</p>
    ${
      days.length === 0
        ? ''
        : html`<dl class="slot-preview">
            ${days.map(
              (day) =>
                html`<dt>${day.day}</dt>
                  <dd>${day.starts.join(', ')}</dd>`,
            )}
          </dl>`
    }`;
}

/** Settings a save would refuse preview nothing; the same messages say what to change. */
function previewRefusal(errors: FormFieldError[]): SafeHtml {
  return html`<p data-preview-summary>The preview shows once the settings are complete:</p>
    <ul>
      ${errors.map((error) => html`<li><a href="#${error.field}">${error.message}</a></li>`)}
    </ul>`;
}

function statusForm(study: Study, csrf: string): SafeHtml {
  const open = study.status === 'open';
  return html`<section class="card">
    <h2>Study status</h2>
    <p>
      ${
        open
          ? 'Open: booking links offer slots. Closing stops that; booked interviews stay.'
          : 'Closed: booking links offer no slots. Reopening offers them again.'
      }
    </p>
    <form method="post" action="/studies/${study.id}/status">
      <input type="hidden" name="csrf" value="${csrf}" />
      <input type="hidden" name="status" value="${open ? 'closed' : 'open'}" />
      <button type="submit" class="secondary">${open ? 'Close study' : 'Reopen study'}</button>
    </form>
  </section>`;
}
