import type { Knex } from 'knex';

export type ChannelState = 'active' | 'stopped' | 'expired';

export interface CalendarChannel {
  id: string;
  researcherId: string;
  calendarId: string;
  resourceId: string | null;
  tokenHash: string;
  expiresAt: Date;
  state: ChannelState;
}

interface ChannelRow {
  id: string;
  researcher_id: string;
  calendar_id: string;
  resource_id: string | null;
  token_hash: string;
  expires_at: Date;
  state: ChannelState;
}

const toChannel = (row: ChannelRow): CalendarChannel => ({
  id: row.id,
  researcherId: row.researcher_id,
  calendarId: row.calendar_id,
  resourceId: row.resource_id,
  tokenHash: row.token_hash,
  expiresAt: row.expires_at,
  state: row.state,
});

export async function insertChannel(
  db: Knex,
  channel: {
    id: string;
    researcherId: string;
    calendarId: string;
    tokenHash: string;
    address: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db('calendar_channels').insert({
    id: channel.id,
    researcher_id: channel.researcherId,
    calendar_id: channel.calendarId,
    token_hash: channel.tokenHash,
    address: channel.address,
    expires_at: channel.expiresAt,
  });
}

export async function confirmChannel(
  db: Knex,
  id: string,
  resourceId: string,
  expiresAt: Date,
): Promise<void> {
  await db('calendar_channels').where({ id }).update({ resource_id: resourceId, expires_at: expiresAt });
}

export async function deleteChannel(db: Knex, id: string): Promise<void> {
  await db('calendar_channels').where({ id }).delete();
}

export async function findChannel(db: Knex, id: string): Promise<CalendarChannel | undefined> {
  const row = await db<ChannelRow>('calendar_channels').where({ id }).first();
  return row ? toChannel(row) : undefined;
}

export async function listActiveChannels(db: Knex, researcherId: string): Promise<CalendarChannel[]> {
  const rows = await db<ChannelRow>('calendar_channels')
    .where({ researcher_id: researcherId, state: 'active' })
    .orderBy('created_at');
  return rows.map(toChannel);
}

export async function markChannelStopped(db: Knex, id: string): Promise<void> {
  await db('calendar_channels')
    .where({ id, state: 'active' })
    .update({ state: 'stopped', stopped_at: db.fn.now() });
}
