import type { Knex } from 'knex';
import { Gone } from '../http/problem';
import { lockInvitation, markAccepted, wasReplaced, type TeamInvitation } from './invitation-repository';
import { invitationStanding, type InvitationStanding } from './invitation-standing';
import {
  countMembers,
  deleteTeamIfEmpty,
  dropFromHosts,
  findTeam,
  listStudiesOfTeam,
  lockTeam,
  lockTeamOf,
  moveStudies,
  setTeam,
  studiesHostedOnlyBy,
  type StudyRef,
  type Team,
} from './team-repository';

type Db = Knex | Knex.Transaction;

/** An invitation as the join page and its refusals speak of it. */
export interface InvitationView {
  invitation: TeamInvitation;
  /** `replaced`: revoked because the address was invited again (a newer link exists). */
  standing: InvitationStanding | 'replaced';
  team: Team;
  inviter: { name: string; email: string } | null;
}

/** Why joining did not happen; nothing was changed. */
export type JoinRefusal =
  | { kind: 'gone'; view: InvitationView }
  | { kind: 'wrongAccount'; view: InvitationView; accountEmail: string }
  /** They would leave a team with other members while being the only host of its studies. */
  | { kind: 'onlyHost'; view: InvitationView; previousTeam: Team; studies: StudyRef[] };

export class JoinRefused extends Error {
  override name = 'JoinRefused';
  constructor(readonly refusal: JoinRefusal) {
    super(`joining the team was refused: ${refusal.kind}`);
  }
}

export interface Joined {
  team: Team;
  /** They were in the team already (the link opened twice): nothing moved. */
  alreadyMember: boolean;
  /** Studies of their previous team, which had nobody else, that moved with them. */
  movedStudies: StudyRef[];
}

export async function describeInvitation(
  db: Db,
  invitation: TeamInvitation,
  now: Date,
): Promise<InvitationView | undefined> {
  const team = await findTeam(db, invitation.teamId);
  if (!team) return undefined;
  const inviter = invitation.invitedBy
    ? await db('researchers')
        .where({ id: invitation.invitedBy })
        .first<{ name: string; email: string } | undefined>('name', 'email')
    : undefined;
  const standing = invitationStanding(invitation, now);
  return {
    invitation,
    standing: standing === 'revoked' && (await wasReplaced(db, invitation)) ? 'replaced' : standing,
    team,
    inviter: inviter ?? null,
  };
}

/**
 * Before anything of the account is stored: the invitation (locked for the rest of the
 * sign-in's transaction) must still be open, or already accepted (a second sign-in through
 * the same link, decided in `joinTeam`), and the Google account's address must be the one
 * invited, in any case.
 */
export async function checkInvitationForAccount(
  trx: Knex.Transaction,
  invitationId: string,
  accountEmail: string,
  now: Date,
): Promise<InvitationView> {
  const invitation = await lockInvitation(trx, invitationId);
  const view = invitation ? await describeInvitation(trx, invitation, now) : undefined;
  // Gone with its team: the inviter's own team closed when they joined another one.
  if (!view) {
    throw new Gone(
      'This invitation no longer exists: the team it was for has closed. Ask the person who invited you for a new invitation.',
      'invitation-gone',
    );
  }
  if (view.standing !== 'open' && view.standing !== 'accepted') throw new JoinRefused({ kind: 'gone', view });
  if (view.invitation.email.toLowerCase() !== accountEmail.toLowerCase()) {
    throw new JoinRefused({ kind: 'wrongAccount', view, accountEmail });
  }
  return view;
}

/**
 * The signed-in researcher (new, or existing) joins the inviting team. A new researcher's
 * own team, made when they were stored, is left empty and removed. An existing researcher
 * moves: if nobody else is in their previous team, its studies move with them and the empty
 * team goes; otherwise the studies stay there, and they stop hosting them — refused while
 * they are the only host of any. A used invitation lets nobody in but its own member again.
 */
export async function joinTeam(
  trx: Knex.Transaction,
  view: InvitationView,
  researcherId: string,
): Promise<Joined> {
  const teamId = view.team.id;
  const previousId = await lockTeamOf(trx, researcherId);
  if (!previousId) throw new Error('the researcher joining does not exist');
  if (previousId === teamId) {
    if (view.standing === 'open') await markAccepted(trx, view.invitation.id, researcherId);
    return { team: view.team, alreadyMember: true, movedStudies: [] };
  }
  if (view.standing !== 'open') throw new JoinRefused({ kind: 'gone', view });
  // Both teams locked, always in the same order, so two joins crossing cannot deadlock.
  const [first, second] = [previousId, teamId].sort();
  await lockTeam(trx, first ?? '');
  await lockTeam(trx, second ?? '');
  const previousTeam = await findTeam(trx, previousId);
  if (!previousTeam) throw new Error('the researcher’s team does not exist');
  const othersStay = (await countMembers(trx, previousId)) > 1;
  let movedStudies: StudyRef[] = [];
  if (othersStay) {
    const studies = await studiesHostedOnlyBy(trx, researcherId, previousId);
    if (studies.length > 0) throw new JoinRefused({ kind: 'onlyHost', view, previousTeam, studies });
    await dropFromHosts(trx, researcherId, previousId);
  } else {
    movedStudies = await listStudiesOfTeam(trx, previousId);
    await moveStudies(trx, previousId, teamId);
  }
  await setTeam(trx, researcherId, teamId);
  if (!othersStay) await deleteTeamIfEmpty(trx, previousId);
  await markAccepted(trx, view.invitation.id, researcherId);
  return { team: view.team, alreadyMember: false, movedStudies };
}

/** What joining would do to the studies of a signed-in researcher's current team (the page says it before). */
export async function studiesThatWouldMove(
  db: Db,
  researcherId: string,
  teamId: string,
): Promise<{ alreadyMember: boolean; studies: StudyRef[]; othersStay: boolean; previousTeam?: Team }> {
  const row = await db('researchers')
    .where({ id: researcherId })
    .first<{ team_id: string } | undefined>('team_id');
  if (!row) return { alreadyMember: false, studies: [], othersStay: false };
  if (row.team_id === teamId) return { alreadyMember: true, studies: [], othersStay: false };
  const previousTeam = await findTeam(db, row.team_id);
  const othersStay = (await countMembers(db, row.team_id)) > 1;
  return {
    alreadyMember: false,
    othersStay,
    studies: othersStay ? [] : await listStudiesOfTeam(db, row.team_id),
    ...(previousTeam ? { previousTeam } : {}),
  };
}
