import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, invite, slotTomorrow } from './support';

/**
 * The daily limit is counted on the study's local date, also when participants book at the
 * same moment (then the count under the study row lock decides, not the slot list).
 */
describe('A study with a daily limit', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  test('When five participants book one local date at once, then only the limit gets it, and the next local date (the same UTC date) is still free', async () => {
    // Tokyo is UTC+9: 01:00–05:00 UTC tomorrow is one Tokyo date, 16:00 UTC already the next.
    const { id } = await createStudy(stack, ada, { timeZone: 'Asia/Tokyo', dailyLimit: 2 });
    const people = await invite(stack, ada, id, 6);
    const sameDate = await Promise.all(
      people.slice(0, 5).map((person, index) => slotTomorrow(stack, person.token, index + 1)),
    );
    const nextDate = await slotTomorrow(stack, people[5]!.token, 16);

    const answers = await Promise.all(
      people.slice(0, 5).map((person, index) => book(stack, person.token, sameDate[index]!.start)),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409, 409]);
    expect((await book(stack, people[5]!.token, nextDate.start)).status).toBe(201);
    const live = await stack.knex('bookings').where({ study_id: id }).whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(3);
  });
});
