import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, invite, slotsFor, type Invited } from './support';

const MINUTE = 60_000;

/**
 * Buffers reach beyond the interview's own range, which the exclusion constraint guards:
 * participants booking (or moving) at the same moment must still end up a buffer apart.
 */
describe('A study with buffers, booked at the same moment', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  async function liveRanges(studyId: string) {
    const rows = await stack
      .knex('bookings')
      .where({ study_id: studyId })
      .whereNot({ state: 'cancelled' })
      .select(stack.knex.raw('lower(during) as start'), stack.knex.raw('upper(during) as end'))
      .orderBy('start');
    return rows as { start: Date; end: Date }[];
  }

  function gapsInMinutes(ranges: { start: Date; end: Date }[]): number[] {
    return ranges
      .slice(1)
      .map((range, index) => (range.start.getTime() - ranges[index]!.end.getTime()) / MINUTE);
  }

  /** Six half-hour starts in a row from 09:00 UTC some days ahead, as the slot list offers them now. */
  async function adjacentStarts(person: Invited, daysAhead: number): Promise<string[]> {
    const first = new Date(Date.now() + daysAhead * 86_400_000);
    first.setUTCHours(9, 0, 0, 0);
    const wanted = Array.from({ length: 6 }, (_, index) =>
      new Date(first.getTime() + index * 30 * MINUTE).toISOString(),
    );
    const query = `?from=${wanted[0]}&to=${new Date(first.getTime() + 4 * 60 * MINUTE).toISOString()}`;
    const offered = new Set((await slotsFor(stack, person.token, query)).map((slot) => slot.start));
    for (const start of wanted) expect([start, offered.has(start)]).toEqual([start, true]);
    return wanted;
  }

  test('When six participants book six adjacent half hours at once, then the interviews that get through are all a buffer apart', async () => {
    const { id } = await createStudy(stack, ada, { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 });
    const people = await invite(stack, ada, id, 6);
    const starts = await adjacentStarts(people[0]!, 1);

    const answers = await Promise.all(
      people.map((person, index) => book(stack, person.token, starts[index]!)),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const ranges = await liveRanges(id);
    expect(ranges.length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((status) => status === 201)).toHaveLength(ranges.length);
    for (const gap of gapsInMinutes(ranges)) expect(gap).toBeGreaterThanOrEqual(30);
  });

  test('When participants move into each other’s buffers at once, then the interviews still end up a buffer apart', async () => {
    const { id } = await createStudy(stack, ada, { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 });
    const people = await invite(stack, ada, id, 4);
    // Booked far apart first (days 2 and 3, 09:00 and 15:00), then all moved into day 4's morning at once.
    const first = new Date(Date.now() + 2 * 86_400_000);
    first.setUTCHours(9, 0, 0, 0);
    const apart = [0, 6, 24, 30].map((hours) =>
      new Date(first.getTime() + hours * 60 * MINUTE).toISOString(),
    );
    for (const [index, person] of people.entries()) {
      expect((await book(stack, person.token, apart[index]!)).status).toBe(201);
    }
    const starts = await adjacentStarts(people[0]!, 4);

    const answers = await Promise.all(
      people.map((person, index) => book(stack, person.token, starts[index]!)),
    );

    expect(answers.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
    expect(answers.some((answer) => answer.status === 409)).toBe(true);
    const ranges = await liveRanges(id);
    expect(ranges).toHaveLength(4);
    for (const gap of gapsInMinutes(ranges)) expect(gap).toBeGreaterThanOrEqual(30);
  });
});
