import type { Knex } from 'knex';
import type { KnownChannel } from './classify-notification';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One delivered message: a channel and Google's message number on it. */
export interface ChannelMessage {
  channelId: string;
  messageNumber: number;
}

/** What the webhook knows about a message: its channel, and whether it was recorded before. */
export interface KnownMessage {
  channel: KnownChannel;
  seenBefore: boolean;
}

interface KnownMessageRow {
  channel_id: string;
  message_number: string | number;
  researcher_id: string;
  resource_id: string | null;
  token_hash: string;
  expires_at: Date;
  state: KnownChannel['state'];
  connection_state: KnownChannel['connectionState'];
  seen_before: boolean;
}

export const messageKey = (message: ChannelMessage): string =>
  `${message.channelId}/${message.messageNumber}`;

/**
 * The channels these messages name, each with its researcher's connection state and whether
 * the message was recorded already: one read for a whole batch of notifications, no lock.
 * Our channel ids are UUIDs; anything else is unknown without asking the database (a forged
 * id must not reach a uuid column as garbage). Keyed by `messageKey`.
 */
export async function findKnownMessages(
  db: Knex,
  messages: readonly ChannelMessage[],
): Promise<Map<string, KnownMessage>> {
  const ours = messages.filter((message) => UUID.test(message.channelId));
  if (ours.length === 0) return new Map();
  const { rows } = (await db.raw(
    `SELECT n.channel_id, n.message_number, c.researcher_id, c.resource_id, c.token_hash,
            c.expires_at, c.state, g.state AS connection_state,
            (m.channel_id IS NOT NULL) AS seen_before
       FROM unnest(?::uuid[], ?::bigint[]) AS n(channel_id, message_number)
       JOIN calendar_channels c ON c.id = n.channel_id
       LEFT JOIN google_connections g ON g.researcher_id = c.researcher_id
       LEFT JOIN calendar_channel_messages m
              ON m.channel_id = n.channel_id AND m.message_number = n.message_number`,
    [ours.map((message) => message.channelId), ours.map((message) => message.messageNumber)],
  )) as { rows: KnownMessageRow[] };
  const known = new Map<string, KnownMessage>();
  for (const row of rows) {
    // bigint arrives as a string from pg.
    const key = messageKey({ channelId: row.channel_id, messageNumber: Number(row.message_number) });
    known.set(key, {
      channel: {
        id: row.channel_id,
        researcherId: row.researcher_id,
        resourceId: row.resource_id,
        tokenHash: row.token_hash,
        expiresAt: row.expires_at,
        state: row.state,
        connectionState: row.connection_state,
      },
      seenBefore: row.seen_before,
    });
  }
  return known;
}

/**
 * Records these messages as received; answers the keys of those this call recorded. A message
 * left out was recorded before (by another instance a moment ago): it is a redelivery. Plain
 * inserts — two different messages of one channel never wait on each other.
 */
export async function recordMessages(db: Knex, messages: readonly ChannelMessage[]): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const { rows } = (await db.raw(
    `INSERT INTO calendar_channel_messages (channel_id, message_number)
     SELECT * FROM unnest(?::uuid[], ?::bigint[])
     ON CONFLICT DO NOTHING
     RETURNING channel_id, message_number`,
    [messages.map((message) => message.channelId), messages.map((message) => message.messageNumber)],
  )) as { rows: { channel_id: string; message_number: string | number }[] };
  return new Set(
    rows.map((row) => messageKey({ channelId: row.channel_id, messageNumber: Number(row.message_number) })),
  );
}

/** Forgets message numbers older than `before`: only a redelivery could still name them. */
export async function pruneMessages(db: Knex, before: Date): Promise<number> {
  return db('calendar_channel_messages').where('received_at', '<', before).delete();
}
