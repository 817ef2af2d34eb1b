import pino from 'pino';
import { createGoogleEmulator } from './index';

/** `npm run emulator`: the emulator alone, e.g. for a demo next to a separately started service. */
async function main(): Promise<void> {
  const port = Number(process.env.EMULATOR_PORT ?? 8085);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`EMULATOR_PORT must be a port number, got ${process.env.EMULATOR_PORT}`);
  }
  const logger = pino({ base: { service: 'google-emulator' } });
  const meetDelayMs = Number(process.env.EMULATOR_MEET_DELAY_MS || 0);
  if (!Number.isInteger(meetDelayMs) || meetDelayMs < 0 || meetDelayMs > 600_000) {
    throw new Error(
      `EMULATOR_MEET_DELAY_MS must be milliseconds from 0 to 600000, got ${process.env.EMULATOR_MEET_DELAY_MS}`,
    );
  }
  const clientId = process.env.EMULATOR_CLIENT_ID;
  const seed = optionalNumber('EMULATOR_RANDOM_SEED');
  const refreshTokenMaxAgeSeconds = optionalNumber('EMULATOR_REFRESH_TOKEN_MAX_AGE_SECONDS');
  const syncTokenInvalidationRate = optionalNumber('EMULATOR_SYNC_TOKEN_INVALIDATION_RATE');
  if (syncTokenInvalidationRate !== undefined && syncTokenInvalidationRate > 1) {
    throw new Error('EMULATOR_SYNC_TOKEN_INVALIDATION_RATE must be between 0 and 1');
  }
  const clientSecret = process.env.EMULATOR_CLIENT_SECRET;
  const emulator = createGoogleEmulator({
    ...(clientId && clientSecret ? { clients: [{ clientId, clientSecret }] } : {}),
    autoApprove: process.env.EMULATOR_AUTO_APPROVE === '1' || process.env.EMULATOR_AUTO_APPROVE === 'true',
    // On unless set to 0/false: a service started next to it on this machine gets push.
    allowHttpPushOnLoopback: !['0', 'false'].includes(process.env.EMULATOR_ALLOW_HTTP_PUSH_ON_LOOPBACK ?? ''),
    ...(process.env.EMULATOR_STATE_FILE ? { stateFile: process.env.EMULATOR_STATE_FILE } : {}),
    ...(seed !== undefined ? { randomSeed: seed } : {}),
    ...(refreshTokenMaxAgeSeconds !== undefined ? { refreshTokenMaxAgeSeconds } : {}),
    ...(syncTokenInvalidationRate !== undefined ? { syncTokenInvalidationRate } : {}),
    meetDelayMs,
    logger,
  });
  const { url } = await emulator.listen(port, process.env.EMULATOR_HOST ?? '127.0.0.1');
  process.stdout.write(`Google emulator on ${url} (admin page ${url}/_emulator/)\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Google emulator stopping');
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Google emulator did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** A non-negative number from the environment, or undefined when unset. */
function optionalNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
