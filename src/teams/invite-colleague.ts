import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { Conflict } from '../http/problem';
import type { JobQueue } from '../jobs/queue';
import { enqueueKeyedEmail } from '../mail/outbox-repository';
import { randomToken, sha256Hex } from '../security/secrets';
import { encryptToken } from '../security/token-cipher';
import { insertInvitation, revokeOpenInvitationFor, type TeamInvitation } from './invitation-repository';
import { INVITATION_TTL_DAYS } from './invitation-standing';
import { teamIdOf } from './team-scope';
import { lockTeam } from './team-repository';

export interface InviteDeps {
  knex: Knex;
  queue: JobQueue;
  publicUrl: string;
  keys: readonly EncryptionKey[];
}

/** Where an invitation's link leads: the public join page. */
export function joinUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/join/${token}`;
}

/**
 * A team member invites a colleague by email. In one transaction: the open invitation to the
 * same address (if any) is revoked, so its link stops working; a new one with a fresh random
 * token (only its SHA-256 is kept) is stored; and its email is written to the outbox, keyed
 * by the invitation, so it goes out exactly once. An address already in the team is refused.
 */
export async function inviteColleague(
  deps: InviteDeps,
  input: { researcherId: string; email: string; now?: Date },
): Promise<TeamInvitation> {
  const now = input.now ?? new Date();
  return deps.knex.transaction(async (trx) => {
    const teamId = await teamIdOf(trx, input.researcherId);
    if (!teamId) throw new Error('the inviting researcher does not exist');
    await lockTeam(trx, teamId);
    const member = await trx('researchers')
      .where({ team_id: teamId })
      .whereRaw('lower(email) = lower(?)', [input.email])
      .first<{ name: string } | undefined>('name');
    if (member) {
      throw new Conflict(`${input.email} is already a member of your team.`, 'already-a-member');
    }
    await revokeOpenInvitationFor(trx, teamId, input.email);
    const token = randomToken(32);
    const invitation = await insertInvitation(trx, {
      teamId,
      email: input.email,
      tokenHash: sha256Hex(token),
      invitedBy: input.researcherId,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
    });
    await enqueueKeyedEmail(trx, deps.queue, {
      kind: 'team_invitation',
      dedupeKey: `team_invitation:${invitation.id}`,
      toEmail: invitation.email,
      toName: '',
      link: encryptToken(joinUrl(deps.publicUrl, token), deps.keys),
      details: { invitationId: invitation.id },
    });
    return invitation;
  });
}
