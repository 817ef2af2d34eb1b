import type { Knex } from 'knex';
import { Counter, type Registry } from 'prom-client';
import { requireResearcher } from './auth/authenticate';
import { registerAuthRoutes } from './auth/auth-routes';
import type { CookieSettings } from './auth/cookies';
import { registerBookingPageRoutes } from './booking-page/booking-page-routes';
import type { BookDeps } from './bookings/book-interview';
import { registerBookingRoutes } from './bookings/booking-routes';
import { registerResearcherBookingRoutes } from './bookings/researcher-booking-routes';
import { registerLoggedInterviewRoutes } from './interviews/logged-interview-routes';
import { registerDeleteEventWorker } from './bookings/delete-calendar-event';
import { registerFinishBookingWorker, resumePendingBookings } from './bookings/finish-booking-job';
import { registerUpdateBookingEventWorker } from './bookings/move-booking';
import type { ChannelDeps } from './channels/channel-lifecycle';
import type { Config } from './config';
import { createKnex } from './db/knex';
import { DEFAULT_EMULATOR_CLIENT } from './emulator';
import { createGoogleAccess, type GoogleAccess } from './connections/google-access';
import { createGoogleClientHealth, type GoogleClientHealth } from './connections/google-client-health';
import { createGoogleOAuth, type GoogleEndpoints, type GoogleOAuth } from './google';
import type { RouteTable } from './http/route-table';
import type { JobQueue } from './jobs/queue';
import type { Logger } from './logger';
import { registerConsolePages } from './console/console-pages';
import { createConsole } from './web/console-page';
import { registerDevMailboxRoutes } from './mail/dev-mailbox-routes';
import { createMailTransport } from './mail/mail-transport';
import { registerEmailWorker, requeuePendingEmails } from './mail/send-email-worker';
import { registerInterviewRoutes } from './interviews/interview-routes';
import { registerInterviewsPage } from './interviews/interviews-page';
import { registerManualBookingPages } from './participants/manual-booking-page';
import { registerLoggedInterviewPages } from './participants/logged-interview-pages';
import { registerParticipantPage } from './participants/participant-page';
import { registerParticipantRoutes } from './participants/participant-routes';
import { scheduleReminderSweep } from './reminders/send-due-reminders';
import { registerUnsubscribeRoutes } from './reminders/unsubscribe-routes';
import { registerHomePage } from './researchers/home-page';
import { registerMeRoutes } from './researchers/me-routes';
import { registerHostHoursRoutes } from './researchers/host-hours-routes';
import { registerStudyRoutes } from './studies/study-routes';
import { registerJoinRoutes } from './teams/join-routes';
import { registerTeamPage } from './teams/team-page';
import { registerTeamRoutes } from './teams/team-routes';
import { registerSyncRoutes, startSyncWorkers, stopSyncWorkers } from './sync/sync-feature';
import { createSyncPacing, type SyncPacing } from './sync/sync-pacing';
import { CALENDAR_WEBHOOK_PATH } from './webhooks/calendar-webhook-routes';

/** Per Google call; a booking request stays responsive even when Google hangs. */
const GOOGLE_TIMEOUT_MS = 10_000;

/** Everything the product's routes and workers share, built once per process. */
export interface Features {
  config: Readonly<Config>;
  knex: Knex;
  logger: Logger;
  oauth: GoogleOAuth;
  access: GoogleAccess;
  /** Whether Google accepts the service's OAuth client: /readyz and a metric show it. */
  googleClientHealth: GoogleClientHealth;
  queue: JobQueue;
  channels: ChannelDeps;
  /** Shared by this instance's webhook and sync worker (config.syncMinGapMs). */
  syncPacing: SyncPacing;
  cookies: CookieSettings;
  /** The Google emulator in use (development), if any. */
  emulatorUrl?: string | undefined;
  /** Overrides config.bookingRateLimits (tests with many bookings raise them). */
  bookingLimits?: { perAddress: number; perToken: number };
}

/**
 * A booking request retries Google for up to 8 s (backoff with jitter) before it answers
 * 202 and leaves the rest to the durable job.
 */
const BOOKING_RETRY = { budgetMs: 8_000, baseDelayMs: 250, maxDelayMs: 2_000 };

function bookingDeps(features: Features): BookDeps {
  const { knex, access, logger, queue } = features;
  return { knex, access, logger, queue, retry: BOOKING_RETRY };
}

/** The client `npm start` presents to its in-process emulator, the one it registers by default. */
export const EMULATOR_GOOGLE_CLIENT = {
  clientId: DEFAULT_EMULATOR_CLIENT.clientId,
  clientSecret: DEFAULT_EMULATOR_CLIENT.clientSecret,
};

export interface GoogleServicesInput {
  config: Readonly<Config>;
  knex: Knex;
  logger: Logger;
  endpoints: GoogleEndpoints;
  /** The configured client (real Google), or the one the emulator registered. */
  googleClient: { clientId: string; clientSecret: string };
  /** The in-process emulator's URL (development): the console links to its calendars. */
  emulatorUrl?: string | undefined;
}

/** OAuth and per-researcher calendar access: what the service and the CLI scripts share. */
export function createGoogleServices(input: GoogleServicesInput): {
  oauth: GoogleOAuth;
  access: GoogleAccess;
  googleClientHealth: GoogleClientHealth;
} {
  const { config, knex, logger } = input;
  const googleClientHealth = createGoogleClientHealth(logger);
  const oauth = createGoogleOAuth({
    clientVerdicts: googleClientHealth,
    ...input.googleClient,
    redirectUri: googleCallbackUrl(config),
    endpoints: input.endpoints,
    timeoutMs: GOOGLE_TIMEOUT_MS,
  });
  const access = createGoogleAccess({
    knex,
    oauth,
    keys: config.tokenEncryptionKeys,
    rootUrl: input.endpoints.rootUrl,
    timeoutMs: GOOGLE_TIMEOUT_MS,
    logger,
    clientHealth: googleClientHealth,
  });
  return { oauth, access, googleClientHealth };
}

/** Where Google sends the researcher back after consent: the redirect URI to register. */
export function googleCallbackUrl(config: Readonly<Config>): string {
  return `${config.publicUrl}/auth/google/callback`;
}

/** Where Google posts push notifications for this deployment. */
export function webhookUrl(config: Readonly<Config>): string {
  return `${config.publicUrl}${CALENDAR_WEBHOOK_PATH}`;
}

export function createFeatures(input: GoogleServicesInput & { queue: JobQueue }): Features {
  const { config, knex, logger, queue } = input;
  if (!config.sessionSecret) throw new Error('SESSION_SECRET is missing');
  const { oauth, access, googleClientHealth } = createGoogleServices(input);
  return {
    config,
    knex,
    logger,
    oauth,
    access,
    googleClientHealth,
    queue,
    channels: { knex, logger, webhookUrl: webhookUrl(config) },
    syncPacing: createSyncPacing(config.syncMinGapMs),
    cookies: { secret: config.sessionSecret, secure: config.publicUrl.startsWith('https://') },
    emulatorUrl: input.emulatorUrl,
  };
}

export function registerFeatureRoutes(table: RouteTable, features: Features, registry: Registry): void {
  const { config, knex, logger, oauth, access, queue, channels, cookies } = features;
  const authenticate = requireResearcher(knex, cookies);
  const events = { knex, access, queue, logger };
  registerAuthRoutes(table, {
    knex,
    oauth,
    cookies,
    connect: { knex, queue, oauth, access, keys: config.tokenEncryptionKeys, channels, logger },
  });
  registerMeRoutes(table, { knex, authenticate, disconnect: { knex, access, logger } });
  registerHostHoursRoutes(table, { knex, authenticate });
  const devMailbox = config.env !== 'production' && !config.mail.smtpUrl;
  // The researcher console's toolkit (session guard, layout, assets): its pages register below.
  const web = createConsole(table, { knex, cookies, emulatorUrl: features.emulatorUrl, devMailbox });
  const add = { knex, queue, publicUrl: config.publicUrl, keys: config.tokenEncryptionKeys };
  registerHomePage(table, { knex, cookies, web, pollIntervalMinutes: config.pollIntervalMinutes });
  registerConsolePages(table, {
    knex,
    web,
    add,
    disconnect: { knex, access, logger },
    access,
    pollIntervalMinutes: config.pollIntervalMinutes,
  });
  registerStudyRoutes(table, { knex, authenticate, access });
  registerTeamRoutes(table, { knex, authenticate, invite: add });
  registerTeamPage(table, { knex, web, invite: add });
  registerJoinRoutes(table, { knex, oauth, cookies });
  registerParticipantRoutes(table, { knex, authenticate, add, events });
  registerResearcherBookingRoutes(table, { ...bookingDeps(features), authenticate });
  registerLoggedInterviewRoutes(table, { knex, authenticate });
  registerParticipantPage(table, { knex, web, events, reinvite: add, keys: config.tokenEncryptionKeys });
  registerManualBookingPages(table, { knex, web, book: bookingDeps(features) });
  registerLoggedInterviewPages(table, { knex, web });
  registerInterviewRoutes(table, { knex, authenticate });
  registerInterviewsPage(table, { knex, web });
  if (devMailbox) registerDevMailboxRoutes(table, { knex });
  registerBookingPageRoutes(table, { knex, logger });
  registerUnsubscribeRoutes(table, { knex, secret: cookies.secret });
  registerBookingRoutes(table, {
    ...bookingDeps(features),
    limits: features.bookingLimits ?? config.bookingRateLimits,
    concurrency: config.bookingConcurrency,
  });
  registerSyncRoutes(table, features, registry);
  countClientRejections(features.googleClientHealth, registry);
}

function countClientRejections(health: GoogleClientHealth, registry: Registry): void {
  const rejections = new Counter({
    name: 'google_oauth_client_rejections_total',
    help: "Google refused the service's own OAuth client (invalid_client, unauthorized_client, deleted_client)",
    labelNames: ['reason'],
    registers: [registry],
  });
  health.onRejected((reason) => rejections.inc({ reason }));
}

/**
 * Queues and their workers on this instance; jobs left by a previous run are picked up.
 * Returns what closes the mail transport and the email worker's pool — after the queue has
 * stopped.
 */
export async function startWorkers(features: Features, databaseUrl: string): Promise<() => Promise<void>> {
  const { config, knex, logger, access, queue } = features;
  const transport = createMailTransport(config.mail, knex, logger);
  // A send holds its connection (the outbox row's lock) while the mail server answers: the
  // email worker's connections are a pool of their own, one per concurrent send, so a slow
  // mail server never takes the connections requests need — and the development mailbox,
  // which writes through the main pool, never waits on a pool its own senders hold.
  const mailKnex = createKnex(databaseUrl, config.mail.concurrency, logger, config.databaseTimeouts);
  await registerEmailWorker(queue, {
    knex: mailKnex,
    logger,
    from: config.mail.from,
    transport,
    keys: config.tokenEncryptionKeys,
    reminders: { publicUrl: config.publicUrl, unsubscribeSecret: features.cookies.secret },
    workOptions: { concurrency: config.mail.concurrency },
  });
  await registerDeleteEventWorker({ knex, access, queue, logger });
  await registerFinishBookingWorker({ ...bookingDeps(features), queue }, config.finishBookingConcurrency);
  await registerUpdateBookingEventWorker(bookingDeps(features));
  const resumed = await resumePendingBookings(knex, queue);
  if (resumed > 0) logger.info({ resumed }, 'pending bookings resumed');
  await startSyncWorkers(features);
  const requeued = await requeuePendingEmails(knex, queue);
  if (requeued > 0) logger.info({ requeued }, 'pending emails queued again');
  const stopReminderSweep = scheduleReminderSweep({ knex, queue, logger });
  return async () => {
    stopReminderSweep();
    await stopSyncWorkers(features);
    transport.close();
    await mailKnex.destroy();
  };
}
