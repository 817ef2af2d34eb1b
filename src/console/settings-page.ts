import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/api-token-repository';
import type { PushStatus } from '../channels/push-state';
import { findPushStatus } from '../channels/push-state-repository';
import { findConnection, type GoogleConnection } from '../connections/connection-repository';
import { chooseTimeZone } from '../researchers/researcher-time-zone';
import { disconnectGoogle, type DisconnectDeps } from '../connections/disconnect-google';
import { pushStatusView } from './push-status-view';
import type { RouteTable } from '../http/route-table';
import type { Console } from '../web/console-page';
import { FORM_RESPONSES, PAGE_RESPONSES } from './page-responses';
import { html, type SafeHtml } from '../web/html';
import { sendNotFoundPage } from '../web/page-session';
import { formatDate } from './console-format';

export interface SettingsPageDeps {
  knex: Knex;
  web: Console;
  disconnect: DisconnectDeps;
  pollIntervalMinutes: number;
}

const CsrfForm = z.object({ csrf: z.string() });
// The same limit as POST /api/me/tokens.
const NewTokenForm = CsrfForm.extend({ name: z.string().trim().max(100).default('') });
const TokenParams = z.object({ id: z.string().max(100) });
const TimeZoneForm = CsrfForm.extend({ timeZone: z.string().trim().max(200).default('') });
const TIME_ZONES: string[] = Intl.supportedValuesOf('timeZone');

/** What the time zone form shows again after a refusal. */
interface ZoneRefusal {
  typed: string;
  message: string;
}

/**
 * `/settings`: API tokens (create, shown once; list; revoke), disconnecting Google (after a
 * confirmation) and signing out: the same repository functions and use case as the
 * /api/me routes.
 */
export function registerSettingsPage(table: RouteTable, deps: SettingsPageDeps): void {
  const { web, knex } = deps;
  const html200 = (description: string) => ({ 200: { description, contentType: 'text/html' } });

  table.add({
    method: 'get',
    path: '/settings',
    summary: 'API tokens, the Google connection, signing out (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    responses: { ...PAGE_RESPONSES, ...html200('Settings page') },
    handler: async ({ req, res }) => showSettings(req, res, undefined),
  });

  table.add({
    method: 'post',
    path: '/settings/tokens',
    summary: 'Create an API token (HTML form with CSRF token); the page shows it once',
    tags: ['console'],
    middleware: [web.requireSession],
    body: NewTokenForm,
    responses: {
      ...FORM_RESPONSES,
      201: { description: 'Settings with the new token, shown once', contentType: 'text/html' },
    },
    handler: async ({ body, req, res }) => {
      const created = await createApiToken(knex, web.session(res).researcherId, body.name);
      await showSettings(req, res, { name: created.name, token: created.token }, 201);
    },
  });

  table.add({
    method: 'post',
    path: '/settings/time-zone',
    summary: 'Choose the time zone the console writes times in (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    body: TimeZoneForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Saved: back to settings' },
      400: {
        description: 'Not a time zone: settings with the error beside the field',
        contentType: 'text/html',
      },
    },
    handler: async ({ body, req, res }) => {
      const outcome = await chooseTimeZone(knex, web.session(res).researcherId, { timeZone: body.timeZone });
      if (outcome.kind === 'invalid') {
        await showSettings(req, res, undefined, 400, { typed: body.timeZone, message: outcome.message });
        return;
      }
      web.flash(res, {
        message: outcome.timeZone
          ? `Time zone saved: times are now shown in ${outcome.timeZone}.`
          : "Time zone cleared: times are shown in each study's own time zone.",
      });
      res.redirect(303, '/settings');
    },
  });

  table.add({
    method: 'post',
    path: '/settings/tokens/:id/revoke',
    summary: 'Revoke an API token (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: TokenParams,
    body: CsrfForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Revoked: back to settings' },
      404: { description: 'No such token in this account', contentType: 'text/html' },
    },
    handler: async ({ params, res }) => {
      const { researcherId } = web.session(res);
      const revoked =
        z.uuid().safeParse(params.id).success && (await revokeApiToken(knex, researcherId, params.id));
      if (!revoked) {
        sendNotFoundPage(res, 'API token', 'account');
        return;
      }
      web.flash(res, { message: 'API token revoked. Scripts using it are refused from now on.' });
      res.redirect(303, '/settings');
    },
  });

  table.add({
    method: 'get',
    path: '/settings/google/disconnect',
    summary: 'Asks before disconnecting Google (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    responses: { ...PAGE_RESPONSES, ...html200('Confirmation page') },
    handler: ({ req, res }) => {
      web.sendPage(req, res, {
        title: 'Disconnect Google Calendar?',
        current: 'settings',
        body: html`<p><a href="/settings">Back to settings</a></p>
          <h1>Disconnect Google Calendar?</h1>
          <div class="card">
            <p>
              The service stops reading and writing your calendar: participants can no longer book, and
              changes you make in Google Calendar no longer reach your studies. Your studies, participants and
              bookings are kept, and you can connect again at any time.
            </p>
            <form method="post" action="/settings/google/disconnect" class="form-actions">
              <input type="hidden" name="csrf" value="${web.session(res).csrf}" />
              <button type="submit" class="danger">Disconnect Google Calendar</button>
              <a href="/settings">Cancel</a>
            </form>
          </div>`,
      });
    },
  });

  table.add({
    method: 'post',
    path: '/settings/google/disconnect',
    summary: 'Disconnect Google (HTML form with CSRF token): the use case of DELETE /api/me/google',
    tags: ['console'],
    middleware: [web.requireSession],
    body: CsrfForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Disconnected: back to settings' },
    },
    handler: async ({ res }) => {
      await disconnectGoogle(deps.disconnect, web.session(res).researcherId);
      web.flash(res, { message: 'Google Calendar disconnected. Your studies and participants are kept.' });
      res.redirect(303, '/settings');
    },
  });

  async function showSettings(
    req: Request,
    res: Response,
    created: { name: string; token: string } | undefined,
    status = 200,
    zoneRefusal?: ZoneRefusal,
  ): Promise<void> {
    const { researcherId, csrf, timeZone } = web.session(res);
    const [tokens, connection, push] = await Promise.all([
      listApiTokens(knex, researcherId),
      findConnection(knex, researcherId),
      findPushStatus(knex, researcherId, new Date()),
    ]);
    web.sendPage(
      req,
      res,
      {
        title: zoneRefusal ? 'Error: Settings' : 'Settings',
        current: 'settings',
        body: html`<h1>Settings</h1>
          ${timeZoneSection(csrf, timeZone, zoneRefusal)}
          <section class="card" aria-labelledby="hours-heading">
            <h2 id="hours-heading">Your hours</h2>
            <p>
              Your own weekly hours as a host, for studies that use each host’s own hours:
              <a href="/settings/hours">Your hours</a>.
            </p>
          </section>
          <section class="card" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">API tokens</h2>
            <p>
              Scripts use the <a href="/openapi.json">JSON API</a> with a token:
              <code>Authorization: Bearer …</code>. A token acts as you until you revoke it.
            </p>
            ${created ? createdPanel(created) : ''}
            ${
              tokens.length === 0
                ? html`<p>No API tokens.</p>`
                : html`<ul class="token-list">
                    ${tokens.map(
                      (token) =>
                        html`<li>
                          <div>
                            <strong>${token.name || '(no name)'}</strong>
                            <span class="token-dates"
                              >Created ${formatDate(token.createdAt)} ·
                              ${token.lastUsedAt ? `last used ${formatDate(token.lastUsedAt)}` : 'never used'}</span
                            >
                          </div>
                          <form method="post" action="/settings/tokens/${token.id}/revoke">
                            <input type="hidden" name="csrf" value="${csrf}" />
                            <button type="submit" class="secondary">
                              Revoke<span class="visually-hidden"> token ${token.name || '(no name)'}</span>
                            </button>
                          </form>
                        </li>`,
                    )}
                  </ul>`
            }
            <form method="post" action="/settings/tokens">
              <input type="hidden" name="csrf" value="${csrf}" />
              <label for="token-name">Token name</label>
              <p id="token-name-hint" class="hint">What the token is for, e.g. “weekly export script”.</p>
              <input
                id="token-name"
                type="text"
                name="name"
                maxlength="100"
                aria-describedby="token-name-hint"
              />
              <div class="form-actions"><button type="submit">Create API token</button></div>
            </form>
          </section>
          <section class="card" aria-labelledby="google-heading">
            <h2 id="google-heading">Google Calendar</h2>
            ${googleSection(connection, push, deps.pollIntervalMinutes)}
          </section>
          <section class="card" aria-labelledby="signout-heading">
            <h2 id="signout-heading">Signing out</h2>
            <p>
              <strong>Sign out</strong> at the top of every page ends this browser's session. API tokens keep
              working until you revoke them.
            </p>
          </section>`,
      },
      status,
    );
  }
}

function createdPanel(created: { name: string; token: string }): SafeHtml {
  return html`<div class="new-token">
    <h3>Your new API token${created.name ? html` “${created.name}”` : ''}</h3>
    <p>Copy it now: it is not shown again.</p>
    <div class="link-box">
      <code>${created.token}</code>
      <button
        type="button"
        class="secondary"
        data-copy-text="${created.token}"
        data-copy-what="API token"
        hidden
      >
        Copy<span class="visually-hidden"> API token</span>
      </button>
    </div>
  </div>`;
}

function googleSection(
  connection: GoogleConnection | undefined,
  push: PushStatus,
  pollIntervalMinutes: number,
): SafeHtml {
  if (connection?.state === 'connected') {
    return html`<p>
        Connected as <strong>${connection.googleEmail}</strong> (calendar ${connection.calendarId}).
      </p>
      ${pushStatusView(push, pollIntervalMinutes)}
      <p><a class="button danger" href="/settings/google/disconnect">Disconnect Google Calendar</a></p>`;
  }
  return html`<p>Not connected: participants cannot book until you connect again.</p>
    <p><a class="button" href="/auth/google">Reconnect Google Calendar</a></p>`;
}

function timeZoneSection(csrf: string, chosen: string | null, refusal: ZoneRefusal | undefined): SafeHtml {
  return html`<section class="card" aria-labelledby="time-zone-heading" id="time-zone">
    <h2 id="time-zone-heading">Your time zone</h2>
    <p>
      ${
        chosen
          ? html`Times in the console are shown in <strong>${chosen}</strong>.`
          : "Not chosen: times are shown in each study's own time zone."
      }
    </p>
    <form method="post" action="/settings/time-zone" novalidate>
      <input type="hidden" name="csrf" value="${csrf}" />
      <div class="${refusal ? 'field has-error' : 'field'}">
        <label for="researcher-time-zone">Time zone</label>
        <p id="researcher-time-zone-hint" class="hint">
          An IANA name such as Europe/Berlin; type to search. Leave empty to use each study's zone.
        </p>
        ${
          refusal
            ? html`<p id="researcher-time-zone-error" class="field-error">
                <span class="visually-hidden">Error:</span> ${refusal.message}
              </p>`
            : ''
        }
        <input
          id="researcher-time-zone"
          type="text"
          name="timeZone"
          list="researcher-time-zones"
          autocomplete="off"
          spellcheck="false"
          value="${refusal ? refusal.typed : (chosen ?? '')}"
          aria-describedby="researcher-time-zone-hint${refusal ? ' researcher-time-zone-error' : ''}"
        />
        <datalist id="researcher-time-zones">
          ${TIME_ZONES.map((zone) => html`<option value="${zone}"></option>`)}
        </datalist>
      </div>
      <div class="form-actions">
        <button type="submit">Save time zone</button>
        <button type="button" class="secondary" data-device-zone="researcher-time-zone" hidden>
          Use this device's zone
        </button>
      </div>
    </form>
  </section>`;
}
