import type { calendar_v3 } from 'googleapis';
import { admin, connect, slot, startEmulator, type Harness } from './support';

/**
 * GOOGLE_CALENDAR_FACTS "Events" and "Organizers": an invitation shows in every guest's own
 * calendar (same id, another organizer, `self` on the guest's entry); an attendee's answer
 * changes the organizer's copy; private extended properties belong to one copy.
 */
let harness: Harness;
let ada: calendar_v3.Calendar;
let ben: calendar_v3.Calendar;
const ADA = 'ada@example.com';
const BEN = 'ben@example.com';
const PAT = 'pat@elsewhere.org';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar: ada } = await connect(harness.base, ADA));
  ({ calendar: ben } = await connect(harness.base, BEN));
});
afterEach(() => harness.close());

const insertCollective = async (id = 'collective0001') =>
  (
    await ada.events.insert({
      calendarId: 'primary',
      sendUpdates: 'all',
      requestBody: {
        id,
        summary: 'Interview',
        ...slot(9),
        attendees: [{ email: ADA }, { email: BEN }, { email: PAT }],
        extendedProperties: { private: { bookingId: 'b-1' }, shared: { study: 's-1' } },
      },
    })
  ).data;
const bensCopy = async (id = 'collective0001') =>
  (await ben.events.get({ calendarId: 'primary', eventId: id })).data;
const adasCopy = async (id = 'collective0001') =>
  (await ada.events.get({ calendarId: 'primary', eventId: id })).data;
const instant = (time: calendar_v3.Schema$EventDateTime | undefined) => Date.parse(time?.dateTime ?? '');
const answerOf = (event: calendar_v3.Schema$Event, email: string) =>
  event.attendees?.find((attendee) => attendee.email === email)?.responseStatus;

describe('A guest with a Google account gets the invitation on their own calendar', () => {
  test('When the organizer inserts an event with a guest who uses Google, then the guest’s calendar holds it with the same id, the other organizer and self on their entry', async () => {
    const organizers = await insertCollective();

    const copy = await bensCopy();
    expect(copy).toMatchObject({ id: organizers.id, iCalUID: organizers.iCalUID, status: 'confirmed' });
    expect(copy.organizer).toEqual({ email: ADA });
    expect(copy.attendees?.find((attendee) => attendee.email === BEN)?.self).toBe(true);
    expect(copy.attendees?.find((attendee) => attendee.email === ADA)?.self).toBeUndefined();
    const listed = (await ben.events.list({ calendarId: 'primary' })).data.items ?? [];
    expect(listed.map((event) => event.id)).toEqual([organizers.id]);
  });

  test('When the organizer’s event carries private properties, then the guest’s copy has none of them, only the shared ones', async () => {
    await insertCollective();
    expect((await bensCopy()).extendedProperties).toEqual({ shared: { study: 's-1' } });
    expect((await adasCopy()).extendedProperties).toEqual({
      private: { bookingId: 'b-1' },
      shared: { study: 's-1' },
    });
    const found = await ben.events.list({
      calendarId: 'primary',
      privateExtendedProperty: ['bookingId=b-1'],
    });
    expect(found.data.items).toEqual([]);
  });

  test('When the organizer moves the event, then the guest’s copy follows and their incremental sync shows it', async () => {
    await insertCollective();
    const token = (await ben.events.list({ calendarId: 'primary' })).data.nextSyncToken!;

    await ada.events.patch({ calendarId: 'primary', eventId: 'collective0001', requestBody: slot(11) });

    const changes = (await ben.events.list({ calendarId: 'primary', syncToken: token })).data.items ?? [];
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ id: 'collective0001', sequence: 1 });
    expect(instant(changes[0]!.start)).toBe(instant(slot(11).start));
  });

  test('When the organizer takes the guest off the guest list, then the event leaves the guest’s calendar (cancelled in their sync)', async () => {
    await insertCollective();
    const token = (await ben.events.list({ calendarId: 'primary' })).data.nextSyncToken!;

    await ada.events.patch({
      calendarId: 'primary',
      eventId: 'collective0001',
      requestBody: { attendees: [{ email: ADA }, { email: PAT }] },
    });

    const changes = (await ben.events.list({ calendarId: 'primary', syncToken: token })).data.items ?? [];
    expect(changes.map((event) => [event.id, event.status])).toEqual([['collective0001', 'cancelled']]);
    expect((await ben.events.list({ calendarId: 'primary' })).data.items).toEqual([]);
  });

  test('When the organizer cancels the event, then the guest’s copy is cancelled too', async () => {
    await insertCollective();
    await ada.events.delete({ calendarId: 'primary', eventId: 'collective0001', sendUpdates: 'all' });
    expect((await bensCopy()).status).toBe('cancelled');
  });
});

describe('A guest answers on their own copy', () => {
  test('When the guest declines on their copy (events.patch of their own answer), then the organizer’s copy has them declined, it stays confirmed, and its etag changes', async () => {
    const organizers = await insertCollective();
    const copy = await bensCopy();
    const adaToken = (await ada.events.list({ calendarId: 'primary' })).data.nextSyncToken!;

    await ben.events.patch({
      calendarId: 'primary',
      eventId: 'collective0001',
      requestBody: {
        attendees: (copy.attendees ?? []).map((attendee) =>
          attendee.email === BEN ? { ...attendee, responseStatus: 'declined' } : attendee,
        ),
      },
    });

    const after = await adasCopy();
    expect(answerOf(after, BEN)).toBe('declined');
    expect(after.status).toBe('confirmed');
    expect(after.etag).not.toBe(organizers.etag);
    expect(answerOf(await bensCopy(), BEN)).toBe('declined');
    const changes = (await ada.events.list({ calendarId: 'primary', syncToken: adaToken })).data.items ?? [];
    expect(changes.map((event) => event.id)).toEqual(['collective0001']);
  });

  test('When the guest answers through the admin API on their own calendar, then it is the organizer’s copy that changes', async () => {
    await insertCollective();
    const answered = await admin(harness.base, `/calendars/${BEN}/events/collective0001/respond`, {
      email: BEN,
      responseStatus: 'declined',
    });
    expect(answered.status).toBe(200);
    expect(answerOf(await adasCopy(), BEN)).toBe('declined');

    await admin(harness.base, `/calendars/${BEN}/events/collective0001/respond`, {
      email: BEN,
      responseStatus: 'accepted',
    });
    expect(answerOf(await adasCopy(), BEN)).toBe('accepted');
    expect(answerOf(await bensCopy(), BEN)).toBe('accepted');
  });

  test('When a guest changes the time on their copy, then Google refuses with 403 forbiddenForNonOrganizer and the organizer’s event keeps its time', async () => {
    await insertCollective();
    await expect(
      ben.events.patch({ calendarId: 'primary', eventId: 'collective0001', requestBody: slot(14) }),
    ).rejects.toMatchObject({ response: { status: 403 } });
    expect(instant((await adasCopy()).start)).toBe(instant(slot(9).start));
  });
});
