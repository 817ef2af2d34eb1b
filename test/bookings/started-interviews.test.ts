import { eventIdForBooking } from '../../src/google';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, emulatorEvents, invite, slotTomorrow, type Invited } from './support';
import { pushesAndSyncsSettled } from '../sync/calendar-support';

/**
 * DESIGN 2: once an interview has started, or a researcher recorded a verdict, the
 * participant's link can no longer cancel or move it; a verdict needs an interview that has
 * started. Time is arranged by moving the booking's range in the database (the service reads
 * the real clock); Google's event is left where it was, so "unchanged" is visible there.
 */
describe('Interviews that have started belong to the researcher', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  let hour = 8;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterAll(() => stack.close());

  /** A participant booked through the link for tomorrow, each at another hour. */
  async function booked(): Promise<{ participant: Invited; bookingId: string; eventId: string }> {
    const [participant] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, participant!.token, (hour += 1));
    const answer = await book(stack, participant!.token, slot.start);
    expect(answer.status).toBe(201);
    const { booking } = (await answer.json()) as { booking: { id: string } };
    return { participant: participant!, bookingId: booking.id, eventId: eventIdForBooking(booking.id) };
  }

  /** Puts the interview `minutesAgo` minutes before now (30 minutes long), in the database only. */
  async function startedAgo(bookingId: string, minutesAgo: number) {
    // The sync of the booking's own event first: one after this edit would undo it as a move.
    await pushesAndSyncsSettled(stack);
    const start = new Date(Date.now() - minutesAgo * 60_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    await stack
      .knex('bookings')
      .where({ id: bookingId })
      .update({ during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, end]) });
  }

  /** Everything a refused request must leave as it was. */
  async function snapshot(participantId: string, eventId: string) {
    const { events, invitations } = await emulatorEvents(stack, 'ada@example.com');
    return {
      participant: await stack
        .knex('participants')
        .where({ id: participantId })
        .first('status', 'updated_at'),
      bookings: await stack
        .knex('bookings')
        .where({ participant_id: participantId })
        .orderBy('created_at')
        .select('id', 'state', stack.knex.raw('lower(during) as start'), 'updated_at'),
      history: await stack.knex('status_history').where({ participant_id: participantId }).orderBy('id'),
      event: events.find((event) => event.id === eventId),
      invitations: invitations.filter((invitation) => invitation.eventId === eventId),
    };
  }

  const cancelFromLink = (token: string) =>
    fetch(`${stack.url}/api/booking/${token}/cancel`, { method: 'POST' });
  const view = async (token: string) => (await fetch(`${stack.url}/api/booking/${token}`)).json();
  const setStatus = (participantId: string, status: string) =>
    fetch(`${stack.url}/api/participants/${participantId}/status`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status, reason: 'from the test' }),
    });

  async function expectProblem(answer: Response, status: number, type: string, detail: RegExp) {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const problem = await answer.json();
    expect(problem.type).toBe(`urn:interview-scheduler:problem:${type}`);
    expect(problem.detail).toMatch(detail);
  }

  test('When the interview is under way, then the link can neither cancel nor move it, nothing changes, and the booking view says so', async () => {
    const { participant, bookingId, eventId } = await booked();
    await startedAgo(bookingId, 10);
    const before = await snapshot(participant.id, eventId);
    const otherSlot = await slotTomorrow(stack, participant.token, 20);

    const cancel = await cancelFromLink(participant.token);
    const move = await book(stack, participant.token, otherSlot.start);

    await expectProblem(cancel, 409, 'interview-started', /has started.*only the research team/);
    await expectProblem(move, 409, 'interview-started', /has started.*only the research team/);
    expect(await snapshot(participant.id, eventId)).toEqual(before);
    expect(before.event?.status).toBe('confirmed');
    expect(await view(participant.token)).toMatchObject({
      booking: { id: bookingId, status: 'confirmed' },
      canChange: false,
      cannotChangeReason: {
        type: 'urn:interview-scheduler:problem:interview-started',
        detail: expect.stringMatching(/has started/),
      },
    });
  });

  test('When the interview has ended, then cancelling or booking another day from the link is refused and nothing changes', async () => {
    const { participant, bookingId, eventId } = await booked();
    await startedAgo(bookingId, 24 * 60 * 3);
    const before = await snapshot(participant.id, eventId);
    const otherSlot = await slotTomorrow(stack, participant.token, 21);

    await expectProblem(await cancelFromLink(participant.token), 409, 'interview-started', /has started/);
    await expectProblem(
      await book(stack, participant.token, otherSlot.start),
      409,
      'interview-started',
      /has started/,
    );

    expect(await snapshot(participant.id, eventId)).toEqual(before);
    expect((await view(participant.token)).canChange).toBe(false);
  });

  test('When the interview is still ahead, then the view offers changes and a cancel from the link writes a history row', async () => {
    const { participant, bookingId } = await booked();
    expect(await view(participant.token)).toMatchObject({ canChange: true, cannotChangeReason: null });

    const cancel = await cancelFromLink(participant.token);

    expect(cancel.status).toBe(200);
    expect(await stack.knex('bookings').where({ id: bookingId }).first('state')).toEqual({
      state: 'cancelled',
    });
    const history = await stack
      .knex('status_history')
      .where({ participant_id: participant.id })
      .orderBy('id');
    expect(history.at(-1)).toMatchObject({
      kind: 'status',
      from_status: 'scheduled',
      to_status: 'canceled',
      source: 'participant',
      actor: participant.email,
      reason: 'cancelled from the booking link',
    });
  });

  test('When a researcher records a no-show ahead of the interview, then it is refused and nothing changes', async () => {
    const { participant, eventId } = await booked();
    // The sync of the booking's own event first: it may write the booking during the refusal.
    await pushesAndSyncsSettled(stack);
    const before = await snapshot(participant.id, eventId);

    await expectProblem(
      await setStatus(participant.id, 'no_show'),
      409,
      'interview-not-started',
      /interview has not started/,
    );

    expect(await snapshot(participant.id, eventId)).toEqual(before);
  });

  test('When a researcher records completed for a participant with no interview at all, then it is refused and nothing changes', async () => {
    const [participant] = await invite(stack, ada, studyId);
    const history = await stack.knex('status_history').where({ participant_id: participant!.id });

    await expectProblem(
      await setStatus(participant!.id, 'completed'),
      409,
      'no-interview',
      /no interview that has started/,
    );

    expect(await stack.knex('participants').where({ id: participant!.id }).first('status')).toEqual({
      status: 'invited',
    });
    expect(await stack.knex('status_history').where({ participant_id: participant!.id })).toEqual(history);
  });

  test('When a researcher records a no-show once the interview has started, then it applies with a history row, and the link can then neither book nor cancel', async () => {
    const { participant, bookingId, eventId } = await booked();
    await startedAgo(bookingId, 24 * 60 * 2);

    const answer = await setStatus(participant.id, 'no_show');

    expect(answer.status).toBe(200);
    const detail = await answer.json();
    expect(detail.status).toBe('no_show');
    expect(detail.history.at(-1)).toMatchObject({
      from: 'scheduled',
      to: 'no_show',
      source: 'researcher',
      actor: ada.researcherId,
      reason: 'from the test',
    });

    const before = await snapshot(participant.id, eventId);
    const otherSlot = await slotTomorrow(stack, participant.token, 22);
    await expectProblem(
      await cancelFromLink(participant.token),
      409,
      'status-final',
      /already been recorded/,
    );
    await expectProblem(
      await book(stack, participant.token, otherSlot.start),
      409,
      'status-final',
      /already been recorded/,
    );
    expect(await snapshot(participant.id, eventId)).toEqual(before);
    expect(await view(participant.token)).toMatchObject({
      canChange: false,
      cannotChangeReason: { type: 'urn:interview-scheduler:problem:status-final' },
    });
  });

  test('When the researcher removed the event after the interview and then records completed, then it applies', async () => {
    const { participant, bookingId } = await booked();
    await startedAgo(bookingId, 60);
    await stack
      .knex('bookings')
      .where({ id: bookingId })
      .update({ state: 'cancelled', cancelled_at: stack.knex.fn.now() });

    const answer = await setStatus(participant.id, 'completed');

    expect(answer.status).toBe(200);
    expect((await answer.json()).status).toBe('completed');
  });
});
