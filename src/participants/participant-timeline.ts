import type { Knex } from 'knex';
import { NotFound } from '../http/problem';
import { cursorAfter, describeRow, type TimelineItem } from './timeline';
import { readTimeline, type TimelineCursor } from './timeline-repository';

export const TIMELINE_PAGE = { default: 100, max: 500 } as const;

export interface TimelineResult {
  timeZone: string;
  /** Newest first. */
  items: TimelineItem[];
  /** Where the next (older) page starts; null when this page holds the oldest item. */
  next: string | null;
}

/**
 * A participant's activity timeline, one page of it, newest first (the console and
 * `GET /api/participants/:id/timeline`). One query reads the page and checks the participant
 * is the researcher's; one row more than asked tells whether an older page exists.
 */
export async function participantTimeline(
  db: Knex,
  researcherId: string,
  participantId: string,
  page: { limit?: number; before?: TimelineCursor } = {},
): Promise<TimelineResult> {
  const limit = Math.min(page.limit ?? TIMELINE_PAGE.default, TIMELINE_PAGE.max);
  const read = await readTimeline(db, researcherId, participantId, {
    limit: limit + 1,
    ...(page.before ? { before: page.before } : {}),
  });
  if (!read) throw new NotFound('No such participant.');
  const rows = read.rows.slice(0, limit);
  const last = rows.at(-1);
  return {
    timeZone: read.timeZone,
    items: rows.map((row) => describeRow(row, read.timeZone)),
    next: read.rows.length > limit && last ? cursorAfter(last) : null,
  };
}
