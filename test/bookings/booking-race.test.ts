import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, emulatorEvents, invite, slotTomorrow } from './support';

describe('Many participants racing for one slot', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ bookingLimits: { perAddress: 10_000, perToken: 100 } });
    ada = await signIn(stack, 'ada@example.com');
  });
  afterAll(() => stack.close());

  test('When 50 participants of two studies of one researcher book the same slot at once, then exactly one gets it, the rest 409, and there is one event', async () => {
    const first = await createStudy(stack, ada, { title: 'Study A' });
    const second = await createStudy(stack, ada, { title: 'Study B', durationMinutes: 60 });
    const participants = [
      ...(await invite(stack, ada, first.id, 25, 'a')),
      ...(await invite(stack, ada, second.id, 25, 'b')),
    ];
    const slot = await slotTomorrow(stack, participants[0]!.token, 10);

    const answers = await Promise.all(
      participants.map((participant) => book(stack, participant.token, slot.start)),
    );

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    const live = await stack.knex('bookings').whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(1);
    const { events } = await emulatorEvents(stack, 'ada@example.com');
    expect(
      events.filter((event) => event.status !== 'cancelled' && event.extendedProperties?.private?.bookingId),
    ).toHaveLength(1);
    const scheduled = await stack.knex('participants').where({ status: 'scheduled' });
    expect(scheduled).toHaveLength(1);
  }, 60_000);

  test('When one participant double-clicks (two requests at once), then one booking and one event', async () => {
    const study = await createStudy(stack, ada, { title: 'Study C' });
    const [pat] = await invite(stack, ada, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 15);

    const answers = await Promise.all([
      book(stack, pat!.token, slot.start),
      book(stack, pat!.token, slot.start),
    ]);

    expect(answers.map((answer) => answer.status)).toContain(201);
    const rows = await stack
      .knex('bookings')
      .where({ participant_id: pat!.id })
      .whereNot({ state: 'cancelled' });
    expect(rows).toHaveLength(1);
  });
});
