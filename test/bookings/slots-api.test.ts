import { sha256Hex } from '../../src/security/secrets';
import { SYNC_CALENDAR } from '../../src/jobs/names';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, clearFaults, createStudy, fault, invite, slotsFor, slotTomorrow } from './support';

/**
 * Limits count per fixed minute of the clock, and a new minute starts every count again: start
 * early enough in one that a test's few requests all land in it.
 */
async function earlyInAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}

describe('Free slots for a booking link', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ bookingLimits: { perAddress: 10_000, perToken: 10_000 } });
    ada = await signIn(stack, 'ada@example.com');
  });
  afterEach(() => clearFaults(stack));
  afterAll(() => stack.close());

  function tomorrowAt(hour: number): Date {
    const date = new Date(Date.now() + 86_400_000);
    date.setUTCHours(hour, 0, 0, 0);
    return date;
  }

  async function addGoogleEvent(body: Record<string, unknown>) {
    await fetch(`${stack.emulatorUrl}/_emulator/calendars/ada@example.com/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await stack.knex('freebusy_cache').delete();
  }

  async function calendarQuiet() {
    await stack.emulator.pushSettled();
    await eventually(async () => {
      const live = await stack.knex
        .withSchema(stack.queue.schema)
        .from('job')
        .where({ name: SYNC_CALENDAR })
        .where('state', '<', 'completed');
      return live.length === 0;
    }, 15_000);
  }

  const starts = async (token: string) => new Set((await slotsFor(stack, token)).map((slot) => slot.start));

  test('When the calendar has a busy, a free (transparent) and a tentative event, then busy handling blocks only the busy one, strict blocks all, off blocks none', async () => {
    await addGoogleEvent({
      summary: 'Busy',
      start: { dateTime: tomorrowAt(6).toISOString() },
      end: { dateTime: tomorrowAt(7).toISOString() },
    });
    await addGoogleEvent({
      summary: 'Free',
      transparency: 'transparent',
      start: { dateTime: tomorrowAt(7).toISOString() },
      end: { dateTime: tomorrowAt(8).toISOString() },
    });
    await addGoogleEvent({
      summary: 'Maybe',
      status: 'tentative',
      start: { dateTime: tomorrowAt(8).toISOString() },
      end: { dateTime: tomorrowAt(9).toISOString() },
    });
    const [busy] = await invite(stack, ada, (await createStudy(stack, ada, { conflictHandling: 'busy' })).id);
    const [strict] = await invite(
      stack,
      ada,
      (await createStudy(stack, ada, { conflictHandling: 'strict' })).id,
    );
    const [off] = await invite(stack, ada, (await createStudy(stack, ada, { conflictHandling: 'off' })).id);
    const at = (hour: number) => tomorrowAt(hour).toISOString();

    const busyStarts = await starts(busy!.token);
    expect([busyStarts.has(at(6)), busyStarts.has(at(7)), busyStarts.has(at(8))]).toEqual([
      false,
      true,
      true,
    ]);
    const strictStarts = await starts(strict!.token);
    expect([strictStarts.has(at(6)), strictStarts.has(at(7)), strictStarts.has(at(8))]).toEqual([
      false,
      false,
      false,
    ]);
    const offStarts = await starts(off!.token);
    expect([offStarts.has(at(6)), offStarts.has(at(7)), offStarts.has(at(8))]).toEqual([true, true, true]);
  });

  test('When another study of the same researcher has a booking, then that time (plus buffers) is not offered', async () => {
    const [first] = await invite(stack, ada, (await createStudy(stack, ada)).id);
    const [second] = await invite(
      stack,
      ada,
      (await createStudy(stack, ada, { bufferBeforeMinutes: 30 })).id,
    );
    const slot = await slotTomorrow(stack, first!.token, 12);
    expect((await book(stack, first!.token, slot.start)).status).toBe(201);

    const offered = await starts(second!.token);

    expect(offered.has(tomorrowAt(12).toISOString())).toBe(false);
    // 12:30 would need 12:00–12:30 free as its buffer.
    expect(offered.has(new Date(tomorrowAt(12).getTime() + 30 * 60_000).toISOString())).toBe(false);
    expect(offered.has(tomorrowAt(13).toISOString())).toBe(true);
  });

  test('When slots are shown twice, then Google is asked once (the second view comes from the cache)', async () => {
    const [pat] = await invite(stack, ada, (await createStudy(stack, ada)).id);
    // Earlier tests changed the calendar: their notifications would invalidate the cache
    // under this test's feet, so let them be delivered and synced first.
    await calendarQuiet();
    await stack.knex('freebusy_cache').delete();
    await slotsFor(stack, pat!.token);
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.list' });

    const answer = await fetch(`${stack.url}/api/booking/${pat!.token}/slots`);

    expect(answer.status).toBe(200);
  });

  test('When a participant books, then the booking’s own event leaves the cached busy time in place; an event the researcher adds drops it', async () => {
    const [viewer, booker] = await invite(stack, ada, (await createStudy(stack, ada)).id, 2);
    await calendarQuiet();
    await stack.knex('freebusy_cache').delete();
    await slotsFor(stack, viewer!.token);

    expect((await book(stack, booker!.token, tomorrowAt(14).toISOString())).status).toBe(201);
    await calendarQuiet();
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.list' });
    const fromCache = await fetch(`${stack.url}/api/booking/${viewer!.token}/slots`);
    await clearFaults(stack);

    expect(fromCache.status).toBe(200);
    const cachedStarts = new Set(
      ((await fromCache.json()) as { slots: { start: string }[] }).slots.map((slot) => slot.start),
    );
    expect(cachedStarts.has(tomorrowAt(14).toISOString())).toBe(false);
    expect(cachedStarts.has(tomorrowAt(15).toISOString())).toBe(true);

    await fetch(`${stack.emulatorUrl}/_emulator/calendars/ada@example.com/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summary: 'Dentist',
        start: { dateTime: tomorrowAt(15).toISOString() },
        end: { dateTime: tomorrowAt(16).toISOString() },
      }),
    });
    await calendarQuiet();
    expect((await starts(viewer!.token)).has(tomorrowAt(15).toISOString())).toBe(false);
  });

  test('When from and to are given, then only slots starting in [from, to) come back, and the viewer zone is echoed', async () => {
    const [pat] = await invite(stack, ada, (await createStudy(stack, ada)).id);
    const from = tomorrowAt(9).toISOString();
    const to = tomorrowAt(11).toISOString();

    const answer = await fetch(
      `${stack.url}/api/booking/${pat!.token}/slots?from=${from}&to=${to}&timeZone=Asia/Kathmandu`,
    );
    const body = await answer.json();

    expect(body.timeZone).toBe('Asia/Kathmandu');
    expect(body.slots.every((slot: { start: string }) => slot.start >= from && slot.start < to)).toBe(true);
    expect(body.slots.length).toBeGreaterThan(0);
  });

  test.each([
    ['an unknown link', '/api/booking/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/slots', 404],
    ['a link that is not even token-shaped', '/api/booking/..%2F..%2Fetc/slots', 404],
    ['a bad time zone', '/slots?timeZone=Nowhere/Land', 400],
    ['from not a date', '/slots?from=yesterday', 400],
    ['an unknown query field', '/slots?colour=red', 400],
  ])('When the request has %s, then it is answered with a problem', async (_, path, status) => {
    const [pat] = await invite(stack, ada, (await createStudy(stack, ada)).id);
    const url = path.startsWith('/api')
      ? `${stack.url}${path}`
      : `${stack.url}/api/booking/${pat!.token}${path}`;
    const answer = await fetch(url);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  test('When the study is closed, then the link answers 410 for the view, the slots and booking', async () => {
    const study = await createStudy(stack, ada);
    const [pat] = await invite(stack, ada, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 16);
    await fetch(`${stack.url}/api/studies/${study.id}`, {
      method: 'PATCH',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed' }),
    });

    expect((await fetch(`${stack.url}/api/booking/${pat!.token}`)).status).toBe(410);
    expect((await fetch(`${stack.url}/api/booking/${pat!.token}/slots`)).status).toBe(410);
    const answer = await book(stack, pat!.token, slot.start);
    expect(answer.status).toBe(410);
    expect((await answer.json()).type).toMatch(/study-closed$/);
  });

  test.each([
    ['a start that is not a date', { start: 'tomorrow at ten' }, 400],
    ['a start without offset', { start: '2030-01-01T10:00:00' }, 400],
    ['a start off the slot grid', { start: 'GRID' }, 400],
    ['a start in the past', { start: '2020-01-01T10:00:00Z' }, 400],
    ['an unknown field', { start: 'SLOT', room: '1' }, 400],
  ])('When a booking has %s, then it is refused and nothing is booked', async (_, body, status) => {
    const [pat] = await invite(stack, ada, (await createStudy(stack, ada)).id);
    const slot = await slotTomorrow(stack, pat!.token, 17);
    const start =
      body.start === 'SLOT'
        ? slot.start
        : body.start === 'GRID'
          ? new Date(Date.parse(slot.start) + 7 * 60_000).toISOString()
          : body.start;

    const answer = await fetch(`${stack.url}/api/booking/${pat!.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, start }),
    });

    expect(answer.status).toBe(status);
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);
  });

  test('When a script spreads its requests over two instances, then the limit holds for both together', async () => {
    const limits = { perAddress: 1000, perToken: 3 };
    const first = await startStack({ db: stack.db, sharedEmulator: stack.emulator, bookingLimits: limits });
    const second = await startStack({ db: stack.db, sharedEmulator: stack.emulator, bookingLimits: limits });
    try {
      const [pat] = await invite(first, ada, (await createStudy(first, ada)).id);
      await earlyInAMinute();
      const viaFirst = [];
      for (let index = 0; index < 2; index += 1)
        viaFirst.push((await fetch(`${first.url}/api/booking/${pat!.token}`)).status);
      // The first instance shares its count within its flush interval (250 ms).
      await eventually(async () => {
        const row = await stack
          .knex('rate_limit_counts')
          .where({ rule: 'per link', key_hash: sha256Hex(pat!.token) })
          .first('count');
        return row?.count === 2;
      });
      const viaSecond = [];
      for (let index = 0; index < 2; index += 1)
        viaSecond.push((await fetch(`${second.url}/api/booking/${pat!.token}`)).status);

      expect(viaFirst).toEqual([200, 200]);
      expect(viaSecond).toEqual([200, 429]);
    } finally {
      await first.close();
      await second.close();
    }
  }, 90_000);

  test('When a script hammers one link, then it gets 429 with Retry-After', async () => {
    const limited = await startStack({
      db: stack.db,
      sharedEmulator: stack.emulator,
      bookingLimits: { perAddress: 1000, perToken: 3 },
    });
    try {
      const [pat] = await invite(limited, ada, (await createStudy(limited, ada)).id);
      await earlyInAMinute();
      const statuses: number[] = [];
      for (let index = 0; index < 5; index += 1)
        statuses.push((await fetch(`${limited.url}/api/booking/${pat!.token}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const answer = await fetch(`${limited.url}/api/booking/${pat!.token}`);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  }, 90_000);
});
