import type { Knex } from 'knex';
import { stopOtherChannels } from '../channels/channel-lifecycle';
import type { Logger } from '../logger';
import { findConnection, markConnectionRevoked } from './connection-repository';
import type { GoogleAccess } from './google-access';

export interface DisconnectDeps {
  knex: Knex;
  access: GoogleAccess;
  logger: Logger;
}

/**
 * DESIGN 1.8: stop listening, revoke the grant at Google, mark the connection revoked and
 * keep every study, participant and booking. Each step is best effort against Google —
 * the researcher asked to cut the link, and a Google hiccup must not keep it alive here.
 */
export async function disconnectGoogle(deps: DisconnectDeps, researcherId: string): Promise<void> {
  const connection = await findConnection(deps.knex, researcherId);
  if (!connection) return;
  if (connection.state === 'connected') {
    try {
      await deps.access.withCalendar(researcherId, (calendar) =>
        stopOtherChannels(deps, calendar, researcherId),
      );
    } catch (error) {
      deps.logger.warn({ err: error, researcherId }, 'could not stop channels at Google while disconnecting');
    }
    try {
      await deps.access.revokeAtGoogle(connection);
    } catch (error) {
      deps.logger.warn(
        { err: error, researcherId },
        'could not revoke the grant at Google while disconnecting',
      );
    }
  }
  // Channels are marked stopped even when Google could not be told: their notifications are ignored.
  await stopOtherChannels(deps, undefined, researcherId);
  await markConnectionRevoked(deps.knex, researcherId, 'disconnected');
}
