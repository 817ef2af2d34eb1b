import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { Conflict, TooManyRequests } from '../http/problem';
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

/**
 * Invitations are email sent from our domain with a team name anyone can choose in it: a
 * team may send at most this many a day, and hold at most this many open at once.
 */
export const INVITATIONS_PER_DAY = 50;
export const OPEN_INVITATIONS_MAX = 50;

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
    await refuseInvitationFlood(trx, teamId, input.email, now);
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

/** Under the team's lock, so the counts hold however many members invite at once. */
async function refuseInvitationFlood(trx: Knex.Transaction, teamId: string, email: string, now: Date) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const row = await trx('team_invitations')
    .where({ team_id: teamId })
    .select(
      trx.raw('count(*) FILTER (WHERE created_at > ?)::int AS today', [dayAgo]),
      trx.raw(
        `count(*) FILTER (WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?
                            AND lower(email) <> lower(?))::int AS open_others`,
        [now, email],
      ),
      trx.raw('min(created_at) FILTER (WHERE created_at > ?) AS oldest_today', [dayAgo]),
    )
    .first<{ today: number; open_others: number; oldest_today: Date | null }>();
  if (row && row.today >= INVITATIONS_PER_DAY) {
    const freeAt = (row.oldest_today?.getTime() ?? now.getTime()) + 86_400_000;
    throw new TooManyRequests(
      `Your team has sent ${INVITATIONS_PER_DAY} invitations in the last 24 hours, the most it may. Try again later.`,
      Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
    );
  }
  if (row && row.open_others >= OPEN_INVITATIONS_MAX) {
    throw new Conflict(
      `Your team has ${OPEN_INVITATIONS_MAX} invitations waiting for an answer, the most it may. Revoke some before inviting more.`,
      'too-many-open-invitations',
    );
  }
}
