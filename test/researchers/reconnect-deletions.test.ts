import { eventIdForBooking } from '../../src/google';
import { DELETE_CALENDAR_EVENT } from '../../src/jobs/names';
import { book, createStudy, emulatorEvents, invite, slotTomorrow } from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Signing in again deletes only the events of interviews cancelled while the grant was
 * broken — once — and never again those of interviews cancelled while it worked (a decline,
 * whose event was deleted then).
 */
describe('Reconnecting Google and the events of cancelled interviews', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  async function bookedInterview(researcher: SignedIn, hour: number) {
    const study = await createStudy(stack, researcher);
    const [participant] = await invite(stack, researcher, study.id);
    const slot = await slotTomorrow(stack, participant!.token, hour);
    const answer = await book(stack, participant!.token, slot.start);
    expect(answer.status).toBe(201);
    const { booking } = (await answer.json()) as { booking: { id: string } };
    return { participant: participant!, bookingId: booking.id, eventId: eventIdForBooking(booking.id) };
  }

  /** The event as the emulator has it, and the cancellation emails Google sent for it. */
  async function atGoogle(calendarId: string, eventId: string) {
    const { events, invitations } = await emulatorEvents(stack, calendarId);
    return {
      status: events.find((event) => event.id === eventId)?.status,
      cancellations: invitations.filter(
        (invitation) => invitation.eventId === eventId && invitation.kind === 'cancellation',
      ),
    };
  }

  /**
   * Until no event deletion that is due waits or runs (read from pg-boss's table: the test's
   * view only). The one a cancel queues for 30 s later is not due yet.
   */
  async function deletionsSettled() {
    await eventually(async () => {
      const live = await stack
        .knex('pgboss.job')
        .where({ name: DELETE_CALENDAR_EVENT })
        .whereIn('state', ['created', 'retry', 'active'])
        .whereRaw('start_after <= now()')
        .count<{ count: string }[]>('* as count');
      return Number(live[0]?.count) === 0;
    }, 10_000);
  }

  /** Deletion jobs queued for this booking since `since` (the database's clock). */
  async function deletionsQueuedSince(bookingId: string, since: Date) {
    return stack
      .knex('pgboss.job')
      .where({ name: DELETE_CALENDAR_EVENT })
      .whereRaw("data->>'bookingId' = ?", [bookingId])
      .andWhere('created_on', '>', since);
  }

  async function databaseNow(): Promise<Date> {
    const result = await stack.knex.raw<{ rows: { now: Date }[] }>('SELECT clock_timestamp() AS now');
    return result.rows[0]!.now;
  }

  test('When a participant declined while the grant worked and the researcher signs in again, then Google is not asked to delete the event again and no second cancellation is emailed', async () => {
    const ada = await signIn(stack, 'ada@example.com');
    const { participant, bookingId, eventId } = await bookedInterview(ada, 10);
    await fetch(`${stack.emulatorUrl}/_emulator/calendars/ada%40example.com/events/${eventId}/respond`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: participant.email, responseStatus: 'declined' }),
    });
    await eventually(async () => {
      const row = await stack.knex('bookings').where({ id: bookingId }).first('state');
      return row.state === 'cancelled';
    });
    await deletionsSettled();
    const before = await atGoogle('ada@example.com', eventId);
    expect(before.status).toBe('cancelled');
    expect(before.cancellations.map((invitation) => invitation.to)).toEqual([participant.email]);
    const signingIn = await databaseNow();

    await signIn(stack, 'ada@example.com');
    await deletionsSettled();

    expect(await atGoogle('ada@example.com', eventId)).toEqual(before);
    expect(await deletionsQueuedSince(bookingId, signingIn)).toEqual([]);
    const row = await stack.knex('bookings').where({ id: bookingId }).first('event_delete_pending_since');
    expect(row.event_delete_pending_since).toBeNull();
  });

  test('When a participant cancelled while the grant was revoked, then reconnecting deletes the event once, and reconnecting again does nothing more', async () => {
    const bob = await signIn(stack, 'bob@example.com');
    const { participant, bookingId, eventId } = await bookedInterview(bob, 11);
    await fetch(`${stack.emulatorUrl}/_emulator/users/bob@example.com/revoke`, { method: 'POST' });

    const cancel = await fetch(`${stack.url}/api/booking/${participant.token}/cancel`, { method: 'POST' });

    expect(cancel.status).toBe(200);
    await deletionsSettled();
    expect(await atGoogle('bob@example.com', eventId)).toEqual({ status: 'confirmed', cancellations: [] });
    const marked = await stack.knex('bookings').where({ id: bookingId }).first();
    expect(marked.state).toBe('cancelled');
    expect(marked.event_delete_pending_since).toBeInstanceOf(Date);

    await signIn(stack, 'bob@example.com');

    const deleted = await eventually(async () => {
      const now = await atGoogle('bob@example.com', eventId);
      return now.status === 'cancelled' ? now : undefined;
    }, 10_000);
    expect(deleted.cancellations.map((invitation) => invitation.to)).toEqual([participant.email]);
    await deletionsSettled();
    const cleared = await stack.knex('bookings').where({ id: bookingId }).first('event_delete_pending_since');
    expect(cleared.event_delete_pending_since).toBeNull();

    const signingInAgain = await databaseNow();
    await signIn(stack, 'bob@example.com');
    await deletionsSettled();

    expect(await deletionsQueuedSince(bookingId, signingInAgain)).toEqual([]);
    expect((await atGoogle('bob@example.com', eventId)).cancellations).toHaveLength(1);
  });
});
