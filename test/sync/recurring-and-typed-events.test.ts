import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookInterview, hoursFromNow, type BookedInterview } from './booked-interview';
import {
  asGoogleUser,
  bookingRow,
  eventPath,
  participantOf,
  pushesAndSyncsSettled,
} from './calendar-support';

/**
 * A researcher's calendar holds much besides our interviews: recurring meetings with moved
 * and cancelled instances, out of office, focus time, working locations, birthdays. The sync
 * reads them all (incrementally and in a full resync) and must leave the bookings alone.
 */
describe('Calendar sync among recurring meetings and other event types', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'hedy@lab.example', 'Hedy Lamarr');
  });
  afterAll(() => stack.close());

  const calendarPath = (interview: BookedInterview, rest: string) =>
    `/calendars/${encodeURIComponent(interview.calendarId)}${rest}`;
  const keyOf = (date: Date) => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

  async function failedSyncs(): Promise<number> {
    const rows = await stack
      .knex('pgboss.job')
      .where({ name: 'sync-calendar', state: 'failed' })
      .count<{ count: string }[]>('* as count');
    return Number(rows[0]?.count);
  }

  test('When instances of a weekly meeting over the interview are moved and cancelled and typed events come and go, then the interview stays as booked, and a move of the interview is still followed', async () => {
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(30) });
    await pushesAndSyncsSettled(stack);
    const before = await bookingRow(stack, interview);

    // A weekly meeting at the very time of the interview, begun a week earlier.
    const weekAgo = new Date(interview.start.getTime() - 7 * 86_400_000);
    const series = (await asGoogleUser(stack, calendarPath(interview, '/events'), {
      summary: 'Weekly 1:1',
      start: { dateTime: weekAgo.toISOString(), timeZone: 'Europe/Berlin' },
      end: { dateTime: new Date(weekAgo.getTime() + 30 * 60_000).toISOString(), timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
    })) as { id: string };
    const instanceAtInterview = `${series.id}_${keyOf(interview.start)}`;
    const nextWeek = new Date(interview.start.getTime() + 7 * 86_400_000);
    await asGoogleUser(stack, calendarPath(interview, `/events/${instanceAtInterview}/move`), {
      start: new Date(interview.start.getTime() + 3600_000).toISOString(),
    });
    await asGoogleUser(stack, calendarPath(interview, `/events/${series.id}_${keyOf(nextWeek)}/cancel`));
    const day = interview.start.toISOString().slice(0, 10);
    const dayAfter = new Date(interview.start.getTime() + 86_400_000).toISOString().slice(0, 10);
    for (const body of [
      {
        eventType: 'outOfOffice',
        summary: 'Away',
        start: { dateTime: hoursFromNow(50).toISOString() },
        end: { dateTime: hoursFromNow(52).toISOString() },
      },
      {
        eventType: 'focusTime',
        summary: 'Focus',
        start: { dateTime: hoursFromNow(53).toISOString() },
        end: { dateTime: hoursFromNow(54).toISOString() },
      },
      { eventType: 'workingLocation', summary: 'Home', start: { date: day }, end: { date: dayAfter } },
      { eventType: 'birthday', summary: 'Grace', start: { date: day } },
    ]) {
      await asGoogleUser(stack, calendarPath(interview, '/events'), body);
    }
    await pushesAndSyncsSettled(stack);

    // Google drops the sync token: the next sync is a full resync over the same calendar.
    await asGoogleUser(stack, '/sync-tokens/invalidate', { calendarId: interview.calendarId });
    await asGoogleUser(stack, calendarPath(interview, `/events/${series.id}/cancel`));
    await pushesAndSyncsSettled(stack);

    expect(await failedSyncs()).toBe(0);
    expect(await bookingRow(stack, interview)).toEqual(before);
    const participant = await participantOf(stack, interview);
    expect(participant.status).toBe('scheduled');
    expect(participant.history.filter((row) => row.source === 'calendar')).toEqual([]);

    const newStart = new Date(interview.start.getTime() + 2 * 3600_000);
    await asGoogleUser(stack, eventPath(interview, 'move'), { start: newStart.toISOString() });
    await pushesAndSyncsSettled(stack);
    expect((await participantOf(stack, interview)).scheduledStart).toBe(newStart.toISOString());
  });
});
