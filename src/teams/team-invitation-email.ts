import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import type { Composed } from '../mail/compose-outbox-email';
import { checkedWebUrl, emailDocument, escapeHtml } from '../mail/html';
import type { RenderedEmail } from '../mail/invitation-email';
import { oneLine } from '../mail/one-line';
import type { OutboxEmail } from '../mail/outbox-repository';
import { decryptToken } from '../security/token-cipher';
import { PRODUCT_NAME } from '../web/console-page';
import { invitationStanding } from './invitation-standing';

export interface TeamInvitationEmailInput {
  inviterName: string;
  teamName: string;
  invitedEmail: string;
  joinUrl: string;
  expiresAt: Date;
}

/**
 * The email that brings a colleague to the join page: who invites them to which team, which
 * Google account to sign in with, and until when the link works.
 */
export function renderTeamInvitationEmail(input: TeamInvitationEmailInput): RenderedEmail {
  const url = checkedWebUrl(input.joinUrl);
  const inviter = oneLine(input.inviterName) || 'A colleague';
  const team = oneLine(input.teamName);
  const subject = `${inviter} invited you to join ${team} on ${PRODUCT_NAME}`;
  const opening = `${inviter} invited you to join the research team “${team}” on ${PRODUCT_NAME}, where the team schedules its study interviews together.`;
  const account = `Sign in with the Google account of ${input.invitedEmail}: the invitation is for this address only.`;
  const expiry = `The link works until ${input.expiresAt.toUTCString()} and only once.`;
  const ignore = 'If you did not expect this email, you can ignore it.';
  const text = ['Hello,', opening, `Join the team:\n${url}`, account, expiry, ignore].join('\n\n') + '\n';
  const e = escapeHtml;
  const html = emailDocument(
    subject,
    `<p>Hello,</p>
<p>${e(opening)}</p>
<p><a href="${e(url)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;">Join ${e(team)}</a></p>
<p>If the button does not work, copy this address into your browser:<br><a href="${e(url)}" style="color:#1a56db;word-break:break-all;">${e(url)}</a></p>
<p>${e(account)}</p>
<p>${e(expiry)}</p>
<p style="color:#555555;font-size:14px;">${e(ignore)}</p>`,
  );
  return { subject, text, html };
}

/**
 * The outbox row of a team invitation, made at send time from the invitation as it is now:
 * one revoked, replaced or accepted before its email went out is not sent at all.
 */
export async function composeTeamInvitationEmail(
  trx: Knex.Transaction,
  email: OutboxEmail,
  keys: readonly EncryptionKey[],
  now = new Date(),
): Promise<Composed> {
  const invitationId = email.details?.invitationId;
  if (typeof invitationId !== 'string') return { ok: false, reason: 'the email names no invitation' };
  const row = await trx('team_invitations as i')
    .join('teams as t', 't.id', 'i.team_id')
    .leftJoin('researchers as r', 'r.id', 'i.invited_by')
    .where('i.id', invitationId)
    .first<
      | {
          email: string;
          expires_at: Date;
          accepted_at: Date | null;
          revoked_at: Date | null;
          team_name: string;
          inviter_name: string | null;
          inviter_email: string | null;
        }
      | undefined
    >(
      'i.email',
      'i.expires_at',
      'i.accepted_at',
      'i.revoked_at',
      't.name as team_name',
      'r.name as inviter_name',
      'r.email as inviter_email',
    );
  if (!row) return { ok: false, obsolete: true, reason: 'the invitation no longer exists' };
  const standing = invitationStanding(
    { acceptedAt: row.accepted_at, revokedAt: row.revoked_at, expiresAt: row.expires_at },
    now,
  );
  if (standing !== 'open') return { ok: false, obsolete: true, reason: `the invitation is ${standing}` };
  if (!email.bookingUrl) return { ok: false, reason: 'the join link of this email is gone' };
  let joinUrl: string;
  try {
    joinUrl = decryptToken(email.bookingUrl, keys);
  } catch (error) {
    return {
      ok: false,
      reason: `the join link cannot be decrypted: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return {
    ok: true,
    message: renderTeamInvitationEmail({
      inviterName: row.inviter_name || row.inviter_email || '',
      teamName: row.team_name,
      invitedEmail: row.email,
      joinUrl,
      expiresAt: row.expires_at,
    }),
  };
}
