import type { Knex } from 'knex';

/** A file sent with a message (the interview's `.ics`). */
export interface DevAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface DevMailboxMessage {
  id: number;
  outboxId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: DevAttachment[];
  receivedAt: Date;
}

interface DevMailboxRow {
  id: number;
  outbox_id: string | null;
  from_email: string;
  to_email: string;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: DevAttachment[] | null;
  received_at: Date;
}

/**
 * Stores one message in the development mailbox. A resend of the same outbox row (the worker
 * stopped after delivering but before recording it) keeps the first copy, as a mail server
 * that deduplicates by Message-ID would.
 */
export async function insertDevMessage(
  knex: Knex,
  message: {
    outboxId: string;
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    attachments?: readonly DevAttachment[];
  },
): Promise<void> {
  await knex<DevMailboxRow>('dev_mailbox')
    .insert({
      outbox_id: message.outboxId,
      from_email: message.from,
      to_email: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html,
      // As JSON text: pg would write a JavaScript array as a PostgreSQL array, not jsonb.
      attachments: JSON.stringify(message.attachments ?? []) as unknown as DevAttachment[],
    })
    .onConflict('outbox_id')
    .ignore();
}

/** Newest first; `to` matches the address without regard to case. */
export async function listDevMessages(
  knex: Knex,
  filter: { to?: string; limit?: number } = {},
): Promise<DevMailboxMessage[]> {
  const query = knex<DevMailboxRow>('dev_mailbox')
    .orderBy([
      { column: 'received_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit ?? 200);
  if (filter.to) query.whereRaw('lower(to_email) = lower(?)', [filter.to]);
  const rows: DevMailboxRow[] = await query;
  return rows.map((row) => ({
    id: row.id,
    outboxId: row.outbox_id,
    from: row.from_email,
    to: row.to_email,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    attachments: row.attachments ?? [],
    receivedAt: row.received_at,
  }));
}
