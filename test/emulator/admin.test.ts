import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { calendar_v3 } from 'googleapis';
import { createGoogleEmulator } from '../../src/emulator';
import {
  admin,
  CLIENT,
  connect,
  oauthClient,
  slot,
  startEmulator,
  startReceiver,
  waitFor,
  type Harness,
} from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const insertWithGuest = async () =>
  (
    await calendar.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'Interview',
        ...slot(9),
        attendees: [{ email: OWNER }, { email: 'pat@example.org' }],
      },
    })
  ).data;

describe('Admin API: accounts', () => {
  test('When a user is created, then it answers 201 with the account, and 200 when it exists already', async () => {
    const created = await admin(harness.base, '/users', {
      email: 'New.Person@Example.com',
      name: 'New Person',
    });
    expect(created).toMatchObject({
      status: 201,
      body: { email: 'new.person@example.com', name: 'New Person', sub: expect.stringMatching(/^\d{21}$/) },
    });
    expect((await admin(harness.base, '/users', { email: 'new.person@example.com' })).status).toBe(200);
    expect((await admin(harness.base, '/users', { email: 'not-an-email' })).status).toBe(400);
  });

  test('When an unknown user’s access is revoked, then it is 404', async () => {
    expect((await admin(harness.base, '/users/nobody@example.com/revoke')).status).toBe(404);
  });
});

describe('Admin API: acting in Google Calendar', () => {
  test('When the organizer moves an event, then times change, sequence and etag move, guests get an update', async () => {
    const event = await insertWithGuest();
    const moved = await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/move`, {
      start: '2030-01-11T14:00:00Z',
      end: '2030-01-11T15:30:00Z',
    });
    expect(moved.body).toMatchObject({
      id: event.id,
      sequence: 1,
      start: { dateTime: '2030-01-11T14:00:00Z' },
      end: { dateTime: '2030-01-11T15:30:00Z' },
    });
    expect(moved.body!.etag).not.toBe(event.etag);
    const fetched = (await calendar.events.get({ calendarId: 'primary', eventId: event.id! })).data;
    expect(fetched.start!.dateTime).toBe('2030-01-11T14:00:00Z');
    expect(harness.emulator.state.invitations.map((sent) => `${sent.kind}:${sent.to}`)).toEqual([
      'update:pat@example.org',
    ]);
  });

  test('When a move gives only a start, then the event keeps its length', async () => {
    const event = await insertWithGuest();
    const moved = await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/move`, {
      start: { dateTime: '2030-01-11T10:00:00', timeZone: 'Europe/Berlin' },
    });
    expect(moved.body).toMatchObject({
      start: { dateTime: '2030-01-11T10:00:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-01-11T10:00:00Z' },
    });
  });

  test('When the organizer cancels an event, then it is cancelled with guests told, and cancelling again is 410', async () => {
    const event = await insertWithGuest();
    const cancelled = await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect((await calendar.events.get({ calendarId: 'primary', eventId: event.id! })).data.status).toBe(
      'cancelled',
    );
    expect(harness.emulator.state.invitations.map((sent) => sent.kind)).toEqual(['cancellation']);
    expect((await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/cancel`)).status).toBe(410);
    expect(
      (
        await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/move`, {
          start: '2030-01-11T10:00:00Z',
        })
      ).status,
    ).toBe(410);
  });

  test('When an attendee declines, then only that response and the etag change; the event stays confirmed', async () => {
    const event = await insertWithGuest();
    const answered = await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/respond`, {
      email: 'Pat@Example.org',
      responseStatus: 'declined',
    });
    expect(answered.body).toMatchObject({
      status: 'confirmed',
      sequence: 0,
      attendees: [
        { email: OWNER, responseStatus: 'accepted' },
        { email: 'pat@example.org', responseStatus: 'declined' },
      ],
    });
    expect(answered.body!.etag).not.toBe(event.etag);
    const stranger = await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/respond`, {
      email: 'stranger@example.org',
      responseStatus: 'accepted',
    });
    expect(stranger.status).toBe(404);
    const wrong = await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/respond`, {
      email: 'pat@example.org',
      responseStatus: 'maybe',
    });
    expect(wrong.status).toBe(400);
  });

  test('When an event or calendar does not exist, then admin actions answer 404 with Google’s error JSON', async () => {
    const missing = await admin(harness.base, `/calendars/${OWNER}/events/nosuchevent/cancel`);
    expect(missing).toMatchObject({
      status: 404,
      body: { error: { code: 404, errors: [{ reason: 'notFound' }] } },
    });
    expect((await admin(harness.base, `/calendars/nobody@example.com/events`, slot(9))).status).toBe(404);
  });

  test('When an arbitrary event is added, then the owner’s API sees it like any other', async () => {
    const added = await admin(harness.base, `/calendars/${OWNER}/events`, {
      summary: 'Dentist',
      start: '2030-01-10T15:00:00Z',
      end: '2030-01-10T16:00:00Z',
    });
    expect(added.status).toBe(201);
    const listed = (await calendar.events.list({ calendarId: 'primary' })).data.items!;
    expect(listed.map((item) => item.summary)).toEqual(['Dentist']);
  });
});

describe('Admin API: the emulator itself', () => {
  test('When the clock is set or advanced, then the emulator’s time follows and access tokens expire by it', async () => {
    const set = await admin(harness.base, '/clock', { now: '2031-05-01T12:00:00Z' });
    expect(set.body).toEqual({ now: expect.stringMatching(/^2031-05-01T12:00:00/) });
    const advanced = await admin(harness.base, '/clock', { advanceSeconds: 3600 });
    expect(advanced.body!.now).toMatch(/^2031-05-01T13:00:00/);
    expect((await admin(harness.base, '/clock', undefined, 'GET')).body!.now).toMatch(/^2031-05-01T13:00/);
    expect((await admin(harness.base, '/clock', { advanceSeconds: 'soon' })).status).toBe(400);
  });

  test('When all sync tokens are invalidated, then every calendar needs a full sync', async () => {
    await connect(harness.base, 'second@example.com');
    const result = await admin(harness.base, '/sync-tokens/invalidate');
    expect(result.body).toEqual({ invalidated: expect.arrayContaining([OWNER, 'second@example.com']) });
  });

  test('When the state is read, then it shows users, events per calendar, channels, invitations and deliveries', async () => {
    const receiver = await startReceiver();
    try {
      const event = await insertWithGuest();
      await calendar.events.patch({
        calendarId: 'primary',
        eventId: event.id!,
        sendUpdates: 'all',
        requestBody: slot(10),
      });
      await calendar.events.watch({
        calendarId: 'primary',
        requestBody: { id: 'ch', type: 'web_hook', address: receiver.url },
      });
      await waitFor(() => receiver.received.length === 1);
      await harness.emulator.pushSettled();
      const { body } = await admin(harness.base, '/state', undefined, 'GET');
      expect(body).toMatchObject({
        users: [expect.objectContaining({ email: OWNER })],
        events: { [OWNER]: [expect.objectContaining({ id: event.id, sequence: 1 })] },
        channels: [expect.objectContaining({ id: 'ch', active: true, calendar: OWNER })],
        invitations: [expect.objectContaining({ eventId: event.id, to: 'pat@example.org', kind: 'update' })],
        pushDeliveries: [
          expect.objectContaining({ channelId: 'ch', outcome: 'delivered', resourceState: 'sync' }),
        ],
        grants: [expect.objectContaining({ clientId: CLIENT.clientId, email: OWNER, offline: true })],
      });
      expect(JSON.stringify(body)).not.toContain('ya29.');
    } finally {
      await receiver.close();
    }
  });

  test('When the emulator is reset, then accounts, events and tokens are gone', async () => {
    await insertWithGuest();
    expect((await admin(harness.base, '/reset')).status).toBe(204);
    const { body } = await admin(harness.base, '/state', undefined, 'GET');
    expect(body).toMatchObject({ users: [], events: {}, channels: [], invitations: [] });
    const failure = await calendar.events
      .list({ calendarId: 'primary' })
      .catch((error: { response: { status: number } }) => error.response.status);
    expect(failure).toBe(401);
  });

  test('When unknown paths are asked for, then the answer is Google’s 404 JSON', async () => {
    const response = await fetch(`${harness.base}/calendar/v3/users/me/calendarList`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 404, errors: [{ reason: 'notFound' }] } });
  });

  test('When a Calendar body is not JSON, then the answer is 400 parseError', async () => {
    const { tokens } = await connect(harness.base, 'json@example.com');
    const response = await fetch(`${harness.base}/calendar/v3/calendars/primary/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: '{ not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { errors: [{ reason: 'parseError' }] } });
  });
});

describe('State file', () => {
  test('When the emulator restarts with its state file, then users, events, refresh tokens and the signing key survive', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-state-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      const first = await startEmulator({ stateFile });
      const { calendar: before, tokens } = await connect(first.base, OWNER);
      const event = (
        await before.events.insert({ calendarId: 'primary', requestBody: { summary: 'Kept', ...slot(9) } })
      ).data;
      const verifier = oauthClient(first.base);
      await verifier.verifyIdToken({ idToken: tokens.id_token!, audience: CLIENT.clientId });
      await first.close();
      expect(fs.existsSync(stateFile)).toBe(true);

      const second = await startEmulator({ stateFile });
      try {
        const client = oauthClient(second.base);
        client.setCredentials({ refresh_token: tokens.refresh_token! });
        const { token } = await client.getAccessToken();
        expect(token).toBeTruthy();
        const { calendar: after } = await connect(second.base, OWNER);
        const fetched = (await after.events.get({ calendarId: 'primary', eventId: event.id! })).data;
        expect(fetched).toMatchObject({ summary: 'Kept', etag: event.etag });
        const again = await connect(second.base, OWNER);
        await expect(
          oauthClient(second.base).verifyIdToken({
            idToken: again.tokens.id_token!,
            audience: CLIENT.clientId,
          }),
        ).resolves.toBeDefined();
        // The key did not change, so a verifier that cached the first certificates still passes.
        await expect(
          verifier.verifyIdToken({ idToken: again.tokens.id_token!, audience: CLIENT.clientId }),
        ).resolves.toBeDefined();
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('When the state file is not an emulator state, then the emulator refuses to start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-state-'));
    const stateFile = path.join(dir, 'state.json');
    fs.writeFileSync(stateFile, '{"hello":"world"}');
    try {
      expect(() => createGoogleEmulator({ stateFile })).toThrow(/not an emulator state/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
