/** Where an invitation stands; only an open one lets anybody join. */
export type InvitationStanding = 'open' | 'accepted' | 'revoked' | 'expired';

/** Pure: the answer for `now` (an accepted or revoked invitation stays so after it expires). */
export function invitationStanding(
  invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationStanding {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

/** How long a link works: a week is enough to read the email and short enough to forget. */
export const INVITATION_TTL_DAYS = 7;
