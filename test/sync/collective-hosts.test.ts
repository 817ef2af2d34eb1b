import { loadBusyEvents } from '../../src/busy/busy-cache';
import { busyIntervals } from '../../src/busy/busy-events';
import { runNightly, type NightlyDeps, type NightlyReport } from '../../src/nightly/nightly-job';
import { pollCalendars } from '../../src/sync/poll-calendars';
import { syncCalendar } from '../../src/sync/sync-calendar';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { createStudy } from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { api, hoursFromNow } from './booked-interview';
import { asGoogleUser, pushesAndSyncsSettled } from './calendar-support';
import { bookCollective, joinTeam, type CollectiveInterview } from './collective-interview';

/**
 * Issue 15, "Sync for every host": every host's calendar is watched and synced as its own;
 * the organizer's event drives the interview; another host's copy of it never does, and
 * another host's decline warns without cancelling.
 */
describe('Sync of a collective interview’s hosts', () => {
  let stack: Stack;
  let ada: SignedIn;
  let ben: SignedIn;
  let studyId: string;
  let deps: NightlyDeps;
  let hours = 0;
  const DAY_MS = 86_400_000;

  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    ben = await signIn(stack, 'ben@example.com', 'Ben Host');
    await joinTeam(stack, ada, ben);
    studyId = (await createStudy(stack, ada)).id;
    const { knex, access, logger, channels, queue } = stack.features;
    deps = { knex, access, logger, channels, queue, metrics: syncMetricsFor(stack.features) };
  });
  afterAll(() => stack.close());
  afterEach(async () => {
    await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
  });

  async function collective(): Promise<CollectiveInterview> {
    hours += 2;
    const interview = await bookCollective(stack, ada, [ben], { start: hoursFromNow(30 + hours), studyId });
    await settled();
    return interview;
  }
  const settled = async () => {
    await pushesAndSyncsSettled(stack);
  };
  const eventPath = (interview: CollectiveInterview, calendar: string, action: string) =>
    `/calendars/${encodeURIComponent(calendar)}/events/${interview.eventId}/${action}`;
  const respond = (interview: CollectiveInterview, who: string, responseStatus: string, calendar = who) =>
    asGoogleUser(stack, eventPath(interview, calendar, 'respond'), { email: who, responseStatus });
  const participant = async (interview: CollectiveInterview) =>
    (await api(stack, ada, 'GET', `/api/participants/${interview.participantId}`)) as {
      status: string;
      scheduledStart: string | null;
      history: { kind: string; to: string; source: string }[];
    };
  const booking = async (interview: CollectiveInterview) =>
    (await stack.knex('bookings').where({ id: interview.bookingId }).first('state', 'etag', 'during')) as {
      state: string;
      etag: string;
      during: string;
    };
  const timeline = async (interview: CollectiveInterview) =>
    (
      (await api(stack, ada, 'GET', `/api/participants/${interview.participantId}/timeline`)) as {
        items: { kind: string; summary: string; details: Record<string, unknown> }[];
      }
    ).items;
  const hostEntries = async (interview: CollectiveInterview) =>
    (await timeline(interview)).filter((item) => item.kind === 'host_response').map((item) => item.summary);
  const page = async (path: string) => {
    const answer = await fetch(`${stack.url}${path}`, { headers: { cookie: ada.cookie } });
    expect(answer.status).toBe(200);
    return answer.text();
  };
  const BEN_DECLINED = 'Ben Host declined: the interview goes ahead without them unless you move it';
  const nightly = async (options: { now?: Date } = {}): Promise<NightlyReport> => {
    const report = await runNightly(deps, options);
    if (report === 'busy') throw new Error('the nightly run was busy');
    return report;
  };

  describe('Every host’s calendar is watched and synced', () => {
    const liveChannels = (researcherId: string) =>
      stack.knex('calendar_channels').where({ researcher_id: researcherId, state: 'active' }).select('id');
    const syncToken = async (researcherId: string) =>
      (
        (await stack
          .knex('google_connections')
          .where({ researcher_id: researcherId })
          .first('sync_token')) as {
          sync_token: string | null;
        }
      ).sync_token;

    test('When a researcher of the team is a host, then their own connection already has a push channel and a sync token, and a colleague who connects later gets them too', async () => {
      for (const host of [ada, ben]) {
        expect(await liveChannels(host.researcherId)).toHaveLength(1);
        expect(await syncToken(host.researcherId)).toEqual(expect.any(String));
      }
      const cy = await signIn(stack, 'cy@example.com', 'Cy Later');
      await joinTeam(stack, ada, cy);
      await eventually(async () => (await liveChannels(cy.researcherId)).length === 1);
      await eventually(async () => (await syncToken(cy.researcherId)) !== null);
      expect(
        Object.values(stack.emulator.state.channels).filter((channel) => !channel.stoppedAt).length,
      ).toBeGreaterThanOrEqual(3);
    });

    test('When a host’s channel is gone, then their calendar is polled and a new channel opens, the organizer’s untouched', async () => {
      const [benChannel] = await liveChannels(ben.researcherId);
      const [adaChannel] = await liveChannels(ada.researcherId);
      await stack.knex('calendar_channels').where({ id: benChannel!.id }).update({ state: 'stopped' });

      const report = await pollCalendars(deps, { intervalMs: 0 });

      expect(report).toEqual({ polled: 1, channelsOpened: 1 });
      const [reopened] = await liveChannels(ben.researcherId);
      expect(reopened!.id).not.toBe(benChannel!.id);
      expect((await liveChannels(ada.researcherId)).map((channel) => channel.id)).toEqual([adaChannel!.id]);
      await settled();
    });

    test('When the nightly run is near every channel’s expiry, then it renews the channel of every host', async () => {
      const before = new Map<string, string>();
      for (const host of [ada, ben])
        before.set(host.researcherId, (await liveChannels(host.researcherId))[0]!.id);

      const report = await nightly({ now: new Date(Date.now() + 6 * DAY_MS) });

      expect(report.failures).toEqual([]);
      expect(report.channelsRenewed).toBeGreaterThanOrEqual(2);
      for (const host of [ada, ben]) {
        const now = await liveChannels(host.researcherId);
        expect(now).toHaveLength(1);
        expect(now[0]!.id).not.toBe(before.get(host.researcherId));
      }
    });
  });

  describe('Another host’s copy of the event', () => {
    test('When the event is booked, then the other host’s calendar holds a copy without our booking id, and syncing that calendar changes nothing', async () => {
      const interview = await collective();
      const copy = stack.emulator.state.calendars[ben.email]!.events[interview.eventId]!.resource;
      expect(copy.organizer.email).toBe(ada.email);
      expect(copy.extendedProperties?.private).toBeUndefined();
      const before = await booking(interview);

      const result = await syncCalendar(deps, ben.researcherId, {});
      const full = await stack
        .knex('google_connections')
        .where({ researcher_id: ben.researcherId })
        .update({ sync_token: null });
      expect(full).toBe(1);
      const resync = await syncCalendar(deps, ben.researcherId, {});

      expect(result.applied).toEqual([]);
      expect(resync).toMatchObject({ kind: 'full', applied: [] });
      expect(await booking(interview)).toEqual(before);
      expect((await participant(interview)).status).toBe('scheduled');
      expect(await hostEntries(interview)).toEqual([]);
    });

    test('When the other host’s busy time is read, then their copy of the interview is not counted twice (the booking holds them), but a copy of an interview they do not host is busy time', async () => {
      const hosted = await collective();
      const notHosted = await collective();
      // Ben only a guest of this one: no booking_hosts row of his.
      await stack
        .knex('booking_hosts')
        .where({ booking_id: notHosted.bookingId, researcher_id: ben.researcherId })
        .delete();
      const from = new Date(hosted.start.getTime() - 3600_000);
      const to = new Date(notHosted.end.getTime() + 3600_000);

      const load = () =>
        stack.features.access.withCalendar(ben.researcherId, (calendar) =>
          loadBusyEvents(stack.knex, calendar, from, to),
        );
      const fresh = await load();
      const cached = await load();

      for (const events of [fresh, cached]) {
        expect(events.map((event) => Date.parse(event.start))).toEqual([notHosted.start.getTime()]);
        expect(busyIntervals(events, 'busy', 'UTC')).toEqual([
          { start: notHosted.start, end: notHosted.end },
        ]);
      }
    });

    test('When the organizer moves the event, then the interview follows once (the host’s copy moving too is not a second move)', async () => {
      const interview = await collective();
      const to = new Date(interview.start.getTime() + 3600_000);

      await asGoogleUser(stack, eventPath(interview, ada.email, 'move'), { start: to.toISOString() });
      await settled();

      const now = await participant(interview);
      expect(now.status).toBe('scheduled');
      expect(new Date(now.scheduledStart!).getTime()).toBe(to.getTime());
      expect(now.history.filter((row) => row.kind === 'rescheduled')).toHaveLength(1);
      const hosts = await stack
        .knex('booking_hosts')
        .where({ booking_id: interview.bookingId })
        .select(stack.knex.raw('lower(during) as start'), 'live');
      expect(hosts.map((row) => [new Date(row.start).getTime(), row.live])).toEqual([
        [to.getTime(), true],
        [to.getTime(), true],
      ]);
      await syncCalendar(deps, ben.researcherId, {});
      expect((await participant(interview)).history.filter((row) => row.kind === 'rescheduled')).toHaveLength(
        1,
      );
    });

    test('When the organizer cancels the event, then the participant is Canceled Interview (calendar) and every host is free again', async () => {
      const interview = await collective();

      await asGoogleUser(stack, eventPath(interview, ada.email, 'cancel'));
      await settled();

      expect(await participant(interview)).toMatchObject({ status: 'canceled' });
      expect((await participant(interview)).history.at(-1)).toMatchObject({
        to: 'canceled',
        source: 'calendar',
      });
      expect(stack.emulator.state.calendars[ben.email]!.events[interview.eventId]!.resource.status).toBe(
        'cancelled',
      );
      const live = await stack
        .knex('booking_hosts')
        .where({ booking_id: interview.bookingId, live: true })
        .count<{ count: string }[]>('* as count');
      expect(Number(live[0]!.count)).toBe(0);
    });
  });

  describe('A host who declines', () => {
    test('When another host declines on their own calendar, then the interview goes ahead, the timeline says so and the console warns; accepting again clears the warning', async () => {
      const interview = await collective();

      await respond(interview, ben.email, 'declined');
      await settled();

      expect(await booking(interview)).toMatchObject({ state: 'confirmed' });
      expect((await participant(interview)).status).toBe('scheduled');
      expect(stack.emulator.state.calendars[ada.email]!.events[interview.eventId]!.resource.status).toBe(
        'confirmed',
      );
      expect(await hostEntries(interview)).toEqual(['Ben Host declined the interview invitation']);
      const declined = (await timeline(interview)).find((item) => item.kind === 'host_response')!;
      expect(declined.details).toMatchObject({ hostName: 'Ben Host', hostEmail: ben.email, to: 'declined' });
      expect(await page(`/participants/${interview.participantId}`)).toContain(BEN_DECLINED);
      expect(await page('/interviews/upcoming')).toContain(BEN_DECLINED);

      await respond(interview, ben.email, 'accepted');
      await settled();

      expect(await hostEntries(interview)).toEqual([
        'Ben Host accepted the interview invitation again',
        'Ben Host declined the interview invitation',
      ]);
      expect(await page(`/participants/${interview.participantId}`)).not.toContain(BEN_DECLINED);
      expect(await page('/interviews/upcoming')).not.toContain(BEN_DECLINED);
    });

    test('When the same decline is delivered again, then it is in the timeline once', async () => {
      const interview = await collective();
      await respond(interview, ben.email, 'declined');
      await settled();

      await stack
        .knex('google_connections')
        .where({ researcher_id: ada.researcherId })
        .update({ sync_token: null });
      await syncCalendar(deps, ada.researcherId, {});
      await nightly();

      expect(await hostEntries(interview)).toEqual(['Ben Host declined the interview invitation']);
    });

    test('When the participant declines, then the interview is cancelled as for any booking, whatever the hosts said', async () => {
      const interview = await collective();

      await respond(interview, interview.participantEmail, 'declined', ada.email);
      await settled();

      await eventually(
        async () =>
          stack.emulator.state.calendars[ada.email]!.events[interview.eventId]!.resource.status ===
          'cancelled',
        10_000,
      );
      expect((await participant(interview)).history.at(-1)).toMatchObject({
        to: 'canceled',
        source: 'participant',
      });
      expect(await booking(interview)).toMatchObject({ state: 'cancelled' });
      expect(await hostEntries(interview)).toEqual([]);
    });

    test('When the organizer takes a host off the event in Google Calendar, then the interview goes ahead and the console warns about it', async () => {
      const interview = await collective();

      await stack.features.access.withCalendar(ada.researcherId, ({ client }) =>
        client.patchEvent(
          ada.email,
          interview.eventId,
          { attendees: [{ email: ada.email }, { email: interview.participantEmail }] },
          { sendUpdates: 'all' },
        ),
      );
      await settled();

      expect((await participant(interview)).status).toBe('scheduled');
      expect(await hostEntries(interview)).toEqual([
        "Ben Host was taken off the interview's guest list in Google Calendar",
      ]);
      expect(await page(`/participants/${interview.participantId}`)).toContain(
        'Ben Host was taken off the event&#39;s guest list in Google Calendar: the interview goes ahead without them unless you move it',
      );
    });

    test('When Google dropped the notifications of a host’s decline, then the nightly run finds it and the console warns', async () => {
      const interview = await collective();
      await asGoogleUser(stack, '/faults', { dropPush: true });

      await respond(interview, ben.email, 'declined');
      await settled();
      expect(await hostEntries(interview)).toEqual([]);

      await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
      await nightly();

      expect(await hostEntries(interview)).toEqual(['Ben Host declined the interview invitation']);
      expect((await participant(interview)).status).toBe('scheduled');
      expect(await page('/interviews/upcoming')).toContain(BEN_DECLINED);
    });
  });
});
