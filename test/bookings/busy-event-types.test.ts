import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { createStudy, invite, slotsFor } from './support';

/**
 * The researcher's calendar as Google Calendar users fill it: out of office, focus time, a
 * working location, a birthday, and recurring meetings with a cancelled and a moved
 * instance — through the emulator, which lists them as Google does.
 */
describe('Slots around event types and recurring meetings', () => {
  const RESEARCHER = 'grace@example.com';
  let stack: Stack;
  let grace: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ bookingLimits: { perAddress: 10_000, perToken: 10_000 } });
    grace = await signIn(stack, RESEARCHER);
  });
  afterAll(() => stack.close());

  const DAY_MS = 86_400_000;
  const tomorrow = new Date(Date.now() + DAY_MS);
  tomorrow.setUTCHours(0, 0, 0, 0);
  const at = (hour: number, dayOffset = 0) =>
    new Date(tomorrow.getTime() + dayOffset * DAY_MS + hour * 3600_000);
  const dateOf = (date: Date) => date.toISOString().slice(0, 10);
  const instanceKey = (hour: number) =>
    `${dateOf(tomorrow).replace(/-/g, '')}T${String(hour).padStart(2, '0')}0000Z`;
  const hourLong = (hour: number, dayOffset = 0) => ({
    start: { dateTime: at(hour, dayOffset).toISOString(), timeZone: 'UTC' },
    end: { dateTime: at(hour + 1, dayOffset).toISOString(), timeZone: 'UTC' },
  });

  async function emulator(path: string, body: Record<string, unknown>): Promise<{ id: string }> {
    const answer = await fetch(`${stack.emulatorUrl}/_emulator/calendars/${RESEARCHER}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status >= 300) throw new Error(`emulator ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as { id: string };
  }

  test('When the calendar holds every event type and recurring meetings, then out of office and each live instance block, working locations, birthdays and a cancelled instance do not', async () => {
    await emulator('/events', { summary: 'Holiday', eventType: 'outOfOffice', ...hourLong(6) });
    await emulator('/events', { summary: 'Deep work', eventType: 'focusTime', ...hourLong(7) });
    await emulator('/events', {
      summary: 'Home',
      eventType: 'workingLocation',
      start: { date: dateOf(tomorrow) },
      end: { date: dateOf(at(0, 1)) },
    });
    await emulator('/events', { summary: 'Ada', eventType: 'birthday', start: { date: dateOf(tomorrow) } });
    // Daily stand-up from tomorrow; tomorrow's is cancelled.
    const standUp = await emulator('/events', {
      summary: 'Stand-up',
      ...hourLong(10),
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    });
    await emulator(`/events/${standUp.id}_${instanceKey(10)}/cancel`, {});
    // A weekly meeting that began last week: tomorrow's instance blocks.
    await emulator('/events', {
      summary: 'Weekly',
      ...hourLong(11, -7),
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
    });
    // Another weekly one whose instance tomorrow was moved from 12:00 to 13:00.
    const moved = await emulator('/events', {
      summary: 'Review',
      ...hourLong(12, -7),
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
    });
    await emulator(`/events/${moved.id}_${instanceKey(12)}/move`, { start: at(13).toISOString() });
    await stack.knex('freebusy_cache').delete();

    const hours = [6, 7, 10, 11, 12, 13, 14];
    const offered = async (conflictHandling: string) => {
      const [participant] = await invite(
        stack,
        grace,
        (await createStudy(stack, grace, { conflictHandling })).id,
      );
      const starts = new Set((await slotsFor(stack, participant!.token)).map((slot) => slot.start));
      return hours.filter((hour) => starts.has(at(hour).toISOString()));
    };

    expect(await offered('busy')).toEqual([10, 12, 14]);
    expect(await offered('strict')).toEqual([10, 12, 14]);
    expect(await offered('off')).toEqual([7, 10, 11, 12, 13, 14]);
  });
});
