import { eventIdForBooking } from '../../src/google';
import { insertPendingBooking } from '../../src/bookings/booking-repository';
import { resumePendingBookings, scheduleFinishBooking } from '../../src/bookings/finish-booking-job';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, clearFaults, createStudy, emulatorEvents, fault, invite, slotTomorrow } from './support';

describe('Booking when Google misbehaves', () => {
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

  const bookingEvents = async (bookingId: string) =>
    (await emulatorEvents(stack, 'ada@example.com')).events.filter(
      (event) => event.extendedProperties?.private?.bookingId === bookingId,
    );

  test('When events.insert fails twice with 503, then the request retries and there is exactly one event', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 9);
    await fault(stack, { status: 503, reason: 'backendError', count: 2, operation: 'events.insert' });

    const answer = await book(stack, pat!.token, slot.start);

    expect(answer.status).toBe(201);
    const { booking } = await answer.json();
    expect(await bookingEvents(booking.id)).toHaveLength(1);
    const row = await stack.knex('bookings').where({ id: booking.id }).first();
    expect(row.state).toBe('confirmed');
  });

  test('When Google answers 429 rate limits, then the booking still goes through once', async () => {
    const [kim] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, kim!.token, 10);
    await fault(stack, { status: 429, reason: 'rateLimitExceeded', count: 1, operation: 'events.insert' });

    const answer = await book(stack, kim!.token, slot.start);

    expect(answer.status).toBe(201);
    expect(await bookingEvents((await answer.json()).booking.id)).toHaveLength(1);
  });

  test('When Google stays down longer than a request may wait, then the slot is held (202) and the durable job finishes it later, once', async () => {
    const [sam] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, sam!.token, 11);
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.insert' });

    const answer = await book(stack, sam!.token, slot.start);

    expect(answer.status).toBe(202);
    const { booking } = await answer.json();
    expect(booking.status).toBe('pending');
    const view = await (await fetch(`${stack.url}/api/booking/${sam!.token}`)).json();
    expect(view.booking).toMatchObject({ id: booking.id, status: 'pending' });
    const [other] = await invite(stack, ada, studyId);
    expect((await book(stack, other!.token, slot.start)).status).toBe(409);

    await clearFaults(stack);
    await resumePendingBookings(stack.knex, stack.queue, 0);

    await eventually(
      async () => (await stack.knex('bookings').where({ id: booking.id }).first()).state === 'confirmed',
      10_000,
    );
    expect(await bookingEvents(booking.id)).toHaveLength(1);
    const participant = await (
      await fetch(`${stack.url}/api/participants/${sam!.id}`, { headers: ada.auth })
    ).json();
    expect(participant.status).toBe('scheduled');
  }, 30_000);

  test('When the process died between holding the slot and calling Google, then the next start finishes the booking with the same event id', async () => {
    const [lee] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, lee!.token, 12);
    const bookingId = '0b6f2a4e-7c1d-4e8a-9b3c-5d2e1f0a9c7b';
    // Exactly what the booking transaction commits before the Google call.
    await stack.knex.transaction(async (trx) => {
      await insertPendingBooking(trx, {
        id: bookingId,
        participantId: lee!.id,
        studyId,
        researcherId: ada.researcherId,
        start: new Date(slot.start),
        end: new Date(slot.end),
        googleEventId: eventIdForBooking(bookingId),
        calendarId: 'ada@example.com',
      });
      await scheduleFinishBooking(trx, stack.queue, bookingId);
    });
    await stack
      .knex('bookings')
      .where({ id: bookingId })
      .update({ created_at: new Date(Date.now() - 60_000) });

    // A new instance on the same database and Google: its start-up resumes the pending booking.
    const restarted = await startStack({ db: stack.db, sharedEmulator: stack.emulator });
    try {
      await eventually(
        async () => (await stack.knex('bookings').where({ id: bookingId }).first()).state === 'confirmed',
        10_000,
      );
    } finally {
      await restarted.close();
    }
    const events = await bookingEvents(bookingId);
    expect(events).toHaveLength(1);
    expect(events[0]!.id).toBe(eventIdForBooking(bookingId));
  }, 30_000);

  test("When the researcher's grant was revoked, then the slot is released, the participant gets a clear 503 and the connection shows revoked", async () => {
    const bob = await signIn(stack, 'bob@example.com');
    const study = await createStudy(stack, bob);
    const [noor] = await invite(stack, bob, study.id);
    const slot = await slotTomorrow(stack, noor!.token, 13);
    await fetch(`${stack.emulatorUrl}/_emulator/users/bob@example.com/revoke`, { method: 'POST' });

    const answer = await book(stack, noor!.token, slot.start);

    expect(answer.status).toBe(503);
    const problem = await answer.json();
    expect(problem.type).toMatch(/google-not-connected$/);
    expect(problem.detail).toMatch(/calendar/i);
    const live = await stack
      .knex('bookings')
      .where({ participant_id: noor!.id })
      .whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(0);
    const me = await (await fetch(`${stack.url}/api/me`, { headers: bob.auth })).json();
    expect(me.google.state).toBe('revoked');
  });

  test('When the slot became busy in Google after the page loaded, then the booking is refused with 409 and nothing is held', async () => {
    const [ola] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, ola!.token, 14);
    // The researcher adds a meeting in Google Calendar; no push notification reaches us.
    await fetch(`${stack.emulatorUrl}/_emulator/calendars/ada@example.com/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summary: 'Dentist',
        start: { dateTime: slot.start },
        end: { dateTime: slot.end },
      }),
    });

    const answer = await book(stack, ola!.token, slot.start);

    expect(answer.status).toBe(409);
    expect((await answer.json()).type).toMatch(/slot-taken$/);
    const live = await stack
      .knex('bookings')
      .where({ participant_id: ola!.id })
      .whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(0);
  });

  test('When listing free times meets a Google outage, then it is a clear 503, not a 500', async () => {
    const [ren] = await invite(stack, ada, studyId);
    await stack.knex('freebusy_cache').delete();
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.list' });

    const answer = await fetch(`${stack.url}/api/booking/${ren!.token}/slots`);

    expect(answer.status).toBe(503);
    expect((await answer.json()).type).toMatch(/calendar-unavailable$/);
  });
  test('When an interview is cancelled while the grant is revoked, then its event is deleted once the researcher reconnects', async () => {
    const carol = await signIn(stack, 'carol@example.com');
    const study = await createStudy(stack, carol);
    const [tim] = await invite(stack, carol, study.id);
    const slot = await slotTomorrow(stack, tim!.token, 15);
    const { booking } = await (await book(stack, tim!.token, slot.start)).json();
    await fetch(`${stack.emulatorUrl}/_emulator/users/carol@example.com/revoke`, { method: 'POST' });

    const cancelled = await fetch(`${stack.url}/api/participants/${tim!.id}/cancel`, {
      method: 'POST',
      headers: { ...carol.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect((await cancelled.json()).status).toBe('canceled');
    const eventNow = async () =>
      (await emulatorEvents(stack, 'carol@example.com')).events.find(
        (event) => event.id === eventIdForBooking(booking.id),
      );
    expect((await eventNow())?.status).toBe('confirmed');

    await signIn(stack, 'carol@example.com');

    await eventually(async () => (await eventNow())?.status === 'cancelled', 10_000);
  }, 30_000);
});
