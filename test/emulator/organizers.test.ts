import type { calendar_v3 } from 'googleapis';
import { admin, connect, failureOf, slot, startEmulator, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';
const COLLEAGUE = 'colleague@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
  await admin(harness.base, '/users', { email: COLLEAGUE });
});
afterEach(() => harness.close());

const syncToken = async () => (await calendar.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
const changesSince = async (token: string) =>
  (await calendar.events.list({ calendarId: 'primary', syncToken: token })).data.items ?? [];

describe('Events someone else organised', () => {
  test('When someone invites the researcher, then their calendar holds the event with the other organizer and self: true on their attendee entry', async () => {
    const created = await admin(harness.base, `/calendars/${OWNER}/events`, {
      organizer: { email: 'boss@example.org', displayName: 'The Boss' },
      attendees: [{ email: 'boss@example.org' }],
      ...slot(9),
    });
    expect(created.status).toBe(201);
    const event = (await calendar.events.get({ calendarId: 'primary', eventId: String(created.body!.id) }))
      .data;

    expect(event.organizer).toEqual({ email: 'boss@example.org', displayName: 'The Boss' });
    expect(event.creator).toEqual({ email: 'boss@example.org', displayName: 'The Boss' });
    expect(event.attendees).toEqual([
      { email: 'boss@example.org', organizer: true, responseStatus: 'accepted' },
      { email: OWNER, self: true, responseStatus: 'needsAction' },
    ]);
  });

  test('When the researcher tries to change the time of an invitation or move it, then Google refuses with 403 forbiddenForNonOrganizer', async () => {
    const created = await admin(harness.base, `/calendars/${OWNER}/events`, {
      organizer: 'boss@example.org',
      ...slot(9),
    });
    const eventId = String(created.body!.id);
    const patch = calendar.events.patch({ calendarId: 'primary', eventId, requestBody: slot(11) });
    expect(await failureOf(patch)).toMatchObject({ status: 403, reason: 'forbiddenForNonOrganizer' });
    const move = calendar.events.move({ calendarId: 'primary', eventId, destination: COLLEAGUE });
    expect(await failureOf(move)).toMatchObject({ status: 403, reason: 'forbiddenForNonOrganizer' });
  });
});

describe('events.move', () => {
  const insertWithGuests = async (attendees: string[]) =>
    (
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: { id: 'meeting0001', ...slot(9), attendees: attendees.map((email) => ({ email })) },
      })
    ).data;

  test('When the researcher moves an event they are a guest of to a colleague’s calendar, then the colleague organises it and the researcher keeps an invitation that follows it', async () => {
    await insertWithGuests([OWNER, 'pat@example.org']);
    const token = await syncToken();

    const moved = (
      await calendar.events.move({ calendarId: 'primary', eventId: 'meeting0001', destination: COLLEAGUE })
    ).data;
    expect(moved).toMatchObject({ id: 'meeting0001', status: 'confirmed', organizer: { email: COLLEAGUE } });

    const changes = await changesSince(token);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      id: 'meeting0001',
      status: 'confirmed',
      organizer: { email: COLLEAGUE },
    });
    expect(changes[0]!.attendees?.find((attendee) => attendee.email === OWNER)?.self).toBe(true);

    const colleague = await connect(harness.base, COLLEAGUE);
    const theirs = (await colleague.calendar.events.get({ calendarId: 'primary', eventId: 'meeting0001' }))
      .data;
    expect(theirs.organizer).toEqual({ email: COLLEAGUE, self: true });

    // The new organizer drags it to 11:00: the researcher's copy follows.
    const after = await syncToken();
    await admin(harness.base, `/calendars/${COLLEAGUE}/events/meeting0001/move`, {
      start: slot(11).start.dateTime,
    });
    const followed = await changesSince(after);
    expect(followed.map((event) => event.start?.dateTime)).toEqual(['2030-01-10T11:00:00Z']);
  });

  test('When the event leaves a calendar whose owner is not a guest, then that calendar’s incremental sync shows it cancelled', async () => {
    await insertWithGuests(['pat@example.org']);
    const token = await syncToken();
    await calendar.events.move({ calendarId: 'primary', eventId: 'meeting0001', destination: COLLEAGUE });

    expect((await changesSince(token)).map((event) => [event.id, event.status])).toEqual([
      ['meeting0001', 'cancelled'],
    ]);
    const listed = (await calendar.events.list({ calendarId: 'primary' })).data.items ?? [];
    expect(listed).toEqual([]);
  });

  test('When the admin API hands the event to another organizer, then it is the same move', async () => {
    await insertWithGuests([OWNER, 'pat@example.org']);
    const answer = await admin(harness.base, `/calendars/${OWNER}/events/meeting0001/organizer`, {
      email: COLLEAGUE,
    });
    expect(answer.status).toBe(200);
    const mine = (await calendar.events.get({ calendarId: 'primary', eventId: 'meeting0001' })).data;
    expect(mine.organizer).toEqual({ email: COLLEAGUE });
  });

  test('When the destination is unknown, then it is 404 notFound and nothing moves', async () => {
    await insertWithGuests([OWNER]);
    const unknown = calendar.events.move({
      calendarId: 'primary',
      eventId: 'meeting0001',
      destination: 'nobody@example.com',
    });
    expect(await failureOf(unknown)).toMatchObject({ status: 404, reason: 'notFound' });
    const mine = (await calendar.events.get({ calendarId: 'primary', eventId: 'meeting0001' })).data;
    expect(mine.organizer).toEqual({ email: OWNER, self: true });
  });
});
