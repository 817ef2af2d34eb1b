import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, emulatorEvents, invite, slotsFor } from './support';
import { overlappingHostBookings, setStudyHosts, tomorrowAt } from './hosts-support';

describe('Many participants racing over two round-robin studies that share hosts', () => {
  let stack: Stack;
  let hosts: SignedIn[];
  beforeAll(async () => {
    // 50 bookings at once on a pool of 10: on a loaded machine a request can wait more than
    // the 2 s default for a connection and be answered 503, which is right in production but
    // not what this test is about (who gets the time); give the pool time instead.
    stack = await startStack({
      bookingLimits: { perAddress: 10_000, perToken: 100 },
      env: { DB_ACQUIRE_TIMEOUT_MS: '30000' },
    });
    hosts = [];
    for (const name of ['ada', 'ben', 'cy', 'dan']) hosts.push(await signIn(stack, `${name}@example.com`));
  });
  afterAll(() => stack.close());

  test('When 50 participants book the same time at once, then no host is booked twice, every host is used, and everyone else is told the time is taken', async () => {
    const [ada, ben, cy, dan] = hosts as [SignedIn, SignedIn, SignedIn, SignedIn];
    const first = await createStudy(stack, ada, { title: 'Study A' });
    const second = await createStudy(stack, ada, { title: 'Study B', durationMinutes: 60 });
    await setStudyHosts(stack, first.id, 'round_robin', [
      ada.researcherId,
      ben.researcherId,
      cy.researcherId,
    ]);
    await setStudyHosts(stack, second.id, 'round_robin', [
      ben.researcherId,
      cy.researcherId,
      dan.researcherId,
    ]);
    const participants = [
      ...(await invite(stack, ada, first.id, 25, 'a')),
      ...(await invite(stack, ada, second.id, 25, 'b')),
    ];
    const at = tomorrowAt(10).toISOString();
    // The booking page was open: the time is offered, and every host's busy time is cached.
    for (const participant of [participants[0]!, participants[25]!]) {
      expect((await slotsFor(stack, participant.token)).map((slot) => slot.start)).toContain(at);
    }

    const answers = await Promise.all(participants.map((participant) => book(stack, participant.token, at)));

    const statuses = answers.map((answer) => answer.status);
    const refusals = await Promise.all(
      answers
        .filter((answer) => answer.status !== 201)
        .map(async (answer) => `${answer.status} ${(await answer.json()).type}`),
    );
    expect(refusals.filter((refusal) => !/^409 .*slot-taken$/.test(refusal))).toEqual([]);
    // Four hosts in all, each able to hold one interview at that time.
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(await overlappingHostBookings(stack)).toBe(0);
    const live = await stack.knex('bookings').whereNot({ state: 'cancelled' });
    expect(new Set(live.map((row) => row.researcher_id)).size).toBe(4);
    for (const host of hosts) {
      const { events } = await emulatorEvents(stack, host.email);
      const ours = events.filter(
        (event) => event.status !== 'cancelled' && event.extendedProperties?.private?.bookingId,
      );
      expect(ours).toHaveLength(1);
    }
    const scheduled = await stack.knex('participants').where({ status: 'scheduled' });
    expect(scheduled).toHaveLength(4);
  }, 120_000);
});
