import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import type { Composed } from '../mail/compose-outbox-email';
import type { OutboxEmail } from '../mail/outbox-repository';
import { decryptToken } from '../security/token-cipher';
import { renderReminderEmail } from './reminder-email';
import { renderEmailTemplate } from '../mail/email-templates';
import { bookedLinkValues, interviewValues } from '../mail/booking-email-template';
import { LAST_CALL_MINUTES } from './reminder-plan';
import { readReminderMessageFacts, type ReminderMessageFacts } from './reminder-repository';
import { unsubscribeToken, unsubscribeUrl } from './unsubscribe-link';

/** What the email worker needs to write reminders (`config.publicUrl`, the session secret). */
export interface ReminderMailSettings {
  publicUrl: string;
  unsubscribeSecret: string;
  /** The clock the "is it still worth sending" check reads; tests pass their own. */
  now?: () => Date;
}

/** Composed, or not to be sent at all because the interview it is about changed meanwhile. */
export type ComposedReminder = Composed | { ok: false; obsolete: true; reason: string };

/**
 * The reminder of an outbox row, made at send time from the booking as it is now. This is
 * the last check: a reminder queued for an interview that has since moved, been cancelled,
 * judged, or unsubscribed from — or one that would arrive too late — is not sent.
 */
export async function composeReminderEmail(
  trx: Knex.Transaction,
  email: OutboxEmail,
  settings: ReminderMailSettings,
  keys: readonly EncryptionKey[],
): Promise<ComposedReminder> {
  const facts = await readReminderMessageFacts(trx, email.id);
  if (!facts) return { ok: false, obsolete: true, reason: 'the interview of this reminder is gone' };
  const stale = staleBecause(facts, settings.now?.() ?? new Date());
  if (stale) return { ok: false, obsolete: true, reason: stale };
  const input = {
    participantName: facts.participantName,
    studyTitle: facts.study.title,
    researcherName: facts.researcherName,
    minutesBefore: facts.minutesBefore,
    details: {
      start: facts.booking.start,
      end: facts.booking.end,
      timeZone: facts.participantTimeZone ?? facts.study.timeZone,
      meetUrl: facts.booking.meetUrl,
      bookingUrl: bookingLinkOf(facts, keys),
    },
    unsubscribeUrl: unsubscribeUrl(
      settings.publicUrl,
      unsubscribeToken(settings.unsubscribeSecret, facts.participantId),
    ),
  };
  const builtIn = renderReminderEmail(input);
  const template = facts.study.emailTemplates.reminder;
  // The study's own words need the Reschedule and Cancel links: without a kept booking link
  // the built-in reminder goes, which says the same without them.
  if (!template || !input.details.bookingUrl) return { ok: true, message: builtIn };
  const own = renderEmailTemplate('reminder', template, {
    ...interviewValues(input, input.details),
    ...bookedLinkValues(input.details.bookingUrl, input.details.meetUrl),
    unsubscribeUrl: input.unsubscribeUrl,
  });
  // One-click unsubscribe headers stay whatever the wording.
  const message: typeof builtIn = { ...own, headers: builtIn.headers };
  return { ok: true, message };
}

export function staleBecause(facts: ReminderMessageFacts, now: Date): string | undefined {
  if (facts.booking.state !== 'confirmed') return 'the interview was cancelled';
  if (facts.booking.start.getTime() !== facts.plannedStart.getTime()) return 'the interview moved';
  if (facts.participantStatus !== 'scheduled') return `the participant is ${facts.participantStatus}`;
  if (facts.unsubscribed) return 'the participant unsubscribed from reminders';
  if (facts.booking.start.getTime() - now.getTime() < LAST_CALL_MINUTES * 60_000) {
    return 'too late: the interview is about to start or has started';
  }
  return undefined;
}

/** Without a readable stored link the reminder still goes, only without Reschedule and Cancel. */
function bookingLinkOf(facts: ReminderMessageFacts, keys: readonly EncryptionKey[]): string | null {
  if (!facts.bookingLink) return null;
  try {
    return decryptToken(facts.bookingLink, keys);
  } catch {
    return null;
  }
}
