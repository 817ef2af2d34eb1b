import { eventIdForBooking } from '../../src/google';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, emulatorEvents, invite, slotTomorrow } from './support';

describe('Booking an interview from the link', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada, { guests: ['observer@example.com'], title: 'Checkout study' }))
      .id;
  });
  afterAll(() => stack.close());

  test('When a participant books a free slot, then the calendar holds one event with Meet, both attendees and invitations, and the participant is scheduled', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 10);

    const answer = await book(stack, pat!.token, slot.start);

    expect(answer.status).toBe(201);
    const { booking } = await answer.json();
    expect(booking).toMatchObject({ start: slot.start, end: slot.end, status: 'confirmed' });
    expect(booking.meetUrl).toMatch(/^https:\/\/meet\.google\.com\//);

    const { events, invitations } = await emulatorEvents(stack, 'ada@example.com');
    const event = events.find((candidate) => candidate.id === eventIdForBooking(booking.id));
    if (!event) throw new Error('the event is not on the calendar');
    expect(event.status).toBe('confirmed');
    expect(event.summary).toContain('Checkout study');
    expect(event.hangoutLink).toBe(booking.meetUrl);
    expect(event.conferenceData?.entryPoints.map((entry) => entry.entryPointType)).toEqual(
      expect.arrayContaining(['video', 'phone']),
    );
    expect(event.extendedProperties?.private?.bookingId).toBe(booking.id);
    expect(event.attendees?.map((attendee) => attendee.email)).toEqual(
      expect.arrayContaining(['ada@example.com', pat!.email, 'observer@example.com']),
    );
    expect(event.attendees?.find((attendee) => attendee.email === 'observer@example.com')?.optional).toBe(
      true,
    );
    expect(
      invitations.filter((invitation) => invitation.eventId === event.id).map((invitation) => invitation.to),
    ).toContain(pat!.email);

    const participant = await (
      await fetch(`${stack.url}/api/participants/${pat!.id}`, { headers: ada.auth })
    ).json();
    expect(participant).toMatchObject({
      status: 'scheduled',
      scheduledStart: slot.start,
      meetUrl: booking.meetUrl,
    });
    expect(participant.history.at(-1)).toMatchObject({ from: 'invited', to: 'scheduled', source: 'system' });
    const view = await (await fetch(`${stack.url}/api/booking/${pat!.token}`)).json();
    expect(view.booking).toMatchObject({ id: booking.id, status: 'confirmed' });
  });

  test('When the same request is repeated with its Idempotency-Key, then the first answer comes back and there is still one event', async () => {
    const [sam] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, sam!.token, 11);
    const headers = { 'idempotency-key': 'click-7f3a9c2e-0001' };

    const first = await book(stack, sam!.token, slot.start, headers);
    const again = await book(stack, sam!.token, slot.start, headers);

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(await stack.knex('bookings').where({ participant_id: sam!.id })).toHaveLength(1);
  });

  test('When the key is reused for another slot, then it is a 422 and nothing changes', async () => {
    const [kim] = await invite(stack, ada, studyId);
    const first = await slotTomorrow(stack, kim!.token, 12);
    const other = await slotTomorrow(stack, kim!.token, 13);
    await book(stack, kim!.token, first.start, { 'idempotency-key': 'reused-key-0001' });

    const answer = await book(stack, kim!.token, other.start, { 'idempotency-key': 'reused-key-0001' });

    expect(answer.status).toBe(422);
    const live = await stack
      .knex('bookings')
      .where({ participant_id: kim!.id })
      .whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(1);
  });

  test('When a participant with a booking books another time, then the same event moves (sequence up), one event in the end, and history says rescheduled', async () => {
    const [lee] = await invite(stack, ada, studyId);
    const first = await slotTomorrow(stack, lee!.token, 14);
    const { booking } = await (await book(stack, lee!.token, first.start)).json();
    const before = (await emulatorEvents(stack, 'ada@example.com')).events.find(
      (event) => event.id === eventIdForBooking(booking.id),
    )!;
    const later = await slotTomorrow(stack, lee!.token, 15);

    const answer = await book(stack, lee!.token, later.start);

    expect(answer.status).toBe(201);
    const moved = (await answer.json()).booking;
    expect(moved).toMatchObject({ id: booking.id, start: later.start, end: later.end });
    const events = (await emulatorEvents(stack, 'ada@example.com')).events.filter(
      (event) => event.extendedProperties?.private?.bookingId === booking.id,
    );
    expect(events).toHaveLength(1);
    expect(Date.parse(events[0]!.start.dateTime ?? '')).toBe(Date.parse(later.start));
    expect(events[0]!.sequence).toBeGreaterThan(before.sequence);
    const participant = await (
      await fetch(`${stack.url}/api/participants/${lee!.id}`, { headers: ada.auth })
    ).json();
    expect(participant).toMatchObject({ status: 'scheduled', scheduledStart: later.start });
    expect(participant.history.at(-1)).toMatchObject({
      kind: 'rescheduled',
      source: 'participant',
      details: { fromStart: first.start, toStart: later.start },
    });
    const freed = await slotTomorrow(stack, lee!.token, 14);
    expect(freed.start).toBe(first.start);
  });

  test('When the participant cancels from the link, then the event is deleted with notice, the status is canceled (participant) and they can book again', async () => {
    const [noor] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, noor!.token, 16);
    const { booking } = await (await book(stack, noor!.token, slot.start)).json();

    const answer = await fetch(`${stack.url}/api/booking/${noor!.token}/cancel`, { method: 'POST' });

    expect(answer.status).toBe(200);
    expect((await answer.json()).participant.status).toBe('canceled');
    const { events, invitations } = await emulatorEvents(stack, 'ada@example.com');
    expect(events.find((event) => event.id === eventIdForBooking(booking.id))?.status).toBe('cancelled');
    expect(
      invitations.some(
        (invitation) =>
          invitation.eventId === eventIdForBooking(booking.id) && invitation.kind === 'cancellation',
      ),
    ).toBe(true);
    const participant = await (
      await fetch(`${stack.url}/api/participants/${noor!.id}`, { headers: ada.auth })
    ).json();
    expect(participant.history.at(-1)).toMatchObject({ to: 'canceled', source: 'participant' });

    const again = await book(stack, noor!.token, slot.start);
    expect(again.status).toBe(201);
    expect((await again.json()).booking.id).not.toBe(booking.id);
  });

  test('When a participant with nothing booked cancels, then it is a 409', async () => {
    const [ola] = await invite(stack, ada, studyId);
    expect((await fetch(`${stack.url}/api/booking/${ola!.token}/cancel`, { method: 'POST' })).status).toBe(
      409,
    );
  });

  test('When the researcher cancels a booked participant, then the Google event is deleted and the slot is free again', async () => {
    const [ren] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, ren!.token, 17);
    const { booking } = await (await book(stack, ren!.token, slot.start)).json();

    const answer = await fetch(`${stack.url}/api/participants/${ren!.id}/cancel`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: '{}',
    });

    expect((await answer.json()).status).toBe('canceled');
    const { events } = await emulatorEvents(stack, 'ada@example.com');
    expect(events.find((event) => event.id === eventIdForBooking(booking.id))?.status).toBe('cancelled');
    expect((await slotTomorrow(stack, ren!.token, 17)).start).toBe(slot.start);
  });
});
