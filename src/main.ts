import { ConfigError, loadConfig } from './config';
import { withDevelopmentSecrets } from './dev-secrets';
import { createLogger } from './logger';
import { watchParent } from './operations/parent-watch';
import { startService } from './service';

async function main(): Promise<void> {
  let config;
  try {
    config = withDevelopmentSecrets(loadConfig(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const service = await startService(config, logger);
  logger.info({ url: service.url }, 'service started');
  process.stdout.write(
    [
      '',
      'Interview scheduler is running.',
      `  Console:      ${config.publicUrl}/   <- open this: sign in with Google, then Studies`,
      `  Service:      ${service.url}   (public URL ${config.publicUrl})`,
      `  Health:       ${service.url}/readyz`,
      `  API document: ${service.url}/openapi.json   (API tokens: ${config.publicUrl}/settings)`,
      service.emulatorUrl
        ? `  Google:       emulator at ${service.emulatorUrl}   (its calendars: ${service.emulatorUrl}/_emulator/)`
        : '  Google:       accounts.google.com and www.googleapis.com',
      config.mail.smtpUrl
        ? '  Email:        SMTP_URL'
        : `  Email:        development mailbox at ${config.publicUrl}/dev/mailbox`,
      `  Database:     ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}/postgres`}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  // A terminal's Ctrl-C reaches every process of the group (npm and node), and npm relays
  // what it gets too, so one press can arrive twice at once; only a signal well after the
  // first one means "stop now, do not wait".
  let firstSignalAt: number | undefined;
  const shutdown = (reason: string, escalates = true) => {
    if (firstSignalAt !== undefined) {
      if (!escalates || Date.now() - firstSignalAt < 2000) return;
      logger.warn({ signal: reason }, 'second signal: exiting at once');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    logger.info({ signal: reason }, 'shutting down');
    // Bounded: running jobs get the queue's stop timeout (30 s), the rest a few seconds.
    setTimeout(() => {
      logger.error({ ms: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    service.stop().then(
      () => {
        logger.info('service stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // `npm start` killed hard (or a supervisor that does not pass signals on): stop as well.
  watchParent(() => shutdown('parent process exited', false));
}

/** Longer than the job queue's stop timeout (30 s) plus closing the rest. */
const SHUTDOWN_DEADLINE_MS = 45_000;

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
