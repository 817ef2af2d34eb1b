import cron from 'node-cron';
import { z } from 'zod';
import { defaultDatabaseTimeouts, type DatabaseTimeouts } from './db/timeouts';

/** Thrown for a configuration that cannot start the service; its message is one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const port = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number between 0 and 65535' })
      .int('must be a whole number between 0 and 65535')
      .min(0, 'must be a whole number between 0 and 65535')
      .max(65535, 'must be a whole number between 0 and 65535')
      .default(fallback),
  );

const positiveCount = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of at least 1' })
      .int('must be a whole number of at least 1')
      .min(1, 'must be a whole number of at least 1')
      .default(fallback),
  );

const boundedCount = (fallback: number, max: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `must be a whole number from 1 to ${max}` })
      .int(`must be a whole number from 1 to ${max}`)
      .min(1, `must be a whole number from 1 to ${max}`)
      .max(max, `must be a whole number from 1 to ${max}`)
      .default(fallback),
  );

const milliseconds = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds between 100 and 600000' })
      .int('must be a whole number of milliseconds between 100 and 600000')
      .min(100, 'must be a whole number of milliseconds between 100 and 600000')
      .max(600_000, 'must be a whole number of milliseconds between 100 and 600000')
      .default(fallback),
  );

const flagDefaulting = (fallback: '0' | '1') =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })
      .default(fallback)
      .transform((value) => value === '1' || value === 'true'),
  );
const flag = flagDefaulting('0');

const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());

const url = (protocols: string[]) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(
        (value) => URL.canParse(value) && protocols.includes(new URL(value).protocol),
        `must be a valid URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`,
      )
      .optional(),
  );

const keyPattern = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/;

/** `TOKEN_ENCRYPTION_KEYS`: `keyId:base64key,keyId2:base64key` — 32-byte keys, the first one encrypts. */
const encryptionKeys = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .transform((value, ctx) => {
      const keys: EncryptionKey[] = [];
      for (const part of value.split(',').map((item) => item.trim())) {
        const match = keyPattern.exec(part);
        const key = match ? Buffer.from(match[2] ?? '', 'base64') : undefined;
        if (!match || !key || key.length !== 32) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be "keyId:base64-of-32-bytes" entries separated by commas',
          });
          return z.NEVER;
        }
        if (keys.some((existing) => existing.id === match[1])) {
          ctx.addIssue({ code: 'custom', message: `key id "${match[1]}" appears twice` });
          return z.NEVER;
        }
        keys.push({ id: match[1] ?? '', key });
      }
      return keys;
    })
    .optional(),
);

const meetDelay = z.preprocess(
  emptyAsUndefined,
  z.coerce
    .number({ error: 'must be a whole number of milliseconds between 0 and 600000' })
    .int('must be a whole number of milliseconds between 0 and 600000')
    .min(0, 'must be a whole number of milliseconds between 0 and 600000')
    .max(600_000, 'must be a whole number of milliseconds between 0 and 600000')
    .default(0),
);

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
      .default('development'),
  ),
  PORT: port(3000),
  HOST: optionalText,
  PUBLIC_URL: url(['http:', 'https:']),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
  DB_CONNECT_TIMEOUT_MS: milliseconds(defaultDatabaseTimeouts.connectMs),
  DB_ACQUIRE_TIMEOUT_MS: milliseconds(defaultDatabaseTimeouts.acquireMs),
  DB_STATEMENT_TIMEOUT_MS: milliseconds(defaultDatabaseTimeouts.statementMs),
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  EMULATOR_PORT: port(8085),
  GOOGLE_EMULATOR_URL: url(['http:', 'https:']),
  EMULATOR_AUTO_APPROVE: flag,
  EMULATOR_ALLOW_HTTP_PUSH_ON_LOOPBACK: flagDefaulting('1'),
  POLL_INTERVAL_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of minutes from 1 to 1440' })
      .int('must be a whole number of minutes from 1 to 1440')
      .min(1, 'must be a whole number of minutes from 1 to 1440')
      .max(1440, 'must be a whole number of minutes from 1 to 1440')
      .default(5),
  ),
  SYNC_MIN_GAP_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds from 0 to 60000' })
      .int('must be a whole number of milliseconds from 0 to 60000')
      .min(0, 'must be a whole number of milliseconds from 0 to 60000')
      .max(60_000, 'must be a whole number of milliseconds from 0 to 60000')
      .default(1_000),
  ),
  EMULATOR_MEET_DELAY_MS: meetDelay,
  SMTP_URL: url(['smtp:', 'smtps:']),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default('Interview Scheduler <no-reply@localhost>')),
  EMAIL_CONCURRENCY: boundedCount(16, 32),
  FINISH_BOOKING_CONCURRENCY: boundedCount(16, 64),
  BOOKING_CONCURRENCY: boundedCount(12, 256),
  TOKEN_ENCRYPTION_KEYS: encryptionKeys,
  SESSION_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
  ),
  JSON_BODY_LIMIT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
      .default('300kb'),
  ),
  BOOKING_RATE_LIMIT_PER_ADDRESS: positiveCount(300),
  BOOKING_RATE_LIMIT_PER_LINK: positiveCount(60),
  NIGHTLY_CRON: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(
        (value) => value === 'off' || cron.validate(value),
        'must be a cron expression such as "0 3 * * *", or off (no nightly timer on this instance)',
      )
      .default('0 3 * * *'),
  ),
  NIGHTLY_TIME_ZONE: z.preprocess(
    emptyAsUndefined,
    z.string().refine(isTimeZone, 'must be an IANA time zone such as UTC or Europe/Berlin').default('UTC'),
  ),
});

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  /** How long anything waits for PostgreSQL before the request gets a 503. */
  databaseTimeouts: DatabaseTimeouts;
  dataDir: string;
  google: { clientId: string; clientSecret: string } | undefined;
  /**
   * The emulator standing in for Google when no Google client is configured: started in
   * this process on `port`, or an already running one at `url` (its own process, as Google
   * would be; benchmarks and many-instance set-ups).
   */
  emulator: {
    port: number;
    autoApprove: boolean;
    url: string | undefined;
    /** The in-process emulator accepts http push addresses on loopback (Google never does). */
    allowHttpPushOnLoopback: boolean;
    /** How long the in-process emulator keeps a Meet conference `pending` (0). */
    meetDelayMs: number;
  };
  /**
   * Calendars without a live push channel get an incremental sync this often (minutes); the
   * same tick keeps trying to open a channel for them.
   */
  pollIntervalMinutes: number;
  /**
   * A calendar's syncs caused by push notifications start at least this far apart on one
   * instance (0: no pacing); a burst of changes is read by one sync instead of many.
   */
  syncMinGapMs: number;
  mail: {
    smtpUrl: string | undefined;
    from: string;
    /**
     * Emails one instance sends at once, over as many pooled SMTP connections. Each send
     * holds a database connection (the outbox row's lock) until the mail server answers.
     */
    concurrency: number;
  };
  /** Held bookings one instance puts on Google calendars at once (the finish-booking jobs). */
  finishBookingConcurrency: number;
  /**
   * Participants' booking requests one instance runs at once; the others wait their turn
   * without holding a database connection, so slot lists are not stuck behind them.
   */
  bookingConcurrency: number;
  /** Empty outside production until development secrets are filled in from DATA_DIR. */
  tokenEncryptionKeys: readonly EncryptionKey[];
  sessionSecret: string | undefined;
  logLevel: string;
  jsonBodyLimit: string;
  nightly: { cron: string; timeZone: string };
  /** Booking API requests per minute per client address and per booking link. */
  bookingRateLimits: { perAddress: number; perToken: number };
}

/**
 * Reads and validates the whole configuration once. The first problem found is reported as
 * one line naming the variable, so a wrong start is quick to fix.
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'configuration');
    const given = env[variable];
    const shown = given === undefined || isSecret(variable) ? '' : ` (got "${given}")`;
    throw new ConfigError(`${variable} ${issue?.message ?? 'is invalid'}${shown}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === 'production';

  if (Boolean(values.GOOGLE_CLIENT_ID) !== Boolean(values.GOOGLE_CLIENT_SECRET)) {
    const missing = values.GOOGLE_CLIENT_ID ? 'GOOGLE_CLIENT_SECRET' : 'GOOGLE_CLIENT_ID';
    throw new ConfigError(`${missing} must be set together with the other Google credential`);
  }
  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  if (production) {
    const required: [string, unknown][] = [
      ['DATABASE_URL', values.DATABASE_URL],
      ['PUBLIC_URL', values.PUBLIC_URL],
      ['GOOGLE_CLIENT_ID', values.GOOGLE_CLIENT_ID],
      ['SMTP_URL', values.SMTP_URL],
      ['TOKEN_ENCRYPTION_KEYS', values.TOKEN_ENCRYPTION_KEYS],
      ['SESSION_SECRET', values.SESSION_SECRET],
    ];
    const missing = required.find(([, value]) => !value);
    if (missing) throw new ConfigError(`${missing[0]} is required when NODE_ENV=production`);
    if (!publicUrl.startsWith('https://')) {
      throw new ConfigError('PUBLIC_URL must be an https:// URL when NODE_ENV=production');
    }
  }

  return Object.freeze({
    env: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl,
    databaseUrl: values.DATABASE_URL,
    databaseTimeouts: {
      connectMs: values.DB_CONNECT_TIMEOUT_MS,
      acquireMs: values.DB_ACQUIRE_TIMEOUT_MS,
      statementMs: values.DB_STATEMENT_TIMEOUT_MS,
    },
    dataDir: values.DATA_DIR,
    google:
      values.GOOGLE_CLIENT_ID && values.GOOGLE_CLIENT_SECRET
        ? { clientId: values.GOOGLE_CLIENT_ID, clientSecret: values.GOOGLE_CLIENT_SECRET }
        : undefined,
    emulator: {
      port: values.EMULATOR_PORT,
      autoApprove: values.EMULATOR_AUTO_APPROVE,
      meetDelayMs: values.EMULATOR_MEET_DELAY_MS,
      url: values.GOOGLE_EMULATOR_URL?.replace(/\/+$/, ''),
      allowHttpPushOnLoopback: values.EMULATOR_ALLOW_HTTP_PUSH_ON_LOOPBACK,
    },
    pollIntervalMinutes: values.POLL_INTERVAL_MINUTES,
    syncMinGapMs: values.SYNC_MIN_GAP_MS,
    mail: { smtpUrl: values.SMTP_URL, from: values.MAIL_FROM, concurrency: values.EMAIL_CONCURRENCY },
    finishBookingConcurrency: values.FINISH_BOOKING_CONCURRENCY,
    bookingConcurrency: values.BOOKING_CONCURRENCY,
    tokenEncryptionKeys: values.TOKEN_ENCRYPTION_KEYS ?? [],
    sessionSecret: values.SESSION_SECRET,
    logLevel: values.LOG_LEVEL ?? (values.NODE_ENV === 'test' ? 'silent' : 'info'),
    jsonBodyLimit: values.JSON_BODY_LIMIT,
    nightly: { cron: values.NIGHTLY_CRON, timeZone: values.NIGHTLY_TIME_ZONE },
    bookingRateLimits: {
      perAddress: values.BOOKING_RATE_LIMIT_PER_ADDRESS,
      perToken: values.BOOKING_RATE_LIMIT_PER_LINK,
    },
  });
}

function isSecret(variable: string): boolean {
  return /SECRET|KEYS|DATABASE_URL|SMTP_URL/.test(variable);
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
