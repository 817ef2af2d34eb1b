import { moveEvent } from '../../src/bookings/move-booking';
import { eventIdForBooking } from '../../src/google';
import {
  ALWAYS_OPEN,
  book,
  clearFaults,
  createStudy,
  emulatorEvents,
  fault,
  invite,
  slotsFor,
} from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { asGoogleUser, pushesAndSyncsSettled } from './calendar-support';

/**
 * A participant's move is committed here first; Google's event follows with a patch (at once,
 * or by a retried job). Meanwhile a sync of any other change to the event — an attendee's
 * reply — sees the event still at the old time. That must not set the booking back.
 */
describe('A move on its way to Google, and a sync meanwhile', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'move.race@lab.example', 'Ada Racer');
  });
  afterAll(() => stack.close());
  afterEach(() => clearFaults(stack));

  const bookingOf = async (participantId: string) =>
    (await stack
      .knex('bookings')
      .where({ participant_id: participantId })
      .whereNot({ state: 'cancelled' })
      .first(stack.knex.raw('id, lower(during) as start, upper(during) as end, event_moved_from'))) as {
      id: string;
      start: Date;
      end: Date;
      event_moved_from: string | null;
    };

  /** Booked, confirmed, then moved through the link while Google refuses every patch. */
  async function movedWhileGoogleRefusesPatches() {
    const study = await createStudy(stack, researcher, { ...ALWAYS_OPEN, title: 'Race' });
    const [pat] = await invite(stack, researcher, study.id);
    const slots = await slotsFor(stack, pat!.token);
    const [from, to] = [slots[10]!, slots[20]!];
    expect((await book(stack, pat!.token, from.start)).status).toBe(201);
    await eventually(
      async () =>
        (await stack.knex('bookings').where({ participant_id: pat!.id }).first()).state === 'confirmed',
    );
    await pushesAndSyncsSettled(stack);
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.patch', count: 1000 });
    const moved = await book(stack, pat!.token, to.start);
    expect(moved.status).toBe(201);
    const booking = await bookingOf(pat!.id);
    expect(booking.start.toISOString()).toBe(new Date(to.start).toISOString());
    expect(booking.event_moved_from).not.toBeNull();
    const eventId = eventIdForBooking(booking.id);
    const atGoogle = (await emulatorEvents(stack, researcher.email)).events.find(
      (event) => event.id === eventId,
    );
    expect(Date.parse(atGoogle!.start.dateTime!)).toBe(Date.parse(from.start));
    return { pat: pat!, bookingId: booking.id, eventId, from, to };
  }

  test('When an attendee replies before the move reaches Google, then the sync keeps the booking at its new time; once the patch lands the marker is gone', async () => {
    const { pat, bookingId, eventId, to } = await movedWhileGoogleRefusesPatches();

    await asGoogleUser(
      stack,
      `/calendars/${encodeURIComponent(researcher.email)}/events/${eventId}/respond`,
      {
        email: pat.email,
        responseStatus: 'accepted',
      },
    );
    await pushesAndSyncsSettled(stack);

    const afterSync = await bookingOf(pat.id);
    expect(afterSync.start.toISOString()).toBe(new Date(to.start).toISOString());
    const calendarMoves = await stack
      .knex('status_history')
      .where({ participant_id: pat.id, kind: 'rescheduled', source: 'calendar' });
    expect(calendarMoves).toEqual([]);

    await clearFaults(stack);
    const { knex } = stack.features;
    await stack.features.access.withCalendar(researcher.researcherId, (calendar) =>
      moveEvent({ knex, retry: { budgetMs: 2000, baseDelayMs: 50, maxDelayMs: 200 } }, calendar, bookingId),
    );
    const atGoogle = (await emulatorEvents(stack, researcher.email)).events.find(
      (event) => event.id === eventId,
    );
    expect(Date.parse(atGoogle!.start.dateTime!)).toBe(Date.parse(to.start));
    expect((await bookingOf(pat.id)).event_moved_from).toBeNull();
  }, 60_000);

  test('When the researcher moves the event in Google to another time before our move arrives, then the booking follows Google', async () => {
    const { pat, eventId, to } = await movedWhileGoogleRefusesPatches();
    // Neither the old time nor the new one: a move made in Google.
    const elsewhere = new Date(Date.parse(to.start) + 3 * 3600_000);

    await asGoogleUser(stack, `/calendars/${encodeURIComponent(researcher.email)}/events/${eventId}/move`, {
      start: elsewhere.toISOString(),
      end: new Date(elsewhere.getTime() + 30 * 60_000).toISOString(),
    });
    await pushesAndSyncsSettled(stack);

    const booking = await bookingOf(pat.id);
    expect(booking.start.toISOString()).toBe(elsewhere.toISOString());
    expect(booking.event_moved_from).toBeNull();
  }, 60_000);
  test("When the researcher moves the event in the calendar while the participant's own move waits for Google, then the history and the update email name the time it had just before, not the one the participant first saw", async () => {
    const study = await createStudy(stack, researcher, { ...ALWAYS_OPEN, title: 'Race from' });
    const [pat] = await invite(stack, researcher, study.id);
    const slots = await slotsFor(stack, pat!.token);
    const [first, byCalendar, byParticipant] = [slots[30]!, slots[40]!, slots[50]!];
    expect((await book(stack, pat!.token, first.start)).status).toBe(201);
    await pushesAndSyncsSettled(stack);
    const { id: bookingId } = await bookingOf(pat!.id);

    // The participant's re-check at Google (one listing) takes 3 s; meanwhile the calendar moves.
    await fault(stack, { latencyMs: 3_000, operation: 'events.list', count: 1 });
    const participantMove = book(stack, pat!.token, byParticipant.start);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await asGoogleUser(
      stack,
      `/calendars/${encodeURIComponent('move.race@lab.example')}/events/${eventIdForBooking(bookingId)}/move`,
      { start: byCalendar.start, end: byCalendar.end },
    );
    await eventually(
      async () => (await bookingOf(pat!.id)).start.toISOString() === new Date(byCalendar.start).toISOString(),
    );

    expect((await participantMove).status).toBe(201);
    const history = await stack
      .knex('status_history')
      .where({ participant_id: pat!.id, kind: 'rescheduled', source: 'participant' })
      .first('details');
    expect(history.details.fromStart).toBe(new Date(byCalendar.start).toISOString());
    const updates = await stack
      .knex('email_outbox')
      .where({ booking_id: bookingId, kind: 'update' })
      .select('details');
    expect(updates.map((row) => row.details?.previousStart ?? null)).toContain(
      new Date(byCalendar.start).toISOString(),
    );
  });
});
