import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, clearFaults, createStudy, fault, invite, slotTomorrow } from './support';

/**
 * The booking admission bounds bookings in progress, but a booking only backing off between
 * Google retries gives its place away: while Google is down, the next participant's booking
 * is held meanwhile instead of waiting for the whole retry budget of the ones before.
 */
describe('Booking admission while Google is down', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack({ env: { BOOKING_CONCURRENCY: '1' } });
    ada = await signIn(stack, 'ada@example.com');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterAll(async () => {
    await clearFaults(stack);
    await stack.close();
  });

  const pendingOf = async (participantIds: string[]) =>
    Number(
      (
        await stack
          .knex('bookings')
          .whereIn('participant_id', participantIds)
          .where({ state: 'pending' })
          .count<{ count: string }[]>('* as count')
      )[0]?.count,
    );

  test('When one booking backs off between Google retries, then the next participant is admitted and held meanwhile', async () => {
    const [first, second] = await invite(stack, ada, studyId, 2);
    const firstSlot = await slotTomorrow(stack, first!.token, 9);
    const secondSlot = await slotTomorrow(stack, second!.token, 10);
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.insert' });

    let firstAnswered = false;
    const firstAnswer = book(stack, first!.token, firstSlot.start).then((answer) => {
      firstAnswered = true;
      return answer;
    });
    const ids = [first!.id, second!.id];
    while ((await pendingOf(ids)) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const secondAnswer = book(stack, second!.token, secondSlot.start);
    while ((await pendingOf(ids)) < 2 && !firstAnswered) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // Both held while the first was still retrying Google (its budget is 8 s).
    expect(firstAnswered).toBe(false);
    expect(await pendingOf(ids)).toBe(2);
    expect((await firstAnswer).status).toBe(202);
    expect((await secondAnswer).status).toBe(202);
  }, 30_000);
});
