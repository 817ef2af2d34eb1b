/**
 * Whether a failure means "the database is not there right now" rather than a bug: the
 * pool had no connection in time, the connection was refused or lost, a statement hit the
 * timeout, or the server is shutting down. Such a failure becomes a 503 with Retry-After.
 * Answers a short reason for logs and /readyz, or undefined for any other error.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const reason = reasonOf(current as DriverError);
    if (reason) return reason;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

interface DriverError {
  name?: string;
  code?: string;
  message?: string;
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

const lostConnectionMessages = [
  'Connection terminated',
  'Query read timeout',
  'timeout expired',
  'Client has encountered a connection error and is not queryable',
  'Connection ended unexpectedly',
];

function reasonOf(error: DriverError): string | undefined {
  if (error.name === 'KnexTimeoutError') return 'no database connection became free in time';
  const code = error.code ?? '';
  if (networkCodes.has(code)) return `the database connection failed (${code})`;
  // SQLSTATE 57014 query_canceled: our statement_timeout, or an operator's cancel.
  if (code === '57014') return 'a database statement timed out';
  // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up).
  if (/^57P0[1-3]$/.test(code)) return 'the database is shutting down or starting up';
  // Class 08: connection exceptions; 53300: too many connections.
  if (code.startsWith('08') || code === '53300') return `the database refused the connection (${code})`;
  const message = error.message ?? '';
  if (message === 'Query read timeout') return 'the database did not answer in time';
  if (lostConnectionMessages.some((text) => message.includes(text)))
    return 'the database connection was lost';
  return undefined;
}
