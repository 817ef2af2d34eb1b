/**
 * How long anything waits for PostgreSQL, so a stalled or lost database fails a request
 * quickly (503) instead of holding it: DB_*_TIMEOUT_MS in the configuration.
 */
export interface DatabaseTimeouts {
  /** Opening a new connection (TCP connect + start-up + authentication). */
  connectMs: number;
  /** Waiting for a free connection of the pool. */
  acquireMs: number;
  /** One statement: the server cancels it after this (SQLSTATE 57014); 0 = no limit. */
  statementMs: number;
}

/** What a database that stops answering is given beyond the statement timeout before we give up on it. */
const CLIENT_GRACE_MS = 1000;

export const defaultDatabaseTimeouts: DatabaseTimeouts = {
  connectMs: 2000,
  acquireMs: 2000,
  statementMs: 5000,
};

/** The pg.Client settings that carry the timeouts (for knex's connections and pg-boss's pool). */
export function pgTimeouts(timeouts: DatabaseTimeouts) {
  if (timeouts.statementMs === 0) {
    // No statement limit at all (migrations): the server's default, and no client deadline.
    return { connectionTimeoutMillis: timeouts.connectMs };
  }
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    // Server side: a slow statement is cancelled and its transaction rolled back.
    statement_timeout: timeouts.statementMs,
    // No idle_in_transaction_session_timeout: the email worker holds its transaction open on
    // purpose while the SMTP server takes the message (see send-email-worker).
    // Client side: a server that does not answer at all (stopped, unreachable) cannot cancel
    // anything, so the client stops waiting a little after the server would have.
    query_timeout: timeouts.statementMs + CLIENT_GRACE_MS,
  };
}
