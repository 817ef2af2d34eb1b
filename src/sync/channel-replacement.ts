import { startChannel, stopOtherChannels, type ChannelDeps } from '../channels/channel-lifecycle';
import { findChannel, type CalendarChannel } from '../channels/channel-repository';
import { GoogleNotConnected, type GoogleAccess, type ResearcherCalendar } from '../connections/google-access';
import { REPLACE_CALENDAR_CHANNEL } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { enqueueCalendarSync, ensureReplaceChannelQueue, type ReplaceChannelJob } from './sync-queues';

/**
 * A new push channel first, then every other active channel of the researcher stopped: there
 * is never a moment without one. A channel Google no longer knows (404 on stop) counts as
 * stopped. Notifications still arriving on the old channel are accepted until it expires.
 */
export async function replaceChannels(
  deps: ChannelDeps,
  calendar: ResearcherCalendar,
): Promise<CalendarChannel> {
  const fresh = await startChannel(deps, calendar);
  const stopped = await stopOtherChannels(deps, calendar, calendar.researcherId, fresh.id);
  deps.logger.info(
    { researcherId: calendar.researcherId, channelId: fresh.id, stopped },
    'push channel replaced',
  );
  return fresh;
}

export interface ReplaceChannelDeps {
  access: GoogleAccess;
  channels: ChannelDeps;
  queue: JobQueue;
  logger: Logger;
}

/**
 * Google said the watched resource is gone (`not_exists`): open a new channel, and sync,
 * since changes may have gone unannounced. Only a channel that is still the active one is
 * replaced; one already replaced or stopped on purpose is left alone.
 */
export async function replaceGoneChannel(deps: ReplaceChannelDeps, job: ReplaceChannelJob): Promise<void> {
  const channel = await findChannel(deps.channels.knex, job.channelId);
  if (!channel || channel.state !== 'active' || channel.researcherId !== job.researcherId) return;
  try {
    await deps.access.withCalendar(job.researcherId, (calendar) => replaceChannels(deps.channels, calendar));
  } catch (error) {
    if (error instanceof GoogleNotConnected) return;
    throw error;
  }
  await enqueueCalendarSync(deps.queue, { researcherId: job.researcherId });
}

export async function registerReplaceChannelWorker(deps: ReplaceChannelDeps): Promise<void> {
  await ensureReplaceChannelQueue(deps.queue);
  await deps.queue.work<ReplaceChannelJob>(REPLACE_CALENDAR_CHANNEL, (job) =>
    replaceGoneChannel(deps, job.data),
  );
}
