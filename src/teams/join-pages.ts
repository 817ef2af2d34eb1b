import { AppError, Conflict, Forbidden, Gone } from '../http/problem';
import { PRODUCT_NAME } from '../web/console-page';
import type { ErrorPage } from '../web/error-page';
import { formatMomentInZone } from '../web/format-time';
import { html, type SafeHtml } from '../web/html';
import { renderDocument } from '../web/page-document';
import type { InvitationView, JoinRefusal, Joined } from './join-team';
import type { StudyRef, Team } from './team-repository';

export const TEAM_PAGE_PATH = '/team';

/** What the page knows of a signed-in visitor's current team (nothing when signed out). */
export type VisitorStanding =
  | { kind: 'signedOut' }
  | { kind: 'alreadyMember' }
  | { kind: 'moving'; previousTeam?: Team | undefined; othersStay: boolean; studies: StudyRef[] };

function inviterName(view: InvitationView): string {
  return view.inviter?.name || view.inviter?.email || 'A colleague';
}

/** Whom to ask for a new link: the inviter by name and address, else the team. */
function whomToAsk(view: InvitationView): string {
  return view.inviter
    ? `${view.inviter.name || view.inviter.email} (${view.inviter.email})`
    : `a member of ${view.team.name}`;
}

function studyList(studies: StudyRef[]): SafeHtml {
  return html`<ul>
    ${studies.map((study) => html`<li>${study.title}</li>`)}
  </ul>`;
}

function whatHappensToStudies(team: string, visitor: VisitorStanding): SafeHtml {
  switch (visitor.kind) {
    case 'alreadyMember':
      return html`<p class="notice notice-info">You are already a member of ${team}.</p>`;
    case 'signedOut':
      return html`<p>
        Already using ${PRODUCT_NAME}? If you are the only member of your current team, your studies move with
        you into ${team}. If your current team has other members, its studies stay with them.
      </p>`;
    case 'moving':
      if (visitor.othersStay) {
        return html`<p class="notice notice-info">
          You leave ${visitor.previousTeam?.name ?? 'your current team'}: its studies stay with its other
          members, and you stop hosting them.
        </p>`;
      }
      return visitor.studies.length === 0
        ? html`<p class="notice notice-info">You have no studies yet: nothing moves with you.</p>`
        : html`<div class="notice notice-info">
            <p>
              You are the only member of ${visitor.previousTeam?.name ?? 'your current team'}, so
              ${visitor.studies.length === 1 ? 'your study moves' : `your ${visitor.studies.length} studies move`}
              with you into ${team}:
            </p>
            ${studyList(visitor.studies)}
          </div>`;
  }
}

/** `GET /join/:token`: who invites whom to which team, and the one button that goes on. */
export function renderJoinPage(
  view: InvitationView,
  token: string,
  visitor: VisitorStanding,
  stylesheet: string,
): string {
  const heading = `${inviterName(view)} invited you to join ${view.team.name} on ${PRODUCT_NAME}`;
  return renderDocument(
    heading,
    { stylesheet },
    html`<main id="main" class="page">
      <p class="kicker">Team invitation</p>
      <h1>${heading}</h1>
      <p>
        ${view.team.name} schedules its study interviews together here: every member sees and manages the
        team's studies, and members with a connected Google Calendar can host interviews.
      </p>
      <p>
        The invitation is for <strong>${view.invitation.email}</strong>. Sign in with the Google account of
        this address; signing in connects your Google Calendar.
      </p>
      ${whatHappensToStudies(view.team.name, visitor)}
      <p>This invitation works until ${formatMomentInZone(view.invitation.expiresAt, 'UTC')}.</p>
      ${
        visitor.kind === 'alreadyMember'
          ? html`<p class="actions"><a class="button" href="${TEAM_PAGE_PATH}">Go to your team</a></p>`
          : // A link, not a form: the page's Content Security Policy (form-action 'self') would
            // stop a form whose answer redirects on to Google. Following it changes nothing.
            html`<p class="actions">
              <a class="button" href="/join/${token}/sign-in">Sign in with Google to join</a>
            </p>`
      }
    </main>`,
  );
}

export const UNKNOWN_INVITATION: ErrorPage = {
  status: 404,
  heading: 'This invitation link is not valid',
  message: 'Please check that you opened the whole link from the invitation email.',
};

/** An invitation that can no longer be used: what happened, and whom to ask. */
export function goneInvitationPage(view: InvitationView): ErrorPage {
  const ask = whomToAsk(view);
  switch (view.standing) {
    case 'accepted':
      return {
        status: 410,
        heading: 'This invitation has already been used',
        message: `It was used to join ${view.team.name}. If that was you, sign in to get to the team; otherwise ask ${ask} for a new invitation.`,
        links: [{ href: '/', label: 'Sign in' }],
      };
    case 'replaced':
      return {
        status: 410,
        heading: 'This invitation was replaced by a newer one',
        message: `${view.invitation.email} was invited to ${view.team.name} again, and only the newest link works. Use the link in the latest invitation email, or ask ${ask}.`,
      };
    case 'revoked':
      return {
        status: 410,
        heading: 'This invitation was withdrawn',
        message: `The invitation to join ${view.team.name} was revoked. If you should still join, ask ${ask} to invite you again.`,
      };
    default:
      return {
        status: 410,
        heading: 'This invitation has expired',
        message: `Invitations work for 7 days; this one to join ${view.team.name} ended on ${formatMomentInZone(view.invitation.expiresAt, 'UTC')}. Ask ${ask} to invite you again.`,
      };
  }
}

export function joinRefusedPage(refusal: JoinRefusal): ErrorPage {
  const { view } = refusal;
  switch (refusal.kind) {
    case 'gone':
      return goneInvitationPage(view);
    case 'wrongAccount':
      return {
        status: 403,
        heading: `This invitation is for ${view.invitation.email}`,
        message: `You signed in with Google as ${refusal.accountEmail}, but the invitation to join ${view.team.name} is for ${view.invitation.email}. Nothing was changed and you are not signed in. Open the invitation link again and choose the Google account of ${view.invitation.email}, or ask ${whomToAsk(view)} to invite ${refusal.accountEmail} instead.`,
      };
    case 'onlyHost':
      return {
        status: 409,
        heading: `You cannot leave ${refusal.previousTeam.name} yet`,
        message: `You are the only host of these studies of ${refusal.previousTeam.name}, which stay with that team. Add another host to them, then open the invitation link again. Nothing was changed.`,
        details: refusal.studies.map((study) => study.title),
      };
  }
}

/** The same refusals for a client that asked for JSON. */
export function joinRefusedProblem(refusal: JoinRefusal): AppError {
  const page = joinRefusedPage(refusal);
  const detail = `${page.heading}. ${page.message}`;
  if (refusal.kind === 'gone') return new Gone(detail, 'invitation-gone');
  if (refusal.kind === 'wrongAccount') return new Forbidden(detail);
  return new Conflict(detail, 'only-host', { studies: refusal.studies });
}

/** The console's message after joining through the link. */
export function joinedMessage(joined: Joined): string {
  if (joined.alreadyMember) return `You are a member of ${joined.team.name}.`;
  const moved = joined.movedStudies.length;
  return `Welcome to ${joined.team.name}.${
    moved === 0 ? '' : ` ${moved === 1 ? 'Your study moved' : `Your ${moved} studies moved`} with you.`
  }`;
}
