import crypto from 'node:crypto';
import { fullSyncRequired, invalid } from './errors';
import type { CalendarRecord } from './state';

/**
 * Sync and page tokens. A sync token names a point in a calendar's change history (the
 * change counter) under the calendar's current sync epoch; invalidating tokens is a new
 * epoch, after which every older token answers 410 `fullSyncRequired`, as Google does when
 * it expires tokens at will. A page token carries the query it belongs to and where the
 * previous page stopped.
 */

interface SyncTokenBody {
  c: string;
  e: string;
  s: number;
}

export function encodeSyncToken(calendar: CalendarRecord, seq: number): string {
  const body: SyncTokenBody = { c: calendar.owner, e: calendar.syncEpoch, s: seq };
  return `C${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
}

/** The change counter a sync token stands for; 410 when it is not (or no longer) valid here. */
export function decodeSyncToken(calendar: CalendarRecord, token: string): number {
  const body = decodeJson<SyncTokenBody>(token.slice(1));
  if (
    !token.startsWith('C') ||
    !body ||
    body.c !== calendar.owner ||
    body.e !== calendar.syncEpoch ||
    typeof body.s !== 'number' ||
    body.s > calendar.changeCounter
  ) {
    throw fullSyncRequired();
  }
  return body.s;
}

export function invalidateSyncTokens(calendar: CalendarRecord): void {
  calendar.syncEpoch = crypto.randomBytes(9).toString('base64url');
}

export type SortKey = Array<number | string>;

export interface PageTokenBody {
  /** Fingerprint of the query (all parameters but pageToken and maxResults). */
  q: string;
  /** The calendar's change counter when the first page was made. */
  s: number;
  /** Sort key of the last item handed out. */
  a: SortKey;
}

export function encodePageToken(body: PageTokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodePageToken(token: string, queryFingerprint: string): PageTokenBody {
  const body = decodeJson<PageTokenBody>(token);
  if (!body || body.q !== queryFingerprint || typeof body.s !== 'number' || !Array.isArray(body.a)) {
    throw invalid('Invalid page token value.');
  }
  return body;
}

export function queryFingerprint(query: Record<string, unknown>): string {
  const relevant = Object.entries(query)
    .filter(([key]) => key !== 'pageToken' && key !== 'maxResults')
    .sort(([a], [b]) => a.localeCompare(b));
  return crypto.createHash('sha256').update(JSON.stringify(relevant)).digest('base64url').slice(0, 16);
}

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = a[i];
    const right = b[i];
    if (left === right) continue;
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    return left < right ? -1 : 1;
  }
  return 0;
}

function decodeJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
