import type { Knex } from 'knex';
import {
  PUSH_STATES,
  pushStatusOf,
  type ChannelSummary,
  type PushState,
  type PushStatus,
} from './push-state';

/** How many of a calendar's newest channels tell its push state (one is live at a time). */
const CHANNELS_LOOKED_AT = 5;

interface PushStateRow {
  researcher_id: string;
  unavailable_reason: string | null;
  next_watch_at: Date | null;
}

/** A channel opened: push is live, and the next watch is whenever the channel needs renewal. */
export async function recordChannelOpened(db: Knex, researcherId: string): Promise<void> {
  await upsert(db, researcherId, { unavailable_reason: null, unavailable_since: null, next_watch_at: null });
}

/**
 * Push is not to be had for now: why (shown to the researcher) and when a watch may be tried
 * again. The first time it became unavailable is kept.
 */
export async function recordPushUnavailable(
  db: Knex | Knex.Transaction,
  researcherId: string,
  reason: string,
  nextWatchAt: Date,
): Promise<void> {
  await db.raw(
    `INSERT INTO calendar_push_state (researcher_id, unavailable_reason, unavailable_since, next_watch_at)
     VALUES (?, ?, now(), ?)
     ON CONFLICT (researcher_id) DO UPDATE SET
       unavailable_reason = EXCLUDED.unavailable_reason,
       unavailable_since = COALESCE(calendar_push_state.unavailable_since, now()),
       next_watch_at = EXCLUDED.next_watch_at,
       updated_at = now()`,
    [researcherId, reason, nextWatchAt],
  );
}

async function upsert(db: Knex, researcherId: string, values: Record<string, unknown>): Promise<void> {
  await db('calendar_push_state')
    .insert({ researcher_id: researcherId, ...values })
    .onConflict('researcher_id')
    .merge({ ...values, updated_at: db.fn.now() });
}

/** The researcher's push state, from their newest channels and what was recorded. */
export async function findPushStatus(db: Knex, researcherId: string, now: Date): Promise<PushStatus> {
  const [channels, row] = await Promise.all([
    db('calendar_channels')
      .where({ researcher_id: researcherId })
      .orderBy('created_at', 'desc')
      .limit(CHANNELS_LOOKED_AT)
      .select<{ state: ChannelSummary['state']; resource_id: string | null; expires_at: Date }[]>(
        'state',
        'resource_id',
        'expires_at',
      ),
    db<PushStateRow>('calendar_push_state').where({ researcher_id: researcherId }).first(),
  ]);
  return pushStatusOf({
    channels: channels.map((channel) => ({
      state: channel.state,
      resourceId: channel.resource_id,
      expiresAt: channel.expires_at,
    })),
    unavailableReason: row?.unavailable_reason ?? null,
    now,
  });
}

/** SQL for "this connection's calendar has a live channel" (`g` is google_connections). */
const HAS_LIVE_CHANNEL = `EXISTS (
  SELECT 1 FROM calendar_channels c
   WHERE c.researcher_id = g.researcher_id AND c.state = 'active'
     AND c.resource_id IS NOT NULL AND c.expires_at > :now)`;

export interface ClaimedPoll {
  researcherId: string;
  /** A new channel may be tried now (the last refusal is old enough). */
  watchDue: boolean;
}

/**
 * Claims up to `limit` connected calendars without a live channel whose last poll is at
 * least `intervalMs` old (oldest first), stamping them as polled now. Several instances may
 * claim at once: the upsert's condition is checked again on the row another claim has just
 * written (READ COMMITTED re-reads a conflicting row), so each calendar is claimed by one
 * of them, once per interval.
 */
export async function claimCalendarsToPoll(
  db: Knex,
  now: Date,
  intervalMs: number,
  limit: number,
): Promise<ClaimedPoll[]> {
  const cutoff = new Date(now.getTime() - intervalMs);
  const { rows } = (await db.raw(
    `WITH due AS (
       SELECT g.researcher_id
         FROM google_connections g
         LEFT JOIN calendar_push_state p ON p.researcher_id = g.researcher_id
        WHERE g.state = 'connected'
          AND NOT ${HAS_LIVE_CHANNEL}
          AND (p.last_polled_at IS NULL OR p.last_polled_at <= :cutoff)
        ORDER BY p.last_polled_at ASC NULLS FIRST
        LIMIT :limit)
     INSERT INTO calendar_push_state AS s (researcher_id, last_polled_at)
     SELECT researcher_id, :now FROM due
     ON CONFLICT (researcher_id) DO UPDATE SET last_polled_at = EXCLUDED.last_polled_at, updated_at = now()
        WHERE s.last_polled_at IS NULL OR s.last_polled_at <= :cutoff
     RETURNING s.researcher_id, s.next_watch_at`,
    { now, cutoff, limit },
  )) as { rows: { researcher_id: string; next_watch_at: Date | null }[] };
  return rows.map((row) => ({
    researcherId: row.researcher_id,
    watchDue: row.next_watch_at === null || row.next_watch_at <= now,
  }));
}

/** Connected calendars by push state, for /metrics. */
export async function countCalendarsByPushState(db: Knex, now: Date): Promise<Record<PushState, number>> {
  const { rows } = (await db.raw(
    `SELECT CASE
              WHEN ${HAS_LIVE_CHANNEL} THEN 'live'
              WHEN (
                SELECT c.state <> 'stopped' AND c.resource_id IS NOT NULL
                  FROM calendar_channels c WHERE c.researcher_id = g.researcher_id
                 ORDER BY c.created_at DESC LIMIT 1) THEN 'expired'
              ELSE 'unavailable'
            END AS state, count(*)::int AS calendars
       FROM google_connections g
       LEFT JOIN calendar_push_state p ON p.researcher_id = g.researcher_id
      WHERE g.state = 'connected'
      GROUP BY 1`,
    { now },
  )) as { rows: { state: PushState; calendars: number }[] };
  const counts = Object.fromEntries(PUSH_STATES.map((state) => [state, 0])) as Record<PushState, number>;
  for (const row of rows) counts[row.state] = row.calendars;
  return counts;
}

/** Google notifies within seconds; a change older than this without a message was missed. */
export const SILENCE_GRACE_MS = 10 * 60_000;
/** Google's `updated` and our clock may disagree by this much. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Google may stop a channel without a word. What gives it away is a change, listed by a sync,
 * that the live channel never announced although Google had time to: made after the channel
 * opened, more than SILENCE_GRACE_MS ago, and no message received on the channel since. Such
 * channels are marked stopped and push is recorded unavailable, with a watch due at once:
 * the calendar is polled, and the next tick tries a new channel. Answers how many were.
 */
export async function stopSilentChannels(
  db: Knex,
  researcherId: string,
  changedAt: Date,
  now: Date,
  reason: string,
): Promise<number> {
  if (changedAt.getTime() > now.getTime() - SILENCE_GRACE_MS) return 0;
  return db.transaction(async (trx) => {
    const { rowCount } = (await trx.raw(
      `UPDATE calendar_channels c SET state = 'stopped', stopped_at = now()
        WHERE c.researcher_id = :researcherId AND c.state = 'active'
          AND c.resource_id IS NOT NULL AND c.expires_at > :now
          AND c.created_at < :changedAt
          AND NOT EXISTS (
            SELECT 1 FROM calendar_channel_messages m
             WHERE m.channel_id = c.id AND m.received_at >= :heardAfter)`,
      { researcherId, now, changedAt, heardAfter: new Date(changedAt.getTime() - CLOCK_SKEW_MS) },
    )) as { rowCount: number };
    if (rowCount > 0) await recordPushUnavailable(trx, researcherId, reason, now);
    return rowCount;
  });
}
