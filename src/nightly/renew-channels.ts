import { listActiveChannels } from '../channels/channel-repository';
import type { ChannelDeps } from '../channels/channel-lifecycle';
import type { ResearcherCalendar } from '../connections/google-access';
import { replaceChannels } from '../sync/channel-replacement';

/** Channels expiring sooner than this are replaced by the nightly run (it runs once a day). */
export const RENEW_WITHIN_MS = 48 * 3600_000;

export type ChannelUpkeep = 'kept' | 'renewed' | 'created';

/**
 * Keeps one live push channel on the calendar. A channel that will still live past the next
 * two nights is kept; otherwise a new one is opened before the old ones are stopped. A
 * connection without any active channel (its watch failed at connect, or Google lost it) gets
 * one. A channel whose watch never answered (no resource id) does not count as live.
 */
export async function keepChannelAlive(
  deps: ChannelDeps,
  calendar: ResearcherCalendar,
  now: Date,
): Promise<ChannelUpkeep> {
  const active = await listActiveChannels(deps.knex, calendar.researcherId);
  const renewBefore = now.getTime() + RENEW_WITHIN_MS;
  if (active.some((channel) => channel.resourceId !== null && channel.expiresAt.getTime() > renewBefore)) {
    return 'kept';
  }
  await replaceChannels(deps, calendar);
  return active.length > 0 ? 'renewed' : 'created';
}
