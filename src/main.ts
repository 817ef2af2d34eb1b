import { ConfigError, loadConfig } from './config';
import { withDevelopmentSecrets } from './dev-secrets';
import { createLogger } from './logger';
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
      `  Service:      ${service.url}   (public URL ${config.publicUrl})`,
      `  Connect:      ${config.publicUrl}/auth/google   (sign in as a researcher)`,
      `  Health:       ${service.url}/readyz`,
      `  API document: ${service.url}/openapi.json`,
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

  // npm and tsx relay a terminal's Ctrl-C, so one press can arrive two or three times at
  // once; only a signal well after the first one means "stop now, do not wait".
  let firstSignalAt: number | undefined;
  const shutdown = (signal: string) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < 2000) return;
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
