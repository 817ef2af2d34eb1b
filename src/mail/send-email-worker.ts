import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { SEND_EMAIL } from '../jobs/names';
import type { JobQueue, QueueOptions, WorkOptions } from '../jobs/queue';
import type { Logger } from '../logger';
import { composeReminderEmail, type ReminderMailSettings } from '../reminders/compose-reminder';
import { composeTeamInvitationEmail } from '../teams/team-invitation-email';
import { loadBookingEmailContext } from './booking-email-outbox';
import { composeOutboxEmail } from './compose-outbox-email';
import type { MailTransport } from './mail-transport';
import {
  claimForSending,
  findPendingEmailIds,
  markSent,
  markSuperseded,
  markUnsendable,
  recordFailedAttempt,
  sendJob,
  type SendEmailJobData,
} from './outbox-repository';

/**
 * Eight retries with exponential backoff from 5 s: the last one comes roughly 20–40 minutes
 * after the first try, long enough to ride out a mail server restart or a greylisting delay.
 * Only temporary trouble is retried; a permanent refusal (5xx) fails the email at once.
 * The expiry stays above the SMTP timeouts (10 + 10 + 30 s) so pg-boss never fails a send
 * that is still within them.
 */
export const EMAIL_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 8,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 120,
};

export interface EmailWorkerDeps {
  knex: Knex;
  transport: MailTransport;
  logger: Logger;
  /** The From header (`config.mail.from`). */
  from: string;
  /** The key ring the booking links in the outbox are encrypted under (`config.tokenEncryptionKeys`). */
  keys: readonly EncryptionKey[];
  /** How reminders are written (their unsubscribe link); without it a reminder cannot be sent. */
  reminders?: ReminderMailSettings;
  /** Retry and expiry of the send-email queue; tests pass small delays. */
  queueOptions?: QueueOptions;
  workOptions?: WorkOptions;
}

/** The mail server did not take the message for now; thrown so the job queue retries with backoff. */
export class EmailNotSent extends Error {
  override name = 'EmailNotSent';
}

/** Defines the send-email queue and starts working it on this instance. */
export async function registerEmailWorker(queue: JobQueue, deps: EmailWorkerDeps): Promise<void> {
  await queue.defineQueue(SEND_EMAIL, deps.queueOptions ?? EMAIL_QUEUE_OPTIONS);
  await queue.work<SendEmailJobData>(
    SEND_EMAIL,
    async (job) => {
      await deliverOutboxEmail(deps, job.data.outboxId, job.isLastAttempt);
    },
    deps.workOptions,
  );
}

/**
 * Sends one outbox row at most once per successful commit. The row stays locked from the
 * claim to the commit of `sent`, so no second worker sends it meanwhile. The message is
 * rendered here, from the participant and the row's encrypted booking link; once the row is
 * sent or given up, the link is dropped from it.
 *
 * The one at-least-once window: the mail server accepted the message, then the commit of
 * `sent` did not happen (the process died, the database went away). The row is still
 * pending, so a retry sends it again — with the same Message-ID (`messageIdFor`), which lets
 * the receiving side recognise the duplicate. Every other stop point sends nothing twice.
 */
export async function deliverOutboxEmail(
  deps: EmailWorkerDeps,
  outboxId: string,
  isLastAttempt: boolean,
): Promise<'sent' | 'skipped' | 'failed'> {
  const log = deps.logger.child({ component: 'mail', outboxId });
  const outcome = await deps.knex.transaction(async (trx) => {
    const claim = await claimForSending(trx, outboxId);
    if (claim.outcome !== 'claimed') return claim;
    const { email } = claim;
    // An email about a booking is rendered from the booking as it is now (a late Meet link).
    const booking = email.bookingId ? await loadBookingEmailContext(trx, email.bookingId) : undefined;
    const composed =
      email.kind === 'reminder' && deps.reminders
        ? await composeReminderEmail(trx, email, deps.reminders, deps.keys)
        : email.kind === 'team_invitation'
          ? await composeTeamInvitationEmail(trx, email, deps.keys)
          : composeOutboxEmail(email, claim.context, deps.keys, booking);
    if (!composed.ok && 'obsolete' in composed) {
      await markSuperseded(trx, email.id, composed.reason);
      return { outcome: 'obsolete' as const, summary: composed.reason };
    }
    if (!composed.ok) {
      await markUnsendable(trx, email.id, composed.reason);
      return { outcome: 'unsendable' as const, summary: composed.reason };
    }
    const { message } = composed;
    let messageId: string;
    try {
      ({ messageId } = await deps.transport.send({
        id: email.id,
        from: deps.from,
        to: { name: email.toName, email: email.toEmail },
        ...message,
      }));
    } catch (error) {
      const summary = describeSendError(error);
      const permanent = isPermanentRefusal(error);
      await recordFailedAttempt(trx, email.id, summary, permanent || isLastAttempt);
      return {
        outcome: permanent ? ('refused' as const) : ('not-sent' as const),
        summary,
        attempt: email.attempts + 1,
      };
    }
    await markSent(trx, email.id, { messageId, subject: message.subject });
    return { outcome: 'sent' as const, attempt: email.attempts + 1 };
  });

  switch (outcome.outcome) {
    case 'sent':
      log.info({ attempt: outcome.attempt }, 'email sent');
      return 'sent';
    case 'finished':
      return 'skipped';
    case 'obsolete':
      log.info({ reason: outcome.summary }, 'email not sent: what it was about changed');
      return 'skipped';
    case 'busy':
      // Another worker is mid-send on this row; try again later rather than wait on its lock.
      throw new Error('the outbox row is being sent by another worker');
    case 'unsendable':
      log.error({ error: outcome.summary }, 'email given up: it cannot be composed');
      return 'failed';
    case 'refused':
      // Completing the job (not throwing) is what stops pg-boss from retrying it.
      log.warn(
        { attempt: outcome.attempt, error: outcome.summary },
        'email refused for good by the mail server',
      );
      return 'failed';
    case 'not-sent':
      if (isLastAttempt) {
        log.error(
          { attempt: outcome.attempt, error: outcome.summary },
          'email given up after the last attempt',
        );
      } else {
        log.warn({ attempt: outcome.attempt, error: outcome.summary }, 'email not sent; will retry');
      }
      throw new EmailNotSent(outcome.summary);
  }
}

/**
 * A permanent refusal: the mail server answered with a 5xx reply code (RFC 5321: do not
 * repeat the same request). Asking again would only delay the failure by the whole backoff
 * (about 40 minutes) while the researcher waits to learn the address is wrong.
 *
 * Everything else is temporary and retried: 4xx replies (greylisting, a full mailbox),
 * connection errors and timeouts, which carry no reply code at all. One 5xx is excepted:
 * a refused login (`EAUTH`, 535) refuses our SMTP credentials, not this email — failing every
 * invitation for good over a configuration slip would be worse than retrying.
 */
export function isPermanentRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { responseCode, code } = error as Record<string, unknown>;
  if (code === 'EAUTH') return false;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode <= 599;
}

/**
 * Belt and braces at start-up: every pending outbox row gets a job again if it has none
 * waiting, retrying or running (a job lost to an operator's cleanup, or one pg-boss failed
 * on its own when a worker was stopped on its last retry). The advisory lock keeps two
 * instances starting together from both adding one. Returns how many jobs were added.
 */
export async function requeuePendingEmails(knex: Knex, queue: JobQueue): Promise<number> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
      'interview-scheduler:requeue-pending-emails',
    ]);
    const pending = await findPendingEmailIds(trx);
    let added = 0;
    for (let start = 0; start < pending.length; start += 1000) {
      const batch = pending.slice(start, start + 1000);
      const live = await queue.liveJobKeys(SEND_EMAIL, batch, trx);
      for (const outboxId of batch) {
        if (live.has(outboxId)) continue;
        await sendJob(trx, queue, outboxId);
        added += 1;
      }
    }
    return added;
  });
}

/**
 * What is kept in `last_error` and logged: the SMTP code and the server's answer — never
 * the body, and never credentials (an SMTP URL with user:password is masked if it appears).
 */
export function describeSendError(error: unknown): string {
  const details = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const code = typeof details.code === 'string' ? details.code : undefined;
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = [code, responseCode].filter((part) => part !== undefined).join(' ');
  const summary = `${prefix ? `${prefix}: ` : ''}${message}`
    .replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@')
    .replace(/\s+/g, ' ')
    .trim();
  return summary.length > 500 ? `${summary.slice(0, 497)}...` : summary;
}
