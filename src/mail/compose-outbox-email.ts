import type { EncryptionKey } from '../config';
import { decryptToken } from '../security/token-cipher';
import { renderEmailTemplate } from './email-templates';
import { renderInvitationEmail, type RenderedEmail } from './invitation-email';
import type { InvitationContext, OutboxEmail } from './outbox-repository';

export type Composed = { ok: true; message: RenderedEmail } | { ok: false; reason: string };

/**
 * The message of an outbox row, made at send time: the invitation rendered from the
 * participant, their study and researcher, with the booking link decrypted only here and
 * only for this send. Why a row cannot be sent (the participant is gone, the key that sealed
 * the link was removed) is a reason to give up on it, not to retry: nothing will change.
 */
export function composeOutboxEmail(
  email: OutboxEmail,
  context: InvitationContext | undefined,
  keys: readonly EncryptionKey[],
): Composed {
  if (email.legacyBody) {
    // Rendered and stored before links were encrypted; sent as it was written.
    return { ok: true, message: { subject: email.subject ?? '', ...email.legacyBody } };
  }
  if (email.kind !== 'invitation' && email.kind !== 'reinvitation') {
    return { ok: false, reason: `unknown kind of email "${email.kind}"` };
  }
  if (!email.bookingUrl) return { ok: false, reason: 'the booking link of this email is gone' };
  if (!context) return { ok: false, reason: 'the participant no longer exists' };
  let bookingUrl: string;
  try {
    bookingUrl = decryptToken(email.bookingUrl, keys);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `the booking link cannot be decrypted: ${detail}` };
  }
  const researcherName = context.researcherName || context.researcherEmail || 'the research team';
  const override = context.emailTemplates.invitation;
  if (override) {
    // The study's own words serve the invitation and the re-invitation alike: the new link
    // is in it, and the old one stops working whatever the email says.
    const message = renderEmailTemplate('invitation', override, {
      participantName: context.participantName,
      studyTitle: context.studyTitle,
      durationMinutes: String(context.durationMinutes),
      researcherName,
      bookingUrl,
    });
    return { ok: true, message };
  }
  const message = renderInvitationEmail({
    participantName: context.participantName,
    studyTitle: context.studyTitle,
    durationMinutes: context.durationMinutes,
    researcherName,
    bookingUrl,
    kind: email.kind,
  });
  return { ok: true, message };
}
