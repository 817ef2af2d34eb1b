import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface TeamInvitation {
  id: string;
  teamId: string;
  email: string;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  revokedAt: Date | null;
}

/** A pending invitation as the team sees it: who asked, and whom. */
export interface PendingInvitation {
  id: string;
  email: string;
  invitedBy: { id: string; name: string } | null;
  createdAt: Date;
  expiresAt: Date;
}

interface InvitationRow {
  id: string;
  team_id: string;
  email: string;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}

const toInvitation = (row: InvitationRow): TeamInvitation => ({
  id: row.id,
  teamId: row.team_id,
  email: row.email,
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
  acceptedBy: row.accepted_by,
  revokedAt: row.revoked_at,
});

const open = (query: Knex.QueryBuilder) => query.whereNull('accepted_at').whereNull('revoked_at');

export async function insertInvitation(
  trx: Knex.Transaction,
  input: { teamId: string; email: string; tokenHash: string; invitedBy: string; expiresAt: Date },
): Promise<TeamInvitation> {
  const [row] = await trx('team_invitations')
    .insert({
      team_id: input.teamId,
      email: input.email,
      token_hash: input.tokenHash,
      invited_by: input.invitedBy,
      expires_at: input.expiresAt,
    })
    .returning<InvitationRow[]>('*');
  if (!row) throw new Error('team_invitations insert returned nothing');
  return toInvitation(row);
}

/**
 * Closes the team's open invitation for this address (any case), so that a new one can take
 * its place: the unique index allows one open invitation per address and team.
 */
export async function revokeOpenInvitationFor(
  trx: Knex.Transaction,
  teamId: string,
  email: string,
): Promise<number> {
  return open(trx('team_invitations'))
    .where({ team_id: teamId })
    .whereRaw('lower(email) = lower(?)', [email])
    .update({ revoked_at: trx.fn.now() });
}

/** Revokes an open invitation of this team; false when there is none by this id. */
export async function revokeInvitation(db: Db, teamId: string, invitationId: string): Promise<boolean> {
  const revoked = await open(db('team_invitations'))
    .where({ team_id: teamId, id: invitationId })
    .update({ revoked_at: db.fn.now() });
  return revoked > 0;
}

/** Open and not yet expired, newest first: what the team page lists. */
export async function listPendingInvitations(
  db: Db,
  teamId: string,
  now: Date,
): Promise<PendingInvitation[]> {
  const rows = await open(db('team_invitations as i'))
    .leftJoin('researchers as r', 'r.id', 'i.invited_by')
    .where('i.team_id', teamId)
    .where('i.expires_at', '>', now)
    .orderBy([{ column: 'i.created_at', order: 'desc' }, { column: 'i.id' }])
    .select<(InvitationRow & { inviter_name: string | null })[]>('i.*', 'r.name as inviter_name');
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    invitedBy: row.invited_by ? { id: row.invited_by, name: row.inviter_name ?? '' } : null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }));
}

export async function findInvitationByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<TeamInvitation | undefined> {
  const row = await db('team_invitations')
    .where({ token_hash: tokenHash })
    .first<InvitationRow | undefined>();
  return row ? toInvitation(row) : undefined;
}

/** Locked for the rest of the transaction: two sign-ins through one link accept it once. */
export async function lockInvitation(
  trx: Knex.Transaction,
  invitationId: string,
): Promise<TeamInvitation | undefined> {
  const row = await trx('team_invitations')
    .where({ id: invitationId })
    .forUpdate()
    .first<InvitationRow | undefined>();
  return row ? toInvitation(row) : undefined;
}

export async function findInvitation(db: Db, invitationId: string): Promise<TeamInvitation | undefined> {
  const row = await db('team_invitations').where({ id: invitationId }).first<InvitationRow | undefined>();
  return row ? toInvitation(row) : undefined;
}

export async function markAccepted(
  trx: Knex.Transaction,
  invitationId: string,
  researcherId: string,
): Promise<void> {
  await trx('team_invitations')
    .where({ id: invitationId })
    .update({ accepted_at: trx.fn.now(), accepted_by: researcherId });
}

/**
 * Whether a new invitation to the same address replaced this revoked one: inviting again
 * revokes the open one in the transaction that inserts the next, so both carry the same
 * `now()`; a revocation by hand followed by a later invitation does not match.
 */
export async function wasReplaced(db: Db, invitation: TeamInvitation): Promise<boolean> {
  if (!invitation.revokedAt) return false;
  const next = await db('team_invitations')
    .where({ team_id: invitation.teamId })
    // In SQL: a JavaScript Date would drop the microseconds the two timestamps share.
    .whereRaw('created_at = (SELECT revoked_at FROM team_invitations WHERE id = ?)', [invitation.id])
    .whereRaw('lower(email) = lower(?)', [invitation.email])
    .whereNot({ id: invitation.id })
    .first('id');
  return next !== undefined;
}
