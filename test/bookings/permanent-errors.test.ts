import { randomUUID } from 'node:crypto';
import { insertPendingBooking } from '../../src/bookings/booking-repository';
import { resumePendingBookings } from '../../src/bookings/finish-booking-job';
import { eventIdForBooking } from '../../src/google';
import { FINISH_BOOKING } from '../../src/jobs/names';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import {
  book,
  clearFaults,
  createStudy,
  emulatorEvents,
  fault,
  invite,
  slotsFor,
  slotTomorrow,
} from './support';

/**
 * Issue 13: errors that retrying cannot fix release the held slot at once, tell the
 * participant and show the researcher why; only transient failures are retried.
 */
describe('Booking when Google refuses the event for good', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterEach(() => clearFaults(stack));
  afterAll(() => stack.close());

  const participantView = async (participantId: string) =>
    (await (await fetch(`${stack.url}/api/participants/${participantId}`, { headers: ada.auth })).json()) as {
      status: string;
      history: { kind: string; reason: string | null; details: Record<string, unknown> | null }[];
    };
  const waitingFinishJobs = (bookingId: string) =>
    stack.knex
      .withSchema(stack.queue.schema)
      .from('job')
      .where('name', FINISH_BOOKING)
      .whereIn('state', ['created', 'retry', 'active'])
      .whereRaw("data->>'bookingId' = ?", [bookingId]);

  test.each([
    ['400 invalid', { status: 400, reason: 'invalid' }, /refused the interview event.*400 invalid/],
    ['403 quotaExceeded', { reason: 'quotaExceeded' }, /usage limit.*403 quotaExceeded/],
    ['403 dailyLimitExceeded', { reason: 'dailyLimitExceeded' }, /usage limit.*403 dailyLimitExceeded/],
    ['404 notFound', { status: 404, reason: 'notFound' }, /did not find the calendar.*404 notFound/],
  ])(
    'When events.insert answers %s once, then the slot is released at once, the participant told, the researcher shown why, no job left',
    async (_name, injected, researcherWords) => {
      const [pat] = await invite(stack, ada, studyId);
      const hour = 8 + Math.floor(Math.random() * 12);
      const slot = await slotTomorrow(stack, pat!.token, hour);
      // Once only: a retry would succeed, so a 201 would show the error was retried.
      await fault(stack, { ...injected, count: 1, operation: 'events.insert' });

      const answer = await book(stack, pat!.token, slot.start);

      expect(answer.status).toBe(502);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const problem = (await answer.json()) as { type: string; title: string; detail: string };
      expect(problem.type).toMatch(/calendar-refused$/);
      expect(problem.title).toMatch(/did not accept the interview/);
      expect(problem.detail).toMatch(/not booked and the time is free again/);
      const rows = await stack.knex('bookings').where({ participant_id: pat!.id });
      expect(rows.map((row) => row.state)).toEqual(['cancelled']);
      expect((await slotsFor(stack, pat!.token)).map((free) => free.start)).toContain(slot.start);
      const view = await (await fetch(`${stack.url}/api/booking/${pat!.token}`)).json();
      expect(view.booking).toBeNull();
      expect(view.bookingFailure).toMatchObject({ start: slot.start, detail: problem.detail });
      const seen = await participantView(pat!.id);
      expect(seen.status).toBe('invited');
      const failed = seen.history.filter((entry) => entry.kind === 'booking_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.reason).toMatch(researcherWords);
      expect(failed[0]!.details).toMatchObject({ bookingId: rows[0]!.id, start: slot.start });
      const page = await (
        await fetch(`${stack.url}/participants/${pat!.id}`, { headers: { cookie: ada.cookie } })
      ).text();
      expect(page).toContain('Booking failed');
      expect(await waitingFinishJobs(rows[0]!.id)).toHaveLength(0);
      expect(
        (await emulatorEvents(stack, 'ada@example.com')).events.filter(
          (event) => event.id === eventIdForBooking(rows[0]!.id),
        ),
      ).toHaveLength(0);
    },
  );

  test.each([
    ['429 rateLimitExceeded', { status: 429, reason: 'rateLimitExceeded' }],
    ['403 rateLimitExceeded', { status: 403, reason: 'rateLimitExceeded' }],
    ['403 userRateLimitExceeded', { status: 403, reason: 'userRateLimitExceeded' }],
    ['503', { status: 503 }],
  ])(
    'When events.insert answers %s twice, then it is retried and the booking confirmed',
    async (_name, injected) => {
      const [kim] = await invite(stack, ada, studyId);
      const slot = (await slotsFor(stack, kim!.token)).at(-1 - Math.floor(Math.random() * 40))!;
      await fault(stack, { ...injected, count: 2, operation: 'events.insert' });

      const answer = await book(stack, kim!.token, slot.start);

      expect(answer.status).toBe(201);
      const { booking } = await answer.json();
      expect((await stack.knex('bookings').where({ id: booking.id }).first()).state).toBe('confirmed');
    },
  );

  test('When a held booking waiting for its retry meets a permanent error, then the retry releases it and the researcher sees why', async () => {
    const [lee] = await invite(stack, ada, studyId);
    const slot = (await slotsFor(stack, lee!.token))[3]!;
    const bookingId = randomUUID();
    await stack.knex.transaction((trx) =>
      insertPendingBooking(trx, {
        id: bookingId,
        participantId: lee!.id,
        studyId,
        researcherId: ada.researcherId,
        start: new Date(slot.start),
        end: new Date(slot.end),
        googleEventId: eventIdForBooking(bookingId),
        calendarId: 'ada@example.com',
      }),
    );
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.insert' });
    await resumePendingBookings(stack.knex, stack.queue, 0);
    await eventually(
      async () => (await stack.knex('bookings').where({ id: bookingId }).first()).insert_attempts >= 1,
      20_000,
    );
    await clearFaults(stack);
    await fault(stack, { reason: 'quotaExceeded', operation: 'events.insert' });
    // The retry is due now rather than after its backoff.
    await stack.knex
      .withSchema(stack.queue.schema)
      .from('job')
      .where('name', FINISH_BOOKING)
      .whereRaw("data->>'bookingId' = ?", [bookingId])
      .whereIn('state', ['created', 'retry'])
      .update({ start_after: new Date() });

    await eventually(
      async () => (await stack.knex('bookings').where({ id: bookingId }).first()).state === 'cancelled',
      20_000,
    );

    const seen = await participantView(lee!.id);
    expect(seen.history.filter((entry) => entry.kind === 'booking_failed')[0]?.reason).toMatch(/usage limit/);
    await eventually(async () => (await waitingFinishJobs(bookingId)).length === 0, 5_000);
    const view = await (await fetch(`${stack.url}/api/booking/${lee!.token}`)).json();
    expect(view.booking).toBeNull();
    // The participant who left the page after the 202 learns it when they come back.
    expect(view.bookingFailure).toMatchObject({
      start: slot.start,
      detail: expect.stringMatching(/did not accept this interview/),
    });
    expect((await slotsFor(stack, lee!.token)).map((free) => free.start)).toContain(slot.start);
  }, 60_000);

  test('When events.insert answers 403 insufficientPermissions, then the slot is released, the connection needs consent and the history says why', async () => {
    const bob = await signIn(stack, 'bob@example.com');
    const study = await createStudy(stack, bob);
    const [noor] = await invite(stack, bob, study.id);
    const slot = await slotTomorrow(stack, noor!.token, 13);
    await fault(stack, { reason: 'insufficientPermissions', operation: 'events.insert' });

    const answer = await book(stack, noor!.token, slot.start);

    expect(answer.status).toBe(503);
    const problem = await answer.json();
    expect(problem.type).toMatch(/google-not-connected$/);
    expect(problem.detail).toMatch(/calendar is not available/);
    const live = await stack
      .knex('bookings')
      .where({ participant_id: noor!.id })
      .whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(0);
    const me = await (await fetch(`${stack.url}/api/me`, { headers: bob.auth })).json();
    expect(me.google.state).toBe('needs_consent');
    const seen = (await (
      await fetch(`${stack.url}/api/participants/${noor!.id}`, { headers: bob.auth })
    ).json()) as { history: { kind: string; reason: string | null }[] };
    expect(seen.history.find((entry) => entry.kind === 'booking_failed')?.reason).toMatch(
      /permission is missing/,
    );
  });
});
