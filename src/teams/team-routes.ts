import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { currentResearcherId } from '../auth/authenticate';
import { NotFound } from '../http/problem';
import type { RouteTable } from '../http/route-table';
import { revokeInvitation, type PendingInvitation } from './invitation-repository';
import { inviteColleague, type InviteDeps } from './invite-colleague';
import { removeMember, upcomingInterviewsNote } from './remove-member';
import { teamIdOf } from './team-scope';
import { renameTeam, type TeamMember } from './team-repository';
import { loadTeamView } from './team-view';

export interface TeamRouteDeps {
  knex: Knex;
  authenticate: RequestHandler;
  invite: InviteDeps;
}

const CONNECTION_STATES = ['connected', 'revoked', 'needs_consent', 'not_connected'] as const;

const MemberSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  joinedAt: z.string(),
  /** Whether the member's calendar can take interviews: only a connected one can. */
  google: z.enum(CONNECTION_STATES),
});
const InvitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  invitedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
const TeamSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  members: z.array(MemberSchema),
  invitations: z.array(InvitationSchema),
});
const StudyRefSchema = z.object({ id: z.uuid(), title: z.string() });
const RemovedSchema = z.object({
  researcherId: z.uuid(),
  newTeam: z.object({ id: z.uuid(), name: z.string() }),
  droppedFromStudies: z.array(StudyRefSchema),
  upcomingInterviews: z.number().int(),
  note: z.string(),
});

/** Shared with the team page's forms: the same limits, the same words. */
export const TeamNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a team name')
  .max(100, 'must be at most 100 characters');
export const InviteEmailSchema = z
  .string()
  .trim()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email('Enter an email address like name@example.com'));

const RenameBody = z.strictObject({ name: TeamNameSchema });
const InviteBody = z.strictObject({ email: InviteEmailSchema });
const InvitationParams = z.object({ id: z.uuid('must be an invitation id') });
const MemberParams = z.object({ researcherId: z.uuid('must be a researcher id') });

const security = ['session', 'bearer'];

export const memberJson = (member: TeamMember) => ({
  id: member.id,
  name: member.name,
  email: member.email,
  joinedAt: member.joinedAt.toISOString(),
  google: member.google,
});
export const invitationJson = (invitation: PendingInvitation) => ({
  id: invitation.id,
  email: invitation.email,
  invitedBy: invitation.invitedBy,
  createdAt: invitation.createdAt.toISOString(),
  expiresAt: invitation.expiresAt.toISOString(),
});

/** `/api/team`: the caller's team, its members and invitations; the team page uses the same use cases. */
export function registerTeamRoutes(table: RouteTable, deps: TeamRouteDeps): void {
  const { knex, authenticate } = deps;
  const sendTeam = async (researcherId: string, res: import('express').Response, status = 200) => {
    const view = await loadTeamView(knex, researcherId, new Date());
    res.status(status).json({
      id: view.team.id,
      name: view.team.name,
      members: view.members.map(memberJson),
      invitations: view.invitations.map(invitationJson),
    });
  };

  table.add({
    method: 'get',
    path: '/api/team',
    summary: "The caller's team: members (with their Google connection) and pending invitations",
    tags: ['teams'],
    security,
    middleware: [authenticate],
    responses: { 200: { description: 'Team', schema: TeamSchema } },
    handler: async ({ res }) => sendTeam(currentResearcherId(res), res),
  });

  table.add({
    method: 'patch',
    path: '/api/team',
    summary: 'Rename the team',
    tags: ['teams'],
    security,
    middleware: [authenticate],
    body: RenameBody,
    responses: { 200: { description: 'Team', schema: TeamSchema } },
    handler: async ({ body, res }) => {
      const researcherId = currentResearcherId(res);
      const teamId = await teamIdOf(knex, researcherId);
      if (!teamId) throw new NotFound();
      await renameTeam(knex, teamId, body.name);
      await sendTeam(researcherId, res);
    },
  });

  table.add({
    method: 'post',
    path: '/api/team/invitations',
    summary:
      'Invite a colleague by email (sent once; the link works 7 days). Inviting the same address again replaces the open invitation and its link',
    tags: ['teams'],
    security,
    middleware: [authenticate],
    body: InviteBody,
    responses: {
      201: { description: 'The invitation', schema: InvitationSchema },
      409: {
        description:
          'The address is already a member of the team, or the team has 50 invitations waiting for an answer; nothing changed',
      },
      429: { description: 'The team sent 50 invitations in the last 24 hours; nothing changed' },
    },
    handler: async ({ body, res }) => {
      const researcherId = currentResearcherId(res);
      const invitation = await inviteColleague(deps.invite, { researcherId, email: body.email });
      const inviter = await knex('researchers').where({ id: researcherId }).first<{ name: string }>('name');
      res.status(201).json(
        invitationJson({
          ...invitation,
          invitedBy: { id: researcherId, name: inviter.name },
        }),
      );
    },
  });

  table.add({
    method: 'delete',
    path: '/api/team/invitations/:id',
    summary: 'Revoke a pending invitation: its link stops working',
    tags: ['teams'],
    security,
    middleware: [authenticate],
    params: InvitationParams,
    responses: {
      204: { description: 'Revoked' },
      404: { description: 'No pending invitation by this id in your team' },
    },
    handler: async ({ params, res }) => {
      const teamId = await teamIdOf(knex, currentResearcherId(res));
      if (!teamId || !(await revokeInvitation(knex, teamId, params.id))) {
        throw new NotFound('No pending invitation by this id in your team.');
      }
      res.status(204).end();
    },
  });

  table.add({
    method: 'delete',
    path: '/api/team/members/:researcherId',
    summary:
      "Remove a member (or leave): they get a team of their own and stop hosting the team's studies; their upcoming interviews stay as they are on their calendar",
    tags: ['teams'],
    security,
    middleware: [authenticate],
    params: MemberParams,
    responses: {
      200: { description: 'Removed', schema: RemovedSchema },
      404: { description: 'No such member in your team' },
      409: {
        description:
          'Refused, nothing changed: you are the last member, or they are the only host of studies (listed in `studies`)',
      },
    },
    handler: async ({ params, res }) => {
      const removed = await removeMember(knex, {
        actorId: currentResearcherId(res),
        memberId: params.researcherId,
      });
      res.json({
        researcherId: removed.researcherId,
        newTeam: { id: removed.newTeam.id, name: removed.newTeam.name },
        droppedFromStudies: removed.droppedFromStudies,
        upcomingInterviews: removed.upcomingInterviews,
        note: upcomingInterviewsNote(removed.upcomingInterviews),
      });
    },
  });
}
