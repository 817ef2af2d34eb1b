import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; anything that could carry a credential is redacted at the source. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'interview-scheduler' },
    redact: {
      paths: [
        'authorization',
        'cookie',
        'token',
        'refreshToken',
        'accessToken',
        'password',
        '*.authorization',
        '*.cookie',
        '*.token',
        '*.refreshToken',
        '*.accessToken',
        '*.password',
      ],
      censor: '[redacted]',
    },
  });
}
