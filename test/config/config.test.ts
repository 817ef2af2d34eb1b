import { ConfigError, loadConfig } from '../../src/config';

const validKey = Buffer.alloc(32, 7).toString('base64');
const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db.internal:5432/scheduler',
  PUBLIC_URL: 'https://schedule.example.com',
  GOOGLE_CLIENT_ID: 'client-id',
  GOOGLE_CLIENT_SECRET: 'client-secret',
  SMTP_URL: 'smtp://mail.example.com:587',
  TOKEN_ENCRYPTION_KEYS: `k1:${validKey}`,
  SESSION_SECRET: 'x'.repeat(40),
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('Configuration', () => {
  test('When nothing is configured, then the development defaults of DESIGN 3a apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './.data',
      google: undefined,
      emulator: {
        port: 8085,
        autoApprove: false,
        url: undefined,
        allowHttpPushOnLoopback: true,
        meetDelayMs: 0,
      },
      pollIntervalMinutes: 5,
      mail: { smtpUrl: undefined, concurrency: 16 },
      finishBookingConcurrency: 16,
      bookingConcurrency: 12,
      tokenEncryptionKeys: [],
      sessionSecret: undefined,
      nightly: { cron: '0 3 * * *', timeZone: 'UTC' },
      databaseTimeouts: { connectMs: 2000, acquireMs: 2000, statementMs: 5000 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('When the database timeouts are set, then they are used as given', () => {
    const config = loadConfig({
      DB_CONNECT_TIMEOUT_MS: '1500',
      DB_ACQUIRE_TIMEOUT_MS: '3000',
      DB_STATEMENT_TIMEOUT_MS: '10000',
    });
    expect(config.databaseTimeouts).toEqual({ connectMs: 1500, acquireMs: 3000, statementMs: 10000 });
  });

  test('When PORT is set, then the default PUBLIC_URL follows it and empty values count as unset', () => {
    const config = loadConfig({ PORT: '4100', DATABASE_URL: '', EMULATOR_AUTO_APPROVE: '1' });
    expect(config.publicUrl).toBe('http://localhost:4100');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.emulator.autoApprove).toBe(true);
  });

  test('When the polling interval and the emulator push strictness are set, then they are used', () => {
    const config = loadConfig({ POLL_INTERVAL_MINUTES: '15', EMULATOR_ALLOW_HTTP_PUSH_ON_LOOPBACK: '0' });
    expect(config.pollIntervalMinutes).toBe(15);
    expect(config.emulator.allowHttpPushOnLoopback).toBe(false);
  });

  test('When SYNC_MIN_GAP_MS is unset, then syncs are paced a second apart; 0 switches pacing off', () => {
    expect(loadConfig({}).syncMinGapMs).toBe(1_000);
    expect(loadConfig({ SYNC_MIN_GAP_MS: '0' }).syncMinGapMs).toBe(0);
  });

  test('When GOOGLE_EMULATOR_URL is set, then it is kept without a trailing slash', () => {
    const config = loadConfig({ GOOGLE_EMULATOR_URL: 'http://127.0.0.1:8099/' });
    expect(config.emulator.url).toBe('http://127.0.0.1:8099');
  });

  test.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number between 0 and 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be a whole number/],
    [{ PORT: '3.5' }, /^PORT must be a whole number/],
    [{ EMULATOR_PORT: '-1' }, /^EMULATOR_PORT must be a whole number/],
    [{ EMULATOR_AUTO_APPROVE: 'yes' }, /^EMULATOR_AUTO_APPROVE must be 1 or 0/],
    [
      { GOOGLE_EMULATOR_URL: '127.0.0.1:8085' },
      /^GOOGLE_EMULATOR_URL must be a valid URL starting with http:\/\//,
    ],
    [{ PUBLIC_URL: 'ftp://x' }, /^PUBLIC_URL must be a valid URL starting with http:\/\/ or https:\/\//],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a valid URL starting with postgres:/],
    [{ SMTP_URL: 'not a url' }, /^SMTP_URL must be a valid URL/],
    [{ TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }, /^TOKEN_ENCRYPTION_KEYS must be "keyId:base64-of-32-bytes"/],
    [{ TOKEN_ENCRYPTION_KEYS: `k1:${validKey},k1:${validKey}` }, /key id "k1" appears twice/],
    [{ SESSION_SECRET: 'short' }, /^SESSION_SECRET must be at least 32 characters$/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV must be development, test or production/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ NIGHTLY_TIME_ZONE: 'Mars/Olympus' }, /^NIGHTLY_TIME_ZONE must be an IANA time zone/],
    [{ NIGHTLY_CRON: 'at three' }, /^NIGHTLY_CRON must be a cron expression/],
    [
      { BOOKING_RATE_LIMIT_PER_LINK: '0' },
      /^BOOKING_RATE_LIMIT_PER_LINK must be a whole number of at least 1/,
    ],
    [{ EMAIL_CONCURRENCY: '0' }, /^EMAIL_CONCURRENCY must be a whole number from 1 to 32 \(got "0"\)$/],
    [{ EMAIL_CONCURRENCY: '33' }, /^EMAIL_CONCURRENCY must be a whole number from 1 to 32/],
    [
      { FINISH_BOOKING_CONCURRENCY: '2.5' },
      /^FINISH_BOOKING_CONCURRENCY must be a whole number from 1 to 64/,
    ],
    [{ BOOKING_CONCURRENCY: '0' }, /^BOOKING_CONCURRENCY must be a whole number from 1 to 256/],
    [{ BOOKING_CONCURRENCY: '257' }, /^BOOKING_CONCURRENCY must be a whole number from 1 to 256/],
    [{ JSON_BODY_LIMIT: 'lots' }, /^JSON_BODY_LIMIT must look like 100kb/],
    [{ DB_STATEMENT_TIMEOUT_MS: 'soon' }, /^DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds/],
    [
      { DB_ACQUIRE_TIMEOUT_MS: '0' },
      /^DB_ACQUIRE_TIMEOUT_MS must be a whole number of milliseconds between 100/,
    ],
    [{ GOOGLE_CLIENT_ID: 'only-the-id' }, /^GOOGLE_CLIENT_SECRET must be set together/],
    [
      { POLL_INTERVAL_MINUTES: '0' },
      /^POLL_INTERVAL_MINUTES must be a whole number of minutes from 1 to 1440/,
    ],
    [{ POLL_INTERVAL_MINUTES: '2.5' }, /^POLL_INTERVAL_MINUTES must be a whole number of minutes/],
    [{ POLL_INTERVAL_MINUTES: '1441' }, /^POLL_INTERVAL_MINUTES must be a whole number of minutes/],
    [{ SYNC_MIN_GAP_MS: '-1' }, /^SYNC_MIN_GAP_MS must be a whole number of milliseconds from 0 to 60000/],
    [{ SYNC_MIN_GAP_MS: '60001' }, /^SYNC_MIN_GAP_MS must be a whole number of milliseconds from 0 to 60000/],
    [
      { EMULATOR_ALLOW_HTTP_PUSH_ON_LOOPBACK: 'maybe' },
      /^EMULATOR_ALLOW_HTTP_PUSH_ON_LOOPBACK must be 1 or 0/,
    ],
  ])('When %j is given, then the start stops with one line naming the variable', (env, message) => {
    const text = errorOf(env);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  test('When a secret is wrong, then the message does not echo its value', () => {
    expect(errorOf({ SESSION_SECRET: 'tiny-secret' })).not.toContain('tiny-secret');
  });

  test('When everything production needs is given, then production starts on an https URL', () => {
    const config = loadConfig(productionEnv);
    expect(config.env).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(config.google).toEqual({ clientId: 'client-id', clientSecret: 'client-secret' });
    expect(config.tokenEncryptionKeys).toEqual([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
  });

  test.each([
    'DATABASE_URL',
    'PUBLIC_URL',
    'GOOGLE_CLIENT_ID',
    'SMTP_URL',
    'TOKEN_ENCRYPTION_KEYS',
    'SESSION_SECRET',
  ])('When production misses %s, then it refuses to start and names it', (variable) => {
    const env: Record<string, string> = { ...productionEnv };
    delete env[variable];
    if (variable === 'GOOGLE_CLIENT_ID') delete env.GOOGLE_CLIENT_SECRET;
    expect(errorOf(env)).toBe(`${variable} is required when NODE_ENV=production`);
  });

  test('When production has an http PUBLIC_URL, then it refuses to start', () => {
    expect(errorOf({ ...productionEnv, PUBLIC_URL: 'http://schedule.example.com' })).toBe(
      'PUBLIC_URL must be an https:// URL when NODE_ENV=production',
    );
  });
});
