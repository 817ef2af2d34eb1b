import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { FORM_RESPONSES, PAGE_RESPONSES } from '../console/page-responses';
import { formatDate } from '../console/console-format';
import { AppError, Conflict, TooManyRequests } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import type { Console } from '../web/console-page';
import { errorSummary } from '../web/error-summary';
import { html, type SafeHtml } from '../web/html';
import { sendNotFoundPage } from '../web/page-session';
import { revokeInvitation } from './invitation-repository';
import { inviteColleague, type InviteDeps } from './invite-colleague';
import { removeMember, upcomingInterviewsNote } from './remove-member';
import { teamIdOf } from './team-scope';
import {
  listMembers,
  renameTeam,
  studiesHostedOnlyBy,
  type MemberConnection,
  type TeamMember,
} from './team-repository';
import { InviteEmailSchema, TeamNameSchema } from './team-routes';
import { loadTeamView } from './team-view';
import { TEAM_PAGE_PATH } from './join-pages';

export interface TeamPageDeps {
  knex: Knex;
  web: Console;
  invite: InviteDeps;
}

const CsrfForm = z.object({ csrf: z.string() });
// Any text: what is wrong with it is said beside the field, not as a bare 400.
const InviteForm = CsrfForm.extend({ email: z.string().max(1000).default('') });
const RenameForm = CsrfForm.extend({ name: z.string().max(1000).default('') });
const IdParams = z.object({ id: z.string().max(100) });

/** A refused form, shown again with the error beside its field. */
interface FormRefusal {
  form: 'invite' | 'rename';
  typed: string;
  message: string;
}

const CONNECTION_WORDS: Record<MemberConnection, string> = {
  connected: 'connected',
  revoked: 'revoked: cannot host until they connect again',
  needs_consent: 'needs consent: cannot host until they sign in again',
  not_connected: 'not connected',
};

/**
 * `/team`: the members (with their Google connection), pending invitations (revoke), the
 * invite form, renaming the team and removing a member after a confirmation — on the same
 * use cases as /api/team.
 */
export function registerTeamPage(table: RouteTable, deps: TeamPageDeps): void {
  const { web, knex } = deps;

  table.add({
    method: 'get',
    path: TEAM_PAGE_PATH,
    summary: 'The team: members, invitations, invite a colleague, rename, remove (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    responses: { ...PAGE_RESPONSES, 200: { description: 'Team page', contentType: 'text/html' } },
    handler: async ({ req, res }) => showTeam(req, res),
  });

  table.add({
    method: 'post',
    path: `${TEAM_PAGE_PATH}/invitations`,
    summary: 'Invite a colleague by email (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    body: InviteForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Invited: back to the team page' },
      409: {
        description:
          'Already a member, or too many invitations open: the page with the error beside the field',
        contentType: 'text/html',
      },
      429: {
        description: 'Too many invitations sent today: the page with the error beside the field',
        contentType: 'text/html',
      },
    },
    handler: async ({ body, req, res }) => {
      const parsed = InviteEmailSchema.safeParse(body.email);
      if (!parsed.success) {
        return showTeam(req, res, 400, {
          form: 'invite',
          typed: body.email,
          message: 'Enter an email address like name@example.com',
        });
      }
      try {
        await inviteColleague(deps.invite, {
          researcherId: web.session(res).researcherId,
          email: parsed.data,
        });
      } catch (error) {
        if (error instanceof Conflict || error instanceof TooManyRequests) {
          return showTeam(req, res, error.status, {
            form: 'invite',
            typed: body.email,
            message: error.message,
          });
        }
        throw error;
      }
      web.flash(res, { message: `Invitation sent to ${parsed.data}. The link works for 7 days.` });
      res.redirect(303, TEAM_PAGE_PATH);
    },
  });

  table.add({
    method: 'post',
    path: `${TEAM_PAGE_PATH}/name`,
    summary: 'Rename the team (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    body: RenameForm,
    responses: { ...FORM_RESPONSES, 303: { description: 'Renamed: back to the team page' } },
    handler: async ({ body, req, res }) => {
      const parsed = TeamNameSchema.safeParse(body.name);
      if (!parsed.success) {
        return showTeam(req, res, 400, {
          form: 'rename',
          typed: body.name,
          message:
            parsed.error.issues[0]?.message === 'Enter a team name'
              ? 'Enter a team name'
              : 'The team name must be at most 100 characters',
        });
      }
      const teamId = await teamIdOf(knex, web.session(res).researcherId);
      if (teamId) await renameTeam(knex, teamId, parsed.data);
      web.flash(res, { message: `Team renamed to ${parsed.data}.` });
      res.redirect(303, TEAM_PAGE_PATH);
    },
  });

  table.add({
    method: 'post',
    path: `${TEAM_PAGE_PATH}/invitations/:id/revoke`,
    summary: 'Revoke a pending invitation (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: IdParams,
    body: CsrfForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Revoked: back to the team page' },
      404: { description: 'No pending invitation by this id in your team', contentType: 'text/html' },
    },
    handler: async ({ params, res }) => {
      const teamId = await teamIdOf(knex, web.session(res).researcherId);
      const invitation = z.uuid().safeParse(params.id).success
        ? await knex('team_invitations')
            .where({ id: params.id, team_id: teamId })
            .first<{ email: string } | undefined>('email')
        : undefined;
      if (!teamId || !invitation || !(await revokeInvitation(knex, teamId, params.id))) {
        return sendNotFoundPage(res, 'pending invitation');
      }
      web.flash(res, { message: `Invitation for ${invitation.email} revoked: its link no longer works.` });
      res.redirect(303, TEAM_PAGE_PATH);
    },
  });

  table.add({
    method: 'get',
    path: `${TEAM_PAGE_PATH}/members/:id/remove`,
    summary: 'Asks before removing a member from the team (HTML)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: IdParams,
    responses: {
      ...PAGE_RESPONSES,
      200: { description: 'Confirmation page', contentType: 'text/html' },
      404: { description: 'No such member in your team', contentType: 'text/html' },
    },
    handler: async ({ params, req, res }) => {
      const session = web.session(res);
      const member = await memberOfTeam(session.researcherId, params.id);
      if (!member) return sendNotFoundPage(res, 'member of your team');
      const teamId = (await teamIdOf(knex, session.researcherId)) ?? '';
      const onlyHostOf = await studiesHostedOnlyBy(knex, member.id, teamId);
      const self = member.id === session.researcherId;
      const title = self ? 'Leave the team?' : `Remove ${member.name || member.email} from the team?`;
      web.sendPage(req, res, {
        title,
        current: 'team',
        body: html`<p><a href="${TEAM_PAGE_PATH}">Back to the team</a></p>
          <h1>${title}</h1>
          <div class="card">
            ${
              onlyHostOf.length > 0
                ? html`<p>
                      ${self ? 'You are' : `${member.name || member.email} is`} the only host of these
                      studies, so ${self ? 'you' : 'they'} cannot leave the team yet. Add another host to them
                      first:
                    </p>
                    <ul>
                      ${onlyHostOf.map((study) => html`<li><a href="/studies/${study.id}">${study.title}</a></li>`)}
                    </ul>
                    <p><a href="${TEAM_PAGE_PATH}">Back to the team</a></p>`
                : html`<p>
                      ${self ? 'You get' : 'They get'} a team of ${self ? 'your' : 'their'} own and no longer
                      see this team's studies; ${self ? 'you stop' : 'they stop'} hosting them. The studies
                      stay with the team.
                    </p>
                    <p>
                      ${self ? 'Your' : 'Their'} upcoming interviews stay as they are on
                      ${self ? 'your' : 'their'} Google Calendar.
                    </p>
                    <form
                      method="post"
                      action="${TEAM_PAGE_PATH}/members/${member.id}/remove"
                      class="form-actions"
                    >
                      <input type="hidden" name="csrf" value="${session.csrf}" />
                      <button type="submit" class="danger">${removeLabel(member, self)}</button>
                      <a href="${TEAM_PAGE_PATH}">Cancel</a>
                    </form>`
            }
          </div>`,
      });
    },
  });

  table.add({
    method: 'post',
    path: `${TEAM_PAGE_PATH}/members/:id/remove`,
    summary: 'Remove a member from the team (HTML form with CSRF token)',
    tags: ['console'],
    middleware: [web.requireSession],
    params: IdParams,
    body: CsrfForm,
    responses: {
      ...FORM_RESPONSES,
      303: { description: 'Removed: back to the team page (or home, after leaving)' },
      404: { description: 'No such member in your team', contentType: 'text/html' },
      409: {
        description: 'Refused (last member, only host of studies): nothing changed',
        contentType: 'text/html',
      },
    },
    handler: async ({ params, req, res }) => {
      const { researcherId } = web.session(res);
      const member = await memberOfTeam(researcherId, params.id);
      if (!member) return sendNotFoundPage(res, 'member of your team');
      try {
        const removed = await removeMember(knex, { actorId: researcherId, memberId: member.id });
        const self = member.id === researcherId;
        web.flash(res, {
          message: self
            ? `You left the team; you are now in ${removed.newTeam.name}.`
            : `${member.name || member.email} was removed from the team. ${upcomingInterviewsNote(removed.upcomingInterviews)}`,
        });
        res.redirect(303, TEAM_PAGE_PATH);
      } catch (error) {
        if (error instanceof Conflict) {
          web.sendPage(
            req,
            res,
            {
              title: 'Not removed',
              current: 'team',
              body: html`<p><a href="${TEAM_PAGE_PATH}">Back to the team</a></p>
                <h1>Not removed</h1>
                <div class="card">
                  <p>${(error as AppError).message}</p>
                  <p>Nothing was changed.</p>
                </div>`,
            },
            409,
          );
          return;
        }
        throw error;
      }
    },
  });

  async function memberOfTeam(researcherId: string, memberId: string): Promise<TeamMember | undefined> {
    if (!z.uuid().safeParse(memberId).success) return undefined;
    const teamId = await teamIdOf(knex, researcherId);
    return teamId ? (await listMembers(knex, teamId)).find((member) => member.id === memberId) : undefined;
  }

  async function showTeam(req: Request, res: Response, status = 200, refusal?: FormRefusal): Promise<void> {
    const { researcherId, csrf } = web.session(res);
    const view = await loadTeamView(knex, researcherId, new Date());
    const fieldId = refusal?.form === 'rename' ? 'team-name' : 'invite-email';
    web.sendPage(
      req,
      res,
      {
        title: refusal ? 'Error: Team' : 'Team',
        current: 'team',
        body: html`${refusal ? errorSummary('There is a problem', [{ fieldId, message: refusal.message }]) : ''}
          <h1>${view.team.name}</h1>
          <section class="card" aria-labelledby="members-heading">
            <h2 id="members-heading">Members</h2>
            <p>
              Everyone here sees and manages the team's studies. Members with a connected Google Calendar can
              host interviews.
            </p>
            <ul class="token-list">
              ${view.members.map((member) => memberItem(member, member.id === researcherId, view.members.length > 1))}
            </ul>
          </section>
          <section class="card" aria-labelledby="invite-heading">
            <h2 id="invite-heading">Invite a colleague</h2>
            <form method="post" action="${TEAM_PAGE_PATH}/invitations" novalidate>
              <input type="hidden" name="csrf" value="${csrf}" />
              ${field({
                id: 'invite-email',
                name: 'email',
                label: 'Email address',
                type: 'email',
                autocomplete: 'off',
                hint: 'They get an email with a link that works for 7 days, and join by signing in with the Google account of this address.',
                value: refusal?.form === 'invite' ? refusal.typed : '',
                error: refusal?.form === 'invite' ? refusal.message : undefined,
              })}
              <div class="form-actions"><button type="submit">Invite colleague</button></div>
            </form>
            <h3>Pending invitations</h3>
            ${
              view.invitations.length === 0
                ? html`<p>No pending invitations.</p>`
                : html`<ul class="token-list">
                    ${view.invitations.map(
                      (invitation) =>
                        html`<li>
                          <div>
                            <strong>${invitation.email}</strong>
                            <span class="token-dates"
                              >Invited by ${invitation.invitedBy?.name || 'a former member'} on
                              ${formatDate(invitation.createdAt)} · link works until
                              ${formatDate(invitation.expiresAt)}</span
                            >
                          </div>
                          <form method="post" action="${TEAM_PAGE_PATH}/invitations/${invitation.id}/revoke">
                            <input type="hidden" name="csrf" value="${csrf}" />
                            <button type="submit" class="secondary">
                              Revoke<span class="visually-hidden"> invitation for ${invitation.email}</span>
                            </button>
                          </form>
                        </li>`,
                    )}
                  </ul>`
            }
          </section>
          <section class="card" aria-labelledby="name-heading">
            <h2 id="name-heading">Rename the team</h2>
            <form method="post" action="${TEAM_PAGE_PATH}/name" novalidate>
              <input type="hidden" name="csrf" value="${csrf}" />
              ${field({
                id: 'team-name',
                name: 'name',
                label: 'Team name',
                type: 'text',
                autocomplete: 'off',
                hint: 'What members see at the top of this page and in invitations.',
                value: refusal?.form === 'rename' ? refusal.typed : view.team.name,
                error: refusal?.form === 'rename' ? refusal.message : undefined,
              })}
              <div class="form-actions"><button type="submit" class="secondary">Rename team</button></div>
            </form>
          </section>`,
      },
      status,
    );
  }
}

function removeLabel(member: TeamMember, self: boolean): string {
  return self ? 'Leave the team' : `Remove ${member.name || member.email} from the team`;
}

/** The last member cannot leave (there is no team to leave): no link for it. */
function memberItem(member: TeamMember, self: boolean, canLeave: boolean): SafeHtml {
  const name = member.name || member.email;
  return html`<li>
    <div>
      <strong>${name}${self ? ' (you)' : ''}</strong>
      <span class="token-dates">${member.email} · joined ${formatDate(member.joinedAt)}</span>
      <span class="token-dates"
        >Google Calendar:
        <span class="${member.google === 'connected' ? 'state state--open' : 'state'}"
          >${CONNECTION_WORDS[member.google]}</span
        ></span
      >
    </div>
    ${
      self && !canLeave
        ? ''
        : html`<a href="${TEAM_PAGE_PATH}/members/${member.id}/remove"
            >${self ? 'Leave the team' : html`Remove<span class="visually-hidden"> ${name} from the team</span>`}</a
          >`
    }
  </li>`;
}

function field(input: {
  id: string;
  name: string;
  label: string;
  type: string;
  autocomplete: string;
  hint: string;
  value: string;
  error: string | undefined;
}): SafeHtml {
  const describedBy = `${input.id}-hint${input.error ? ` ${input.id}-error` : ''}`;
  return html`<div class="${input.error ? 'field has-error' : 'field'}">
    <label for="${input.id}">${input.label}</label>
    <p id="${input.id}-hint" class="hint">${input.hint}</p>
    ${
      input.error
        ? html`<p id="${input.id}-error" class="field-error">
            <span class="visually-hidden">Error:</span> ${input.error}
          </p>`
        : ''
    }
    <input
      id="${input.id}"
      type="${input.type}"
      name="${input.name}"
      autocomplete="${input.autocomplete}"
      spellcheck="false"
      value="${input.value}"
      aria-describedby="${describedBy}"
      ${input.error ? html`aria-invalid="true"` : ''}
    />
  </div>`;
}
