import { eventIdForBooking } from '../../src/google';
import {
  book,
  clearFaults,
  createStudy,
  emulatorEvents,
  fault,
  invite,
  slotsFor,
  slotTomorrow,
} from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { asGoogleUser, pushesAndSyncsSettled } from './calendar-support';

/** What a participant does in Google Calendar, and what a researcher's colleague does there. */
describe('Declines and events that change organizer', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  let hour = 6;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada)).id;
    await asGoogleUser(stack, '/users', { email: 'colleague@example.com' });
  });
  afterAll(() => stack.close());

  async function booked() {
    hour += 2;
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, hour);
    const answer = await book(stack, pat!.token, slot.start);
    expect(answer.status).toBe(201);
    const { booking } = (await answer.json()) as { booking: { id: string } };
    await pushesAndSyncsSettled(stack);
    return { pat: pat!, slot, bookingId: booking.id, eventId: eventIdForBooking(booking.id) };
  }

  const participant = async (id: string) =>
    (await (await fetch(`${stack.url}/api/participants/${id}`, { headers: ada.auth })).json()) as {
      status: string;
      scheduledStart: string | null;
      history: { kind: string; from: string | null; to: string; source: string; reason?: string | null }[];
    };
  const bookingState = async (id: string) =>
    ((await stack.knex('bookings').where({ id }).first('state')) as { state: string }).state;
  const eventAt = async (eventId: string) =>
    (await emulatorEvents(stack, 'ada@example.com')).events.find((event) => event.id === eventId);

  test('When the participant declines the invitation, then they are Canceled Interview, the event is deleted for everyone and the slot is offered again', async () => {
    const { pat, slot, bookingId, eventId } = await booked();

    await asGoogleUser(stack, `/calendars/ada@example.com/events/${eventId}/respond`, {
      email: pat.email,
      responseStatus: 'declined',
    });

    await eventually(async () => (await eventAt(eventId))?.status === 'cancelled', 10_000);
    const { invitations } = await emulatorEvents(stack, 'ada@example.com');
    // Deleted with sendUpdates=all: Google tells the participant the interview is off.
    expect(
      invitations
        .filter((sent) => sent.eventId === eventId && sent.kind === 'cancellation')
        .map((sent) => sent.to),
    ).toContain(pat.email);
    const canceled = await participant(pat.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.history.at(-1)).toMatchObject({ to: 'canceled', source: 'participant' });
    expect(await bookingState(bookingId)).toBe('cancelled');
    expect((await slotsFor(stack, pat.token)).map((free) => free.start)).toContain(slot.start);
    const view = (await (await fetch(`${stack.url}/api/booking/${pat.token}`)).json()) as {
      participant: { status: string };
      booking: unknown;
      canChange: boolean;
    };
    expect(view).toMatchObject({ participant: { status: 'canceled' }, booking: null, canChange: true });
  });

  test('When the participant accepts after declining, before the deletion reached Google, then the cancellation stands', async () => {
    const { pat, bookingId, eventId } = await booked();
    // The deletion fails once (a permanent error; its job retries much later).
    await fault(stack, { operation: 'events.delete', status: 400, count: 1 });
    try {
      await asGoogleUser(stack, `/calendars/ada@example.com/events/${eventId}/respond`, {
        email: pat.email,
        responseStatus: 'declined',
      });
      await eventually(async () => (await participant(pat.id)).status === 'canceled', 10_000);
      const historyBefore = (await participant(pat.id)).history.length;

      await asGoogleUser(stack, `/calendars/ada@example.com/events/${eventId}/respond`, {
        email: pat.email,
        responseStatus: 'accepted',
      });
      await pushesAndSyncsSettled(stack);

      const after = await participant(pat.id);
      expect((await eventAt(eventId))?.status).toBe('confirmed');
      expect(after.status).toBe('canceled');
      expect(after.history).toHaveLength(historyBefore);
      expect(await bookingState(bookingId)).toBe('cancelled');
    } finally {
      await clearFaults(stack);
    }
  });

  test('When the researcher hands the interview to a colleague’s calendar, then it is not a cancellation: the booking stays, the history says so, and it follows the event', async () => {
    const { pat, bookingId, eventId, slot } = await booked();

    await asGoogleUser(stack, `/calendars/ada@example.com/events/${eventId}/organizer`, {
      email: 'colleague@example.com',
    });

    const moved = await eventually(async () => {
      const view = await participant(pat.id);
      return view.history.some((row) => row.kind === 'organizer_changed') ? view : undefined;
    }, 10_000);
    expect(moved.status).toBe('scheduled');
    expect(moved.history.at(-1)).toMatchObject({
      kind: 'organizer_changed',
      source: 'calendar',
      details: expect.objectContaining({ from: 'ada@example.com', to: 'colleague@example.com' }),
    });
    expect(await bookingState(bookingId)).toBe('confirmed');

    // The colleague, now the organizer, moves it an hour later: the booking follows.
    const later = new Date(Date.parse(slot.start) + 3600_000).toISOString();
    await asGoogleUser(stack, `/calendars/colleague@example.com/events/${eventId}/move`, { start: later });
    const followed = await eventually(async () => {
      const view = await participant(pat.id);
      return view.scheduledStart === later ? view : undefined;
    }, 10_000);
    expect(followed.status).toBe('scheduled');
  });
});
