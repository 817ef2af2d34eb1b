import type { Knex } from 'knex';
import type { KnownChannel } from './classify-notification';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ChannelWithConnectionRow {
  id: string;
  researcher_id: string;
  resource_id: string | null;
  token_hash: string;
  expires_at: Date;
  state: KnownChannel['state'];
  last_message_number: string | number | null;
  connection_state: KnownChannel['connectionState'];
}

/**
 * The channel a notification names, with its researcher's connection state: one lookup by
 * primary key. Our channel ids are UUIDs; anything else is unknown without asking the database
 * (a forged id must not reach a uuid column as garbage).
 */
export async function findChannelForNotification(
  db: Knex,
  channelId: string,
): Promise<KnownChannel | undefined> {
  if (!UUID.test(channelId)) return undefined;
  const row = (await db({ c: 'calendar_channels' })
    .leftJoin({ g: 'google_connections' }, 'g.researcher_id', 'c.researcher_id')
    .where('c.id', channelId)
    .first(
      'c.id',
      'c.researcher_id',
      'c.resource_id',
      'c.token_hash',
      'c.expires_at',
      'c.state',
      'c.last_message_number',
      'g.state as connection_state',
    )) as ChannelWithConnectionRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    researcherId: row.researcher_id,
    resourceId: row.resource_id,
    tokenHash: row.token_hash,
    expiresAt: row.expires_at,
    state: row.state,
    // bigint arrives as a string from pg.
    lastMessageNumber: row.last_message_number === null ? null : Number(row.last_message_number),
    connectionState: row.connection_state,
  };
}

/**
 * Records the message number unless one as high was recorded already; false means this
 * message was seen before. One conditional UPDATE, so two instances receiving redeliveries
 * of one message at the same moment cannot both take it.
 */
export async function recordMessageNumber(
  db: Knex | Knex.Transaction,
  channelId: string,
  messageNumber: number,
): Promise<boolean> {
  const changed = await db('calendar_channels')
    .where({ id: channelId })
    .andWhere((query) =>
      query.whereNull('last_message_number').orWhere('last_message_number', '<', messageNumber),
    )
    .update({ last_message_number: messageNumber });
  return changed > 0;
}
