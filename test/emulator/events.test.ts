import type { calendar_v3 } from 'googleapis';
import { admin, connect, failureOf, slot, startEmulator, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const insert = async (
  body: calendar_v3.Schema$Event,
  params: Partial<calendar_v3.Params$Resource$Events$Insert> = {},
) => (await calendar.events.insert({ calendarId: 'primary', requestBody: body, ...params })).data;

describe('events.insert and events.get', () => {
  test('When an event is inserted without an id, then Google’s fields are filled in', async () => {
    const event = await insert({ summary: 'Interview', ...slot(9) });
    expect(event).toMatchObject({
      kind: 'calendar#event',
      status: 'confirmed',
      summary: 'Interview',
      sequence: 0,
      organizer: { email: OWNER, self: true },
      creator: { email: OWNER, self: true },
      start: { dateTime: '2030-01-10T09:00:00Z' },
      end: { dateTime: '2030-01-10T10:00:00Z' },
    });
    expect(event.id).toMatch(/^[a-v0-9]{26}$/);
    expect(event.iCalUID).toBe(`${event.id}@google.com`);
    expect(event.etag).toMatch(/^"\d+"$/);
    expect(event.htmlLink).toContain(harness.base);
    expect(event.created).toBe(event.updated);
    const fetched = (await calendar.events.get({ calendarId: 'primary', eventId: event.id! })).data;
    expect(fetched).toEqual(event);
  });

  test('When the calendar is named by its owner’s email, then it is the primary calendar', async () => {
    const event = await insert({ ...slot(9) });
    const fetched = await calendar.events.get({ calendarId: 'Researcher@Example.com', eventId: event.id! });
    expect(fetched.data.id).toBe(event.id);
  });

  test('When another user’s or an unknown calendar is used, then the answer is 404 notFound in Google’s error JSON', async () => {
    await admin(harness.base, '/users', { email: 'someone@example.com' });
    for (const calendarId of ['someone@example.com', 'nobody@example.com']) {
      const failure = await failureOf(calendar.events.list({ calendarId }));
      expect(failure.status).toBe(404);
      expect(failure.body).toEqual({
        error: {
          code: 404,
          message: 'Not Found',
          errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }],
          status: 'NOT_FOUND',
        },
      });
    }
  });

  test('When a client chooses a valid base32hex id, then the event gets it', async () => {
    const event = await insert({ id: 'booking0123456789abcdefuv', ...slot(9) });
    expect(event.id).toBe('booking0123456789abcdefuv');
  });

  test('When a client id has characters outside base32hex or is too short, then it is 400 invalid', async () => {
    for (const id of ['Booking1234', 'bookingw1234', 'abcd', 'with-dash-123']) {
      expect(await failureOf(insert({ id, ...slot(9) }))).toMatchObject({ status: 400, reason: 'invalid' });
    }
  });

  test('When the same id is inserted twice, even after deletion, then it is 409 duplicate', async () => {
    await insert({ id: 'dup00001', ...slot(9) });
    expect(await failureOf(insert({ id: 'dup00001', ...slot(10) }))).toMatchObject({
      status: 409,
      reason: 'duplicate',
    });
    await calendar.events.delete({ calendarId: 'primary', eventId: 'dup00001' });
    expect(await failureOf(insert({ id: 'dup00001', ...slot(10) }))).toMatchObject({
      status: 409,
      reason: 'duplicate',
    });
  });

  test('When start or end is missing or the range is reversed, then the insert is refused', async () => {
    expect(await failureOf(insert({ start: slot(9).start }))).toMatchObject({
      status: 400,
      reason: 'required',
    });
    expect(await failureOf(insert({ start: slot(11).start, end: slot(9).end }))).toMatchObject({
      status: 400,
      reason: 'timeRangeEmpty',
    });
    expect(
      await failureOf(
        insert({ start: { dateTime: '2030-01-10T09:00:00' }, end: { dateTime: '2030-01-10T10:00:00' } }),
      ),
    ).toMatchObject({ status: 400, reason: 'invalid' });
  });

  test('When a local time comes with a time zone, then the answer shows it with that zone’s offset', async () => {
    const event = await insert({
      start: { dateTime: '2030-07-01T09:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-07-01T10:00:00', timeZone: 'Europe/Berlin' },
    });
    expect(event.start).toEqual({ dateTime: '2030-07-01T09:00:00+02:00', timeZone: 'Europe/Berlin' });
  });

  test('When attendees are invited, then the organizer has accepted and the others need to act', async () => {
    const event = await insert({
      ...slot(9),
      attendees: [{ email: OWNER }, { email: 'Participant@Example.org', displayName: 'Pat' }],
    });
    expect(event.attendees).toEqual([
      { email: OWNER, organizer: true, self: true, responseStatus: 'accepted' },
      { email: 'participant@example.org', displayName: 'Pat', responseStatus: 'needsAction' },
    ]);
  });

  test('When an unknown event is read, then it is 404 notFound', async () => {
    expect(
      await failureOf(calendar.events.get({ calendarId: 'primary', eventId: 'nosuchevent' })),
    ).toMatchObject({
      status: 404,
      reason: 'notFound',
    });
  });
});

describe('events.patch and events.update', () => {
  test('When a patch changes the title, then etag and updated change but sequence does not', async () => {
    const event = await insert({ summary: 'Old', ...slot(9) });
    await harnessClockTick();
    const patched = (
      await calendar.events.patch({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { summary: 'New' },
      })
    ).data;
    expect(patched).toMatchObject({ summary: 'New', sequence: 0, start: event.start, end: event.end });
    expect(patched.etag).not.toBe(event.etag);
    expect(Date.parse(patched.updated!)).toBeGreaterThan(Date.parse(event.updated!));
  });

  test('When a patch moves the event, then sequence goes up and the id stays', async () => {
    const event = await insert({ ...slot(9) });
    const moved = (
      await calendar.events.patch({ calendarId: 'primary', eventId: event.id!, requestBody: slot(11) })
    ).data;
    expect(moved).toMatchObject({ id: event.id, sequence: 1, start: { dateTime: '2030-01-10T11:00:00Z' } });
  });

  test('When a patch adds private extended properties, then they merge with the existing ones', async () => {
    const event = await insert({ ...slot(9), extendedProperties: { private: { bookingId: 'b1' } } });
    const patched = (
      await calendar.events.patch({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { extendedProperties: { private: { study: 's1' } } },
      })
    ).data;
    expect(patched.extendedProperties).toEqual({ private: { bookingId: 'b1', study: 's1' } });
  });

  test('When an update (PUT) omits fields, then they are gone; without start it is refused', async () => {
    const event = await insert({ summary: 'Keep?', description: 'Will go', ...slot(9) });
    const updated = (
      await calendar.events.update({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { summary: 'Only', ...slot(10) },
      })
    ).data;
    expect(updated).toMatchObject({ summary: 'Only', sequence: 1 });
    expect(updated.description).toBeUndefined();
    const failure = await failureOf(
      calendar.events.update({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { summary: 'No time' },
      }),
    );
    expect(failure).toMatchObject({ status: 400, reason: 'required' });
  });

  test('When If-Match carries a stale etag, then the write is 412 conditionNotMet; the current etag succeeds', async () => {
    const event = await insert({ ...slot(9) });
    const current = (
      await calendar.events.patch({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { summary: 'v2' },
      })
    ).data;
    const stale = await failureOf(
      calendar.events.patch(
        { calendarId: 'primary', eventId: event.id!, requestBody: { summary: 'v3' } },
        { headers: { 'If-Match': event.etag! } },
      ),
    );
    expect(stale).toMatchObject({ status: 412, reason: 'conditionNotMet' });
    const fresh = await calendar.events.patch(
      { calendarId: 'primary', eventId: event.id!, requestBody: { summary: 'v3' } },
      { headers: { 'If-Match': current.etag! } },
    );
    expect(fresh.data.summary).toBe('v3');
    expect(
      await failureOf(
        calendar.events.delete(
          { calendarId: 'primary', eventId: event.id! },
          { headers: { 'If-Match': event.etag! } },
        ),
      ),
    ).toMatchObject({ status: 412 });
  });
});

describe('events.delete', () => {
  test('When an event is deleted, then it stays readable as cancelled and a second delete is 410 deleted', async () => {
    const event = await insert({ ...slot(9) });
    const deletion = await calendar.events.delete({ calendarId: 'primary', eventId: event.id! });
    expect(deletion.status).toBe(204);
    const fetched = (await calendar.events.get({ calendarId: 'primary', eventId: event.id! })).data;
    expect(fetched).toMatchObject({ id: event.id, status: 'cancelled' });
    expect(fetched.etag).not.toBe(event.etag);
    expect(
      await failureOf(calendar.events.delete({ calendarId: 'primary', eventId: event.id! })),
    ).toMatchObject({
      status: 410,
      reason: 'deleted',
    });
    expect(
      await failureOf(calendar.events.delete({ calendarId: 'primary', eventId: 'unknown1' })),
    ).toMatchObject({
      status: 404,
      reason: 'notFound',
    });
  });

  test('When listing, then deleted events show only with showDeleted', async () => {
    const kept = await insert({ ...slot(9) });
    const gone = await insert({ ...slot(10) });
    await calendar.events.delete({ calendarId: 'primary', eventId: gone.id! });
    const ids = async (showDeleted: boolean) =>
      (await calendar.events.list({ calendarId: 'primary', showDeleted })).data.items!.map((item) => [
        item.id,
        item.status,
      ]);
    expect(await ids(false)).toEqual([[kept.id, 'confirmed']]);
    expect(await ids(true)).toEqual([
      [kept.id, 'confirmed'],
      [gone.id, 'cancelled'],
    ]);
  });
});

describe('events.list', () => {
  test('When timeMin and timeMax are given, then they bound end and start exclusively', async () => {
    const nine = await insert({ summary: 'nine', ...slot(9) });
    const ten = await insert({ summary: 'ten', ...slot(10) });
    const eleven = await insert({ summary: 'eleven', ...slot(11) });
    const list = async (timeMin: string, timeMax: string) =>
      (await calendar.events.list({ calendarId: 'primary', timeMin, timeMax })).data.items!.map(
        (item) => item.id,
      );
    // An event ending exactly at timeMin and one starting exactly at timeMax are outside.
    expect(await list('2030-01-10T10:00:00Z', '2030-01-10T11:00:00Z')).toEqual([ten.id]);
    expect(await list('2030-01-10T09:30:00+00:00', '2030-01-10T11:30:00Z')).toEqual([
      nine.id,
      ten.id,
      eleven.id,
    ]);
    expect(
      await failureOf(
        calendar.events.list({
          calendarId: 'primary',
          timeMin: '2030-01-10T11:00:00Z',
          timeMax: '2030-01-10T10:00:00Z',
        }),
      ),
    ).toMatchObject({ status: 400, reason: 'timeRangeEmpty' });
  });

  test('When privateExtendedProperty filters are repeated, then all of them must match', async () => {
    const both = await insert({
      ...slot(9),
      extendedProperties: { private: { bookingId: 'b1', app: 'scheduler' } },
    });
    await insert({ ...slot(10), extendedProperties: { private: { bookingId: 'b2', app: 'scheduler' } } });
    await insert({ ...slot(11), extendedProperties: { shared: { bookingId: 'b1' } } });
    const found = await calendar.events.list({
      calendarId: 'primary',
      privateExtendedProperty: ['bookingId=b1', 'app=scheduler'],
    });
    expect(found.data.items!.map((item) => item.id)).toEqual([both.id]);
    const scheduler = await calendar.events.list({
      calendarId: 'primary',
      privateExtendedProperty: ['app=scheduler'],
    });
    expect(scheduler.data.items).toHaveLength(2);
  });

  test('When q is given, then only events with every word in their text are listed', async () => {
    const match = await insert({ summary: 'Study interview', description: 'With Pat', ...slot(9) });
    await insert({ summary: 'Study planning', ...slot(10) });
    const found = await calendar.events.list({ calendarId: 'primary', q: 'study PAT' });
    expect(found.data.items!.map((item) => item.id)).toEqual([match.id]);
  });

  test('When ordered by start time, then singleEvents is required and the order is by start', async () => {
    const late = await insert({ ...slot(15) });
    const early = await insert({ ...slot(8) });
    expect(
      await failureOf(calendar.events.list({ calendarId: 'primary', orderBy: 'startTime' })),
    ).toMatchObject({
      status: 400,
      reason: 'invalid',
    });
    const ordered = await calendar.events.list({
      calendarId: 'primary',
      orderBy: 'startTime',
      singleEvents: true,
    });
    expect(ordered.data.items!.map((item) => item.id)).toEqual([early.id, late.id]);
  });

  test('When ordered by updated, then the most recently changed event comes last', async () => {
    const first = await insert({ ...slot(9) });
    const second = await insert({ ...slot(10) });
    await harnessClockTick();
    await calendar.events.patch({
      calendarId: 'primary',
      eventId: first.id!,
      requestBody: { summary: 'touched' },
    });
    const ordered = await calendar.events.list({ calendarId: 'primary', orderBy: 'updated' });
    expect(ordered.data.items!.map((item) => item.id)).toEqual([second.id, first.id]);
  });

  test('When updatedMin is given, then only events changed since are listed', async () => {
    await insert({ ...slot(9) });
    const { body } = await admin(harness.base, '/clock', { advanceSeconds: 60 });
    const later = await insert({ ...slot(10) });
    const found = await calendar.events.list({ calendarId: 'primary', updatedMin: String(body!.now) });
    expect(found.data.items!.map((item) => item.id)).toEqual([later.id]);
  });

  test('When results exceed maxResults, then pages carry nextPageToken and only the last one nextSyncToken', async () => {
    const ids: string[] = [];
    for (let hour = 0; hour < 5; hour++) ids.push((await insert({ ...slot(hour) })).id!);
    const seen: string[] = [];
    let pageToken: string | undefined;
    const pages: calendar_v3.Schema$Events[] = [];
    do {
      const page = (
        await calendar.events.list({
          calendarId: 'primary',
          maxResults: 2,
          ...(pageToken ? { pageToken } : {}),
        })
      ).data;
      pages.push(page);
      seen.push(...page.items!.map((item) => item.id!));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    expect(seen).toEqual(ids);
    expect(pages).toHaveLength(3);
    expect(pages.slice(0, 2).every((page) => page.nextPageToken && !page.nextSyncToken)).toBe(true);
    expect(pages[2]!.nextSyncToken).toBeTruthy();
    expect(pages[2]!.nextPageToken).toBeUndefined();
    expect(pages[0]).toMatchObject({ kind: 'calendar#events', timeZone: 'UTC', summary: OWNER });
  });

  test('When a page token is used with a different query, then it is refused', async () => {
    for (let hour = 0; hour < 3; hour++) await insert({ ...slot(hour) });
    const first = (await calendar.events.list({ calendarId: 'primary', maxResults: 1 })).data;
    const failure = await failureOf(
      calendar.events.list({
        calendarId: 'primary',
        maxResults: 1,
        q: 'other',
        pageToken: first.nextPageToken!,
      }),
    );
    expect(failure).toMatchObject({ status: 400, reason: 'invalid' });
  });

  test('When maxResults is above 2500 or below 1, then it is capped or refused', async () => {
    await insert({ ...slot(9) });
    expect((await calendar.events.list({ calendarId: 'primary', maxResults: 5000 })).data.items).toHaveLength(
      1,
    );
    expect(await failureOf(calendar.events.list({ calendarId: 'primary', maxResults: 0 }))).toMatchObject({
      status: 400,
    });
  });
});

describe('Google Meet', () => {
  const meetRequest = (requestId: string) => ({
    conferenceData: { createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
  });

  /** The event once its conference is no longer `pending` (meet.test.ts covers the wait). */
  const settled = async (eventId: string) => {
    for (;;) {
      const event = (await calendar.events.get({ calendarId: 'primary', eventId })).data;
      if (event.conferenceData?.createRequest?.status?.statusCode !== 'pending') return event;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  test('When an insert asks for Meet with conferenceDataVersion=1, then the event has a conference and hangoutLink', async () => {
    const inserted = await insert({ ...slot(9), ...meetRequest('booking-1') }, { conferenceDataVersion: 1 });
    const event = await settled(inserted.id!);
    const conference = event.conferenceData!;
    expect(conference.createRequest).toEqual({
      requestId: 'booking-1',
      conferenceSolutionKey: { type: 'hangoutsMeet' },
      status: { statusCode: 'success' },
    });
    expect(conference.conferenceId).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(conference.conferenceSolution).toMatchObject({
      key: { type: 'hangoutsMeet' },
      name: 'Google Meet',
    });
    const video = conference.entryPoints!.find((entry) => entry.entryPointType === 'video')!;
    const phone = conference.entryPoints!.find((entry) => entry.entryPointType === 'phone')!;
    expect(video.uri).toBe(`https://meet.google.com/${conference.conferenceId}`);
    expect(phone.uri).toMatch(/^tel:\+1-\d{3}-\d{3}-\d{4}$/);
    expect(phone.pin).toMatch(/^\d+$/);
    expect(event.hangoutLink).toBe(video.uri);
  });

  test('When the same requestId comes again, then the same conference is given, never a second one', async () => {
    const first = await insert({ ...slot(9), ...meetRequest('same-request') }, { conferenceDataVersion: 1 });
    const firstConference = (await settled(first.id!)).conferenceData!.conferenceId;
    const second = await insert(
      { ...slot(10), ...meetRequest('same-request') },
      { conferenceDataVersion: 1 },
    );
    expect(firstConference).toBeDefined();
    expect(second.conferenceData!.conferenceId).toBe(firstConference);
    const other = await insert(
      { ...slot(11), ...meetRequest('other-request') },
      { conferenceDataVersion: 1 },
    );
    expect((await settled(other.id!)).conferenceData!.conferenceId).not.toBe(firstConference);
  });

  test('When conferenceDataVersion is not 1, then the createRequest is ignored', async () => {
    const event = await insert({ ...slot(9), ...meetRequest('ignored') });
    expect(event.conferenceData).toBeUndefined();
    expect(event.hangoutLink).toBeUndefined();
  });

  test('When a patch without conferenceDataVersion touches the event, then the conference stays', async () => {
    const inserted = await insert({ ...slot(9), ...meetRequest('keep-me') }, { conferenceDataVersion: 1 });
    const event = await settled(inserted.id!);
    const patched = (
      await calendar.events.update({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { ...slot(10) },
      })
    ).data;
    expect(patched.hangoutLink).toBe(event.hangoutLink);
  });
});

describe('sendUpdates', () => {
  const invitations = () => harness.emulator.state.invitations.map(({ to, kind }) => `${kind}:${to}`);

  test('When sendUpdates=all, then every attendee but the organizer is invited, updated and told of the cancellation', async () => {
    const event = await insert(
      { ...slot(9), attendees: [{ email: OWNER }, { email: 'pat@example.org' }] },
      { sendUpdates: 'all' },
    );
    expect(invitations()).toEqual(['invitation:pat@example.org']);
    await calendar.events.patch({
      calendarId: 'primary',
      eventId: event.id!,
      sendUpdates: 'all',
      requestBody: slot(10),
    });
    await calendar.events.delete({ calendarId: 'primary', eventId: event.id!, sendUpdates: 'all' });
    expect(invitations()).toEqual([
      'invitation:pat@example.org',
      'update:pat@example.org',
      'cancellation:pat@example.org',
    ]);
    expect(harness.emulator.state.invitations[0]).toMatchObject({ eventId: event.id, calendarId: OWNER });
  });

  test('When sendUpdates is none or absent, then nothing is sent; externalOnly skips the organizer’s domain', async () => {
    const attendees = [{ email: 'colleague@example.com' }, { email: 'pat@example.org' }];
    await insert({ ...slot(9), attendees });
    await insert({ ...slot(10), attendees }, { sendUpdates: 'none' });
    expect(invitations()).toEqual([]);
    await insert({ ...slot(11), attendees }, { sendUpdates: 'externalOnly' });
    expect(invitations()).toEqual(['invitation:pat@example.org']);
  });
});

/** Moves the emulator's clock a second so `updated` differs between two writes. */
async function harnessClockTick() {
  await admin(harness.base, '/clock', { advanceSeconds: 1 });
}
