import { jobsSettled, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, invite, slotTomorrow } from './support';

/** Every query the service sends, by text, while `work` runs. */
async function queriesDuring(stack: Stack, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (query: { sql: string }) => seen.push(query.sql);
  stack.knex.on('query', listener);
  try {
    await work();
  } finally {
    stack.knex.off('query', listener);
  }
  return seen;
}

/**
 * How many round trips `work` sends one after another: a new one starts each time a query is
 * sent while none is in flight (queries sent together count once). The rate limits' counts,
 * which the service shares on a timer through the same pool, are not the request's.
 */
async function roundTripsInARow(stack: Stack, work: () => Promise<unknown>): Promise<number> {
  type Query = { sql: string; __knexQueryUid: string };
  const inFlight = new Set<string>();
  let inARow = 0;
  const sent = (query: Query) => {
    if (/rate_limit_counts/.test(query.sql)) return;
    if (inFlight.size === 0) inARow += 1;
    inFlight.add(query.__knexQueryUid);
  };
  const answered = (_: unknown, query: Query) => inFlight.delete(query.__knexQueryUid);
  stack.knex.on('query', sent).on('query-response', answered).on('query-error', answered);
  try {
    await work();
  } finally {
    stack.knex.off('query', sent).off('query-response', answered).off('query-error', answered);
  }
  return inARow;
}

describe('What one booking reads', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada)).id;
    // No push notification, so no sync job reads the connection while a request is counted.
    const armed = await fetch(`${stack.emulatorUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropPush: true }),
    });
    expect(armed.ok).toBe(true);
  });
  afterAll(() => stack.close());

  test('When a participant books, then the Google connection is read once for the whole request', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 10);

    let status = 0;
    const queries = await queriesDuring(stack, async () => {
      status = (await book(stack, pat!.token, slot.start)).status;
    });

    expect(status).toBe(201);
    expect(queries.filter((sql) => /from "google_connections"/.test(sql))).toHaveLength(1);
  });

  test('When a participant books, then the confirming transaction locks the participant once and reads the booking once', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 12);

    let status = 0;
    const queries = await queriesDuring(stack, async () => {
      status = (await book(stack, pat!.token, slot.start)).status;
    });

    expect(status).toBe(201);
    // The second transaction of the request is the one that confirms.
    const begins = queries.flatMap((sql, index) => (sql === 'BEGIN;' ? [index] : []));
    expect(begins.length).toBeGreaterThanOrEqual(2);
    const confirming = queries.slice(begins[1], queries.indexOf('COMMIT;', begins[1]) + 1);
    expect(confirming.some((sql) => /^UPDATE bookings\s+SET state = 'confirmed'/.test(sql))).toBe(true);
    // The participant row: locked once, and not read again by the status change.
    expect(confirming.filter((sql) => /from "participants" where "id"/.test(sql))).toHaveLength(1);
    // The booking: read once under its lock; the confirming update answers the row as
    // stored and who booked it (no read after it).
    expect(confirming.filter((sql) => /^select id, participant_id, study_id/.test(sql))).toHaveLength(1);
    expect(
      confirming.filter((sql) => /booked_by_researcher_id/.test(sql) && /^select/i.test(sql)),
    ).toHaveLength(0);
    // Per booking in all: 3 queries fewer than before (the second participant lock, the
    // booked-by read, the read after the update).
    expect(queries.filter((sql) => /for no key update/.test(sql))).toHaveLength(2);
  });

  test('When a participant lists slots, then the Google connection, the study hosts and the live booking are read once each', async () => {
    const [pat] = await invite(stack, ada, studyId);

    const queries = await queriesDuring(stack, () => slotTomorrow(stack, pat!.token, 11));

    expect(queries.filter((sql) => /from "google_connections"/.test(sql))).toHaveLength(1);
    expect(queries.filter((sql) => /from "study_hosts"/.test(sql))).toHaveLength(1);
    expect(queries.filter((sql) => /^select b\.id as booking_id/.test(sql))).toHaveLength(1);
  });

  test('When a participant who cancelled opens their link, then what the view needs besides the link is read together', async () => {
    const [pat] = await invite(stack, ada, studyId);
    expect((await book(stack, pat!.token, (await slotTomorrow(stack, pat!.token, 13)).start)).status).toBe(
      201,
    );
    const cancelled = await fetch(`${stack.url}/api/booking/${pat!.token}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    // The jobs the cancellation queued (the event's deletion) read through the same pool: done first.
    await jobsSettled(stack);

    let view: Response | undefined;
    const inARow = await roundTripsInARow(stack, async () => {
      view = await fetch(`${stack.url}/api/booking/${pat!.token}`);
    });

    expect(view?.status).toBe(200);
    expect((await view!.json()).cancellation).toEqual(expect.objectContaining({ by: expect.any(String) }));
    // The link: participant by token; study, organizer and live booking together; the
    // organizer and their connection. Then the last failure and the cancellation together,
    // and the cancelled booking's time, which needs the cancellation's (4 when it goes out
    // before the failure's answer; 6 when all go one by one).
    expect(inARow).toBeLessThanOrEqual(5);
  });

  test('When a participant books, then the study hosts and the live booking are read once before the hold', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 13);

    let status = 0;
    const queries = await queriesDuring(stack, async () => {
      status = (await book(stack, pat!.token, slot.start)).status;
    });

    expect(status).toBe(201);
    const beforeHold = queries.slice(0, queries.indexOf('BEGIN;'));
    expect(beforeHold.filter((sql) => /from "study_hosts"/.test(sql))).toHaveLength(1);
    expect(beforeHold.filter((sql) => /^select b\.id as booking_id/.test(sql))).toHaveLength(1);
  });
});
