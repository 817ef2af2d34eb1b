import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import type { ChannelDeps } from '../channels/channel-lifecycle';
import { findConnection, saveConnection, saveSyncToken } from '../connections/connection-repository';
import { keepChannelAlive } from '../nightly/renew-channels';
import type { GoogleAccess } from '../connections/google-access';
import { GoogleApiError, missingPermissions, type GoogleOAuth } from '../google';
import { Invalid } from '../http/problem';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { upsertResearcherByGoogleSub, type Researcher } from '../researchers/researcher-repository';
import { takeFreshSyncToken } from '../sync/fresh-sync-token';
import { enqueueCalendarSync } from '../sync/sync-queues';
import { findUpcomingEventDeletesPending } from '../bookings/booking-repository';
import { scheduleEventDeletion } from '../bookings/delete-calendar-event';
import { encryptToken } from '../security/token-cipher';
import { checkInvitationForAccount, joinTeam, type Joined } from '../teams/join-team';

export interface ConnectDeps {
  knex: Knex;
  queue: JobQueue;
  oauth: GoogleOAuth;
  access: GoogleAccess;
  keys: readonly EncryptionKey[];
  channels: ChannelDeps;
  logger: Logger;
}

/** The consent left out a permission the service needs; the researcher must consent again. */
export class MissingPermissions extends Error {
  override name = 'MissingPermissions';
  constructor(readonly permissions: string[]) {
    super(`Google did not grant: ${permissions.join('; ')}`);
  }
}

/** The researcher signed in, and the team they joined when the sign-in came through an invitation. */
export type ConnectedResearcher = Researcher & { joined?: Joined };

/**
 * DESIGN 1.1: the researcher came back from Google's consent screen with a code.
 * Exchange it, know who they are, keep the refresh token encrypted, then start listening to
 * their calendar (push channel + first sync token). Through a team invitation's link
 * (`invitationId`, from the signed state) they join that team in the same transaction: only
 * with the invited address's Google account, or nothing of the account is stored.
 */
export async function connectGoogle(
  deps: ConnectDeps,
  code: string,
  options: { invitationId?: string | undefined } = {},
): Promise<ConnectedResearcher> {
  const grant = await deps.oauth.exchangeCode(code);
  if (!grant.identity.emailVerified) {
    throw new Invalid('Google has not verified the email address of this account.');
  }
  // Granular consent: the researcher may have unticked a calendar permission. Nothing is
  // stored then — a connection without them would fail at its first booking.
  const missing = missingPermissions(grant.scopes);
  if (missing.length > 0) throw new MissingPermissions(missing.map((permission) => permission.description));
  const researcher = await deps.knex.transaction(async (trx): Promise<ConnectedResearcher> => {
    const invitation = options.invitationId
      ? await checkInvitationForAccount(trx, options.invitationId, grant.identity.email, new Date())
      : undefined;
    const saved = await upsertResearcherByGoogleSub(trx, grant.identity);
    const outcome = await saveConnection(trx, {
      researcherId: saved.id,
      googleEmail: grant.identity.email,
      // The primary calendar's id is the account's email address.
      calendarId: grant.identity.email,
      refreshToken: grant.refreshToken ? encryptToken(grant.refreshToken, deps.keys) : undefined,
      scopes: grant.scopes,
    });
    if (outcome === 'noRefreshToken') {
      throw new Invalid(
        'Google did not grant offline access to the calendar. Connect again and allow access when Google asks.',
      );
    }
    return invitation ? { ...saved, joined: await joinTeam(trx, invitation, saved.id) } : saved;
  });
  await startListening(deps, researcher.id);
  await deleteEventsCancelledWhileDisconnected(deps, researcher.id).catch((error: unknown) =>
    deps.logger.warn(
      { err: error, researcherId: researcher.id },
      'could not queue deletions of cancelled events',
    ),
  );
  return researcher;
}

/**
 * Interviews cancelled here while the grant was broken could not leave Google Calendar; each
 * such booking was marked when its deletion was refused. Back with a working grant, exactly
 * those (upcoming ones) get a deletion job, which clears the mark — so signing in again
 * never deletes an event twice, nor one cancelled by a decline while the grant worked.
 */
async function deleteEventsCancelledWhileDisconnected(
  deps: ConnectDeps,
  researcherId: string,
): Promise<void> {
  const ids = await findUpcomingEventDeletesPending(deps.knex, researcherId, new Date());
  if (ids.length === 0) return;
  await deps.knex.transaction(async (trx) => {
    for (const id of ids) await scheduleEventDeletion(trx, deps.queue, id, 0);
  });
}

/**
 * Push and a sync token for the calendar. A live channel is kept (a second sign-in opens no
 * new one), else a new channel is opened before the old ones are stopped (no gap without
 * notifications). A stored sync token is kept and a sync queued from it, so the changes made
 * while the researcher was away are read; without one a fresh token is taken. Push may not be
 * had (Google refuses an http address, or the watch fails): the calendar is then polled until
 * a channel opens. A failure here leaves the connection usable: the nightly job takes a token
 * if none was.
 */
async function startListening(deps: ConnectDeps, researcherId: string): Promise<void> {
  try {
    await deps.access.withCalendar(researcherId, async (calendar) => {
      try {
        await keepChannelAlive(deps.channels, calendar, new Date());
      } catch (error) {
        // A grant or client problem is withCalendar's to handle (revoked, needs consent).
        if (isAboutTheGrant(error)) throw error;
        // Recorded by startChannel (shown in /api/me); polling stands in for push.
        deps.logger.warn({ err: error, researcherId }, 'connected without push; the calendar is polled');
      }
      const stored = (await findConnection(deps.knex, researcherId))?.syncToken;
      if (stored) {
        await enqueueCalendarSync(deps.queue, { researcherId });
        return;
      }
      await saveSyncToken(
        deps.knex,
        researcherId,
        (await takeFreshSyncToken(calendar.client, calendar.calendarId)) ?? null,
      );
    });
  } catch (error) {
    deps.logger.warn(
      { err: error, researcherId },
      'connected, but the first sync failed; the nightly job retries',
    );
  }
}

function isAboutTheGrant(error: unknown): boolean {
  return (
    error instanceof GoogleApiError &&
    (error.failure.kind === 'revoked' ||
      error.failure.kind === 'clientRejected' ||
      error.reason === 'insufficientPermissions')
  );
}
