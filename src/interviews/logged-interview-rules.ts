import { Invalid } from '../http/problem';
import type { ParticipantStatus } from '../participants/status-rules';
import type { StatusRow } from './logged-interview-repository';

/**
 * The rules a logged interview keeps, whether logged, edited or deleted (issue 15). Pure: the
 * caller passes `now` and the history rows.
 */

const MAX_LOGGED_MS = 24 * 60 * 60_000;

/**
 * An interview held elsewhere is over: it started in the past, ends after it starts, never
 * in the future, and lasts at most 24 hours. `end` left out is decided by the caller later
 * (the study's duration when logging), so only the start is checked then.
 */
export function checkLoggedTimes(start: Date, end: Date | undefined, now: Date): void {
  if (start.getTime() >= now.getTime()) {
    throw new Invalid('A logged interview must have started in the past.', [
      { location: 'body', path: 'start', message: 'must be in the past' },
    ]);
  }
  if (!end) return;
  if (end.getTime() <= start.getTime()) {
    throw new Invalid('The interview must end after it starts.', [
      { location: 'body', path: 'end', message: 'must be after start' },
    ]);
  }
  if (end.getTime() > now.getTime()) {
    throw new Invalid('A logged interview must have ended: its end may not be in the future.', [
      { location: 'body', path: 'end', message: 'must not be in the future' },
    ]);
  }
  if (end.getTime() - start.getTime() > MAX_LOGGED_MS) {
    throw new Invalid('A logged interview lasts at most 24 hours.', [
      { location: 'body', path: 'end', message: 'must be within 24 hours of start' },
    ]);
  }
}

/**
 * What the history rows of a logged interview say about it. Rows are written with
 * `details.loggedInterviewId`; a row written while the interview's verdict was no longer the
 * participant's status also has `statusKept: true`.
 */
export const LOGGED_CHANGES = ['edited', 'deleted'] as const;
export type LoggedChange = (typeof LOGGED_CHANGES)[number];

/**
 * Whether the logged interview's verdict is still what the participant's status rests on:
 * the participant has its verdict, and every status decision since it was set (the latest
 * rows, read newest first) is this interview's own — logging it, editing it — or belongs to
 * a logged interview deleted since (deleting it took its decisions back). Anything else in
 * between (a manual status, a re-invite, a booking, another logged interview still there) is
 * a later decision that an edit or deletion of this one must not undo. Rows marked
 * `statusKept` record that an edit or deletion left the status alone: they decided nothing.
 *
 * When it stands, `before` is the status the participant had before that run of rows began:
 * the status they would have if neither this interview nor the deleted ones had been logged,
 * and where deleting it returns them. `null` when that is unknown.
 */
export type VerdictStanding = { stands: true; before: ParticipantStatus | null } | { stands: false };

export function verdictStanding(
  interview: { id: string; verdict: ParticipantStatus },
  currentStatus: ParticipantStatus,
  rowsNewestFirst: readonly StatusRow[],
): VerdictStanding {
  if (currentStatus !== interview.verdict) return { stands: false };
  const loggedId = (row: StatusRow) =>
    typeof row.details?.loggedInterviewId === 'string' ? row.details.loggedInterviewId : undefined;
  const deleted = new Set(
    rowsNewestFirst.filter((row) => row.details?.loggedInterviewChange === 'deleted').map(loggedId),
  );
  let earliest: StatusRow | undefined;
  let own = false;
  for (const row of rowsNewestFirst) {
    if (row.details?.statusKept === true) continue;
    const id = loggedId(row);
    if (id === interview.id) own = true;
    else if (id === undefined || !deleted.has(id)) break;
    earliest = row;
  }
  return own && earliest ? { stands: true, before: earliest.from } : { stands: false };
}
