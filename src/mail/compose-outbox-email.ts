import type { EncryptionKey } from '../config';
import { decryptToken, type EncryptedToken } from '../security/token-cipher';
import type { Attachment } from './booking-email';
import type { BookingEmailContext } from './booking-email-outbox';
import { composeBookingEmail } from './compose-booking-email';
import { renderEmailTemplate } from './email-templates';
import { renderInvitationEmail, type RenderedEmail } from './invitation-email';
import type { InvitationContext, OutboxEmail } from './outbox-repository';

export type Composed =
  | { ok: true; message: RenderedEmail & { attachments?: Attachment[]; headers?: Record<string, string> } }
  | { ok: false; reason: string }
  /** Overtaken by events (the interview was cancelled meanwhile): not sent, and not a failure. */
  | { ok: false; obsolete: true; reason: string };

/**
 * The message of an outbox row, made at send time: the invitation rendered from the
 * participant, their study and researcher, with the booking link decrypted only here and
 * only for this send; an email about a booking from the booking as it is now (`booking`).
 * Why a row cannot be sent (the participant is gone, the key that sealed the link was
 * removed) is a reason to give up on it, not to retry: nothing will change.
 */
export function composeOutboxEmail(
  email: OutboxEmail,
  context: InvitationContext | undefined,
  keys: readonly EncryptionKey[],
  booking?: BookingEmailContext,
  now = new Date(),
): Composed {
  if (email.legacyBody) {
    // Rendered and stored before links were encrypted; sent as it was written.
    return { ok: true, message: { subject: email.subject ?? '', ...email.legacyBody } };
  }
  if (email.kind === 'confirmation' || email.kind === 'update' || email.kind === 'cancellation') {
    if (!booking) return { ok: false, reason: 'the booking of this email no longer exists' };
    const link = openLink(email.bookingUrl, keys);
    if (!link.ok) return link;
    return composeBookingEmail({ ...email, kind: email.kind }, booking, link.url, now);
  }
  if (email.kind !== 'invitation' && email.kind !== 'reinvitation') {
    return { ok: false, reason: `unknown kind of email "${email.kind}"` };
  }
  if (!email.bookingUrl) return { ok: false, reason: 'the booking link of this email is gone' };
  if (!context) return { ok: false, reason: 'the participant no longer exists' };
  const link = openLink(email.bookingUrl, keys);
  if (!link.ok) return link;
  const bookingUrl = link.url ?? '';
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

/** The row's booking link decrypted for this send; null when the row carries none. */
function openLink(
  sealed: EncryptedToken | null,
  keys: readonly EncryptionKey[],
): { ok: true; url: string | null } | { ok: false; reason: string } {
  if (!sealed) return { ok: true, url: null };
  try {
    return { ok: true, url: decryptToken(sealed, keys) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `the booking link cannot be decrypted: ${detail}` };
  }
}
