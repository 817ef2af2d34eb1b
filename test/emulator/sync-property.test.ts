import fc from 'fast-check';
import { listEvents, parseListQuery } from '../../src/emulator/events-query';
import { deleteEvent, insertEvent, patchEvent, type WriteContext } from '../../src/emulator/events-store';
import { emptyState, type CalendarRecord } from '../../src/emulator/state';
import { newCalendar } from '../../src/emulator/users';

/**
 * The sync-token contract the service relies on: a client that keeps a mirror by applying
 * incremental syncs — one page at a time, with changes landing between its pages — always
 * ends up with exactly the calendar's live events, whatever the page sizes.
 */

type Command =
  | { kind: 'insert'; hour: number }
  | { kind: 'patch'; pick: number; hour: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'page'; size: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), hour: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('patch' as const), pick: fc.nat(), hour: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('page' as const), size: fc.integer({ min: 1, max: 4 }) }),
);

function setup() {
  const state = emptyState({ kid: 'k', privateKeyPem: '' });
  const calendar = newCalendar('owner@example.com');
  state.calendars[calendar.owner] = calendar;
  let nowMs = Date.UTC(2030, 0, 1);
  const context = (): WriteContext => ({ state, nowMs: (nowMs += 1000), notifyChange: () => undefined });
  return { calendar, context };
}

const times = (hour: number) => ({
  start: { dateTime: `2030-01-10T${String(hour).padStart(2, '0')}:00:00Z` },
  end: { dateTime: `2030-01-10T${String(hour + 1).padStart(2, '0')}:00:00Z` },
});
const options = { sendUpdates: 'none' as const, conferenceDataVersion: 0, origin: 'http://emulator' };

function page(calendar: CalendarRecord, params: Record<string, string>) {
  return listEvents(calendar, parseListQuery(params), params, Date.UTC(2030, 0, 1));
}

function liveEvents(calendar: CalendarRecord): Map<string, string> {
  return new Map(
    Object.values(calendar.events)
      .filter((stored) => stored.resource.status !== 'cancelled')
      .map((stored) => [stored.resource.id, stored.resource.etag]),
  );
}

describe('Sync tokens and paging (property)', () => {
  test('When a client mirrors a calendar by paged incremental syncs amid changes, then the mirror ends equal to the calendar', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        (commands, finalSize) => {
          const { calendar, context } = setup();
          const mirror = new Map<string, string>();
          let syncToken = page(calendar, {}).nextSyncToken!;
          let pageToken: string | undefined;
          const ids: string[] = [];

          const fetchPage = (size: number) => {
            const result = page(calendar, {
              syncToken,
              maxResults: String(size),
              ...(pageToken ? { pageToken } : {}),
            });
            for (const item of result.items) {
              if (item.status === 'cancelled') mirror.delete(String(item.id));
              else mirror.set(String(item.id), String(item.etag));
            }
            pageToken = result.nextPageToken;
            if (result.nextSyncToken) syncToken = result.nextSyncToken;
          };

          for (const step of commands) {
            const target = ids.length > 0 ? ids[('pick' in step ? step.pick : 0) % ids.length]! : undefined;
            if (step.kind === 'insert') {
              ids.push(insertEvent(context(), calendar, times(step.hour), options).id);
            } else if (step.kind === 'patch' && target) {
              patchEvent(context(), calendar, target, { ...times(step.hour), status: 'confirmed' }, options);
            } else if (
              step.kind === 'delete' &&
              target &&
              calendar.events[target]!.resource.status !== 'cancelled'
            ) {
              deleteEvent(context(), calendar, target, { sendUpdates: 'none' });
            } else if (step.kind === 'page') {
              fetchPage(step.size);
            }
          }
          // Finish the sync in progress, then one more complete sync.
          while (pageToken) fetchPage(finalSize);
          do fetchPage(finalSize);
          while (pageToken);

          expect(mirror).toEqual(liveEvents(calendar));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('When a full listing is paged with any page size, then every matching event comes exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(undefined, 'startTime', 'updated'),
        (hours, size, orderBy) => {
          const { calendar, context } = setup();
          for (const hour of hours) insertEvent(context(), calendar, times(hour), options);
          const params: Record<string, string> = {
            maxResults: String(size),
            ...(orderBy ? { orderBy, singleEvents: 'true' } : {}),
          };
          const seen: string[] = [];
          let pageToken: string | undefined;
          let syncToken: string | undefined;
          do {
            const result = page(calendar, { ...params, ...(pageToken ? { pageToken } : {}) });
            expect(result.items.length).toBeLessThanOrEqual(size);
            seen.push(...result.items.map((item) => String(item.id)));
            pageToken = result.nextPageToken;
            syncToken = result.nextSyncToken;
            expect(Boolean(pageToken) !== Boolean(syncToken)).toBe(true);
          } while (pageToken);
          expect(new Set(seen).size).toBe(seen.length);
          expect(new Set(seen)).toEqual(new Set(liveEvents(calendar).keys()));
        },
      ),
      { numRuns: 200 },
    );
  });
});
