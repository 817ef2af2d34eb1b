import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { insertDevMessage } from './dev-mailbox-repository';

export interface OutgoingEmail {
  /** The outbox id; it also names the message (see `messageIdFor`). */
  id: string;
  from: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** Files sent with the message (the interview's `.ics`). */
  attachments?: { filename: string; contentType: string; content: string }[];
  /** Extra headers (a reminder's List-Unsubscribe); nothing that identifies the message. */
  headers?: Record<string, string>;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** Resolves once the message is accepted; rejects when it was not (the caller retries). */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

export interface SmtpTimeouts {
  connectionMs: number;
  greetingMs: number;
  socketMs: number;
}

/**
 * Bounded so one hanging mail server cannot hold a worker (and the outbox row's lock) for
 * longer than the send-email job may run.
 */
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionMs: 10_000,
  greetingMs: 10_000,
  socketMs: 30_000,
};

/**
 * The Message-ID comes from the outbox id, not from chance: if a worker stops after the mail
 * server accepted a message but before the outbox recorded it, the retry sends a message with
 * the same Message-ID, which receiving systems recognise as the same message.
 */
export function messageIdFor(outboxId: string): string {
  return `<${outboxId}@interview-scheduler>`;
}

/** SMTP when `SMTP_URL` is set; otherwise the development mailbox table (`GET /dev/mailbox`). */
export function createMailTransport(
  mail: Config['mail'],
  knex: Knex,
  logger: Logger,
  timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS,
): MailTransport {
  const log = logger.child({ component: 'mail' });
  return mail.smtpUrl
    ? smtpTransport(mail.smtpUrl, mail.concurrency, timeouts, log)
    : devMailboxTransport(knex, log);
}

function smtpTransport(
  smtpUrl: string,
  maxConnections: number,
  timeouts: SmtpTimeouts,
  log: Logger,
): MailTransport {
  // Pooled: each connection is opened (greeting, EHLO, TLS, login) once and then carries
  // message after message, instead of paying that handshake for every email. As many
  // connections as emails are sent at once, so a send never waits for a free one.
  // nodemailer reads only the URL when given `url`, dropping every option beside it, so
  // the URL is parsed here and the options are added to what it says.
  const transporter = nodemailer.createTransport({
    ...parseConnectionUrl(smtpUrl),
    pool: true,
    maxConnections,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  });
  return {
    kind: 'smtp',
    async send(email) {
      const info = await transporter.sendMail({
        messageId: messageIdFor(email.id),
        from: email.from,
        to: { name: email.to.name, address: email.to.email },
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.attachments?.length
          ? {
              attachments: email.attachments.map((file) => ({
                filename: file.filename,
                contentType: file.contentType,
                content: file.content,
              })),
            }
          : {}),
        ...(email.headers ? { headers: email.headers } : {}),
        // The bodies are our own text; never let content make nodemailer read files or URLs.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      log.info({ outboxId: email.id, messageId: info.messageId }, 'email accepted by the SMTP server');
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

function devMailboxTransport(knex: Knex, log: Logger): MailTransport {
  return {
    kind: 'dev-mailbox',
    async send(email) {
      await insertDevMessage(knex, {
        outboxId: email.id,
        from: email.from,
        to: email.to.email,
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.attachments ? { attachments: email.attachments } : {}),
      });
      log.info({ outboxId: email.id }, 'email delivered to the development mailbox (GET /dev/mailbox)');
      return { messageId: messageIdFor(email.id) };
    },
    close: () => {},
  };
}
