import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { HostHours } from '../availability/hosts';
import type { RouteTable } from '../http/route-table';
import { clearHostHours, findHostHours, saveHostHours } from '../researchers/host-hours';
import { inUseMessage } from '../researchers/host-hours-routes';
import type { Console } from '../web/console-page';
import { errorSummary } from '../web/error-summary';
import { html, type SafeHtml } from '../web/html';
import { errorLines, errorsFor } from './form-fields';
import { FORM_RESPONSES, PAGE_RESPONSES } from './page-responses';
import {
  availabilityOf,
  emptyWeek,
  formErrorsOf,
  FORM_WEEKDAYS,
  readStudyForm,
  type FormFieldError,
  type OverrideRow,
  type TimeRange,
} from './study-form-input';
import { dayFieldset, overrideFieldset } from './weekly-hours-fields';

export interface HostHoursPageDeps {
  knex: Knex;
  web: Console;
}

/** Flat urlencoded fields, as the study form's weekly editor posts them. */
const FormBody = z.record(z.string().max(200), z.union([z.string(), z.array(z.string()).max(20)]));
const CsrfForm = z.object({ csrf: z.string() });
const TIME_ZONES: string[] = Intl.supportedValuesOf('timeZone');

interface HoursValues {
  timeZone: string;
  weekly: Record<(typeof FORM_WEEKDAYS)[number][0], TimeRange[]>;
  overrides: OverrideRow[];
}

/**
 * `/settings/hours`: a researcher's own weekly hours as a host, for studies that use each
 * host's own hours. The same editor, schema and messages as a study's weekly availability;
 * the same use cases as PUT and DELETE /api/me/hours.
 */
export function registerHostHoursPage(table: RouteTable, deps: HostHoursPageDeps): void {
  const { web, knex } = deps;

  table.add({
    method: 'get',
    path: '/settings/hours',
    summary: 'Your own weekly hours as a host (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    responses: { ...PAGE_RESPONSES, 200: { description: 'Your hours', contentType: 'text/html' } },
    handler: async ({ req, res }) => {
      const { researcherId, timeZone } = web.session(res);
      const hours = await findHostHours(knex, researcherId);
      showHours(req, res, hours ? valuesOf(hours) : defaultValues(timeZone ?? ''), hours !== null, []);
    },
  });

  table.add({
    method: 'post',
    path: '/settings/hours',
    summary: 'Save your own weekly hours (HTML form with CSRF token): the use case of PUT /api/me/hours',
    tags: ['console'],
    middleware: [web.requireSession],
    body: FormBody,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Saved: back to Your hours' },
      400: { description: 'The form again with its errors; nothing saved', contentType: 'text/html' },
    },
    handler: async ({ body, req, res }) => {
      const { researcherId } = web.session(res);
      const typed = readStudyForm(body);
      const values: HoursValues = {
        timeZone: typed.timeZone.trim(),
        weekly: typed.weekly,
        overrides: typed.overrides,
      };
      const outcome = await saveHostHours(knex, researcherId, {
        timeZone: values.timeZone,
        availability: availabilityOf(values),
      });
      if (outcome.kind === 'invalid') {
        const had = (await findHostHours(knex, researcherId)) !== null;
        showHours(req, res, values, had, formErrorsOf(outcome.error, typed), 400);
        return;
      }
      web.flash(res, {
        message: 'Your hours are saved. Studies using each host’s own hours offer them from now on.',
      });
      res.redirect(303, '/settings/hours');
    },
  });

  table.add({
    method: 'post',
    path: '/settings/hours/clear',
    summary: 'Clear your own weekly hours (HTML form with CSRF token): the use case of DELETE /api/me/hours',
    tags: ['console'],
    middleware: [web.requireSession],
    body: CsrfForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Cleared: back to Your hours' },
      409: { description: 'A study you host uses them: the page says which', contentType: 'text/html' },
    },
    handler: async ({ req, res }) => {
      const { researcherId } = web.session(res);
      const outcome = await clearHostHours(knex, researcherId);
      if (outcome.kind === 'in-use') {
        const hours = await findHostHours(knex, researcherId);
        const values = hours ? valuesOf(hours) : defaultValues('');
        showHours(
          req,
          res,
          values,
          true,
          [{ field: 'clear-hours', message: inUseMessage(outcome.studies) }],
          409,
        );
        return;
      }
      web.flash(res, { message: 'Your hours are cleared.' });
      res.redirect(303, '/settings/hours');
    },
  });

  function showHours(
    req: Request,
    res: Response,
    values: HoursValues,
    saved: boolean,
    errors: FormFieldError[],
    status = 200,
  ): void {
    const { csrf } = web.session(res);
    web.sendPage(
      req,
      res,
      {
        title: errors.length > 0 ? 'Error: Your hours' : 'Your hours',
        current: 'settings',
        body: html`${
            errors.length > 0
              ? errorSummary(
                  'There is a problem; nothing was saved',
                  errors.map((error) => ({ fieldId: error.field, message: error.message })),
                )
              : ''
          }
          <p><a href="/settings">Back to settings</a></p>
          <div class="page-title"><h1>Your hours</h1></div>
          <p>
            When you take interviews as a host of a study that uses <strong>each host’s own hours</strong>.
            Studies on their own schedule do not read them.
            ${saved ? '' : 'You keep no hours of your own yet.'}
          </p>
          ${hoursForm(values, errors, csrf)} ${saved ? clearForm(csrf, errors) : ''}`,
      },
      status,
    );
  }
}

function hoursForm(values: HoursValues, errors: FormFieldError[], csrf: string): SafeHtml {
  const zoneErrors = errorsFor(errors, 'timeZone');
  return html`<form class="study-form" method="post" action="/settings/hours" novalidate data-study-form>
    <input type="hidden" name="csrf" value="${csrf}" />
    <section class="card">
      <h2>Time zone</h2>
      <div class="${zoneErrors.length > 0 ? 'field has-error' : 'field'}">
        <label for="timeZone">Time zone</label>
        <p id="timeZone-hint" class="hint">
          Your hours are read in this time zone, for example Europe/Berlin. Type to search.
        </p>
        ${errorLines('timeZone', zoneErrors)}
        <input
          id="timeZone"
          name="timeZone"
          type="text"
          value="${values.timeZone}"
          list="time-zones"
          autocomplete="off"
          aria-describedby="timeZone-hint${zoneErrors.length > 0 ? ' timeZone-error' : ''}"
        />
        <datalist id="time-zones">
          ${TIME_ZONES.map((zone) => html`<option value="${zone}"></option>`)}
        </datalist>
      </div>
    </section>
    <section class="card">
      <h2>Weekly hours</h2>
      <p class="hint">Leave a day empty to take no interviews that day; 24:00 ends a range at midnight.</p>
      ${FORM_WEEKDAYS.map(([day, name]) => dayFieldset(day, name, values.weekly[day], errors))}
    </section>
    <section class="card">
      <h2>Date overrides</h2>
      ${overrideFieldset(values.overrides, errors)}
    </section>
    <div class="form-actions"><button type="submit">Save hours</button></div>
  </form>`;
}

function clearForm(csrf: string, errors: FormFieldError[]): SafeHtml {
  const mine = errorsFor(errors, 'clear-hours');
  return html`<section class="card" aria-labelledby="clear-hours-heading">
    <h2 id="clear-hours-heading">Clear your hours</h2>
    <p>Refused while you host a study that uses each host’s own hours.</p>
    ${errorLines('clear-hours', mine)}
    <form method="post" action="/settings/hours/clear">
      <input type="hidden" name="csrf" value="${csrf}" />
      <button type="submit" id="clear-hours" class="secondary">Clear hours</button>
    </form>
  </section>`;
}

function valuesOf(hours: HostHours): HoursValues {
  const weekly = emptyWeek();
  for (const [day] of FORM_WEEKDAYS)
    weekly[day] = (hours.availability.weekly[day] ?? []).map((w) => ({ ...w }));
  const overrides = (hours.availability.dateOverrides ?? []).flatMap((override) =>
    override.windows.length === 0
      ? [{ date: override.date, start: '', end: '' }]
      : override.windows.map((window) => ({ date: override.date, ...window })),
  );
  return { timeZone: hours.timeZone, weekly, overrides };
}

/** Someone without hours starts from weekdays 09:00–17:00, as a new study does. */
function defaultValues(timeZone: string): HoursValues {
  const weekly = emptyWeek();
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'] as const)
    weekly[day] = [{ start: '09:00', end: '17:00' }];
  return { timeZone, weekly, overrides: [] };
}
