import { pollCalendars } from '../../src/sync/poll-calendars';
import { syncCalendar } from '../../src/sync/sync-calendar';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookInterview, hoursFromNow, type BookedInterview } from './booked-interview';
import { asGoogleUser, eventPath, participantOf, pushesAndSyncsSettled } from './calendar-support';

const POLL_INTERVAL_MS = 5 * 60_000;
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

interface MeView {
  google: { state: string; push: { state: string; reason: string | null; expiresAt: string | null } };
}

async function me(stack: Stack, who: SignedIn): Promise<MeView> {
  return (await (await fetch(`${stack.url}/api/me`, { headers: who.auth })).json()) as MeView;
}

function pollDeps(stack: Stack) {
  const { knex, logger, access, queue, channels } = stack.features;
  return { knex, logger, access, queue, channels };
}

async function moveBy(stack: Stack, interview: BookedInterview, hours: number): Promise<string> {
  const start = new Date(interview.start.getTime() + hours * 3600_000);
  await asGoogleUser(stack, eventPath(interview, 'move'), {
    start: start.toISOString(),
    end: new Date(start.getTime() + 30 * 60_000).toISOString(),
  });
  return start.toISOString();
}

/** Google as it is: http push addresses are refused, even on loopback. */
describe('Push refused by Google (http PUBLIC_URL)', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ emulator: { allowHttpPushOnLoopback: false } });
    researcher = await signIn(stack, 'lovelace@lab.example', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  test('When the watch is refused with push.webhookUrlNotHttps, then connecting succeeds, the sync token is stored and /api/me shows push unavailable and why', async () => {
    const view = await me(stack, researcher);
    expect(view.google.state).toBe('connected');
    expect(view.google.push).toEqual({
      state: 'unavailable',
      reason: expect.stringContaining('push.webhookUrlNotHttps'),
      expiresAt: null,
    });
    const connection = await stack
      .knex('google_connections')
      .where({ researcher_id: researcher.researcherId })
      .first('sync_token');
    expect(connection?.sync_token).toEqual(expect.any(String));
    expect(await stack.knex('calendar_channels').where({ researcher_id: researcher.researcherId })).toEqual(
      [],
    );
  });

  test('When push is unavailable, then the settings and home pages say so, why, and how often changes arrive instead', async () => {
    for (const path of ['/settings', '/']) {
      const page = await (
        await fetch(`${stack.url}${path}`, { headers: { cookie: researcher.cookie } })
      ).text();
      expect(page).toContain('data-push-state="unavailable"');
      expect(page).toContain('<strong>Push notifications are not active</strong>');
      expect(page).toContain('push.webhookUrlNotHttps');
      expect(page).toMatch(/within 5 minutes instead/);
    }
  });

  test('When the calendar changes, then no notification comes, and the poll tick brings the change to the participant status, once per interval', async () => {
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(30) });
    const newStart = await moveBy(stack, interview, 2);
    await pushesAndSyncsSettled(stack);
    expect((await participantOf(stack, interview)).scheduledStart).toBe(interview.start.toISOString());

    // A tick one interval on: the calendar is due whatever the stack's own timer did meanwhile.
    const now = minutesFromNow(6);
    const report = await pollCalendars(pollDeps(stack), { intervalMs: POLL_INTERVAL_MS }, now);
    expect(report.polled).toBeGreaterThanOrEqual(1);
    const participant = await eventually(async () => {
      const seen = await participantOf(stack, interview);
      return seen.scheduledStart === newStart ? seen : undefined;
    }, 10_000);
    expect(participant.status).toBe('scheduled');

    // The watch was refused an hour ago at most: not tried again yet, and polled once only.
    expect(report.channelsOpened).toBe(0);
    expect(await pollCalendars(pollDeps(stack), { intervalMs: POLL_INTERVAL_MS }, now)).toEqual({
      polled: 0,
      channelsOpened: 0,
    });
  });

  test('When /metrics is read, then connected calendars are counted by push state', async () => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toContain('# TYPE calendar_push_calendars gauge');
    expect(text).toMatch(/calendar_push_calendars\{state="unavailable"\} 1\b/);
    expect(text).toMatch(/calendar_push_calendars\{state="live"\} 0\b/);
  });
});

/** Google may stop a channel at any time and says nothing: the service must notice. */
describe('A channel Google stopped', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'hopper@lab.example', 'Grace Hopper');
  });
  afterAll(() => stack.close());

  test('When a sync finds a change the channel never announced, then push is unavailable, polling takes over, and a new channel ends polling', async () => {
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(30) });
    await pushesAndSyncsSettled(stack);
    expect((await me(stack, researcher)).google.push.state).toBe('live');
    const [channel] = await stack
      .knex('calendar_channels')
      .where({ researcher_id: researcher.researcherId, state: 'active' });
    expect(
      await fetch(`${stack.emulatorUrl}/_emulator/channels/${channel.id}/stop`, { method: 'POST' }),
    ).toMatchObject({ status: 200 });

    // Later (emulator clock), the researcher moves the interview: Google sends nothing.
    await asGoogleUser(stack, '/clock', { advanceSeconds: 120 });
    const firstMove = await moveBy(stack, interview, 2);
    await pushesAndSyncsSettled(stack);
    expect((await participantOf(stack, interview)).scheduledStart).toBe(interview.start.toISOString());

    // A sync not caused by a notification (the nightly run's) sees the unannounced change.
    const deps = { ...pollDeps(stack), metrics: syncMetricsFor(stack.features) };
    await syncCalendar(deps, researcher.researcherId, { now: minutesFromNow(14) });
    expect((await participantOf(stack, interview)).scheduledStart).toBe(firstMove);
    expect((await me(stack, researcher)).google.push).toMatchObject({
      state: 'unavailable',
      reason: expect.stringContaining('Google stopped sending notifications'),
    });

    // Polling: a new watch fails once, so the next change comes by the poll tick.
    await asGoogleUser(stack, '/faults', { operation: 'events.watch', status: 503, count: 1 });
    const secondMove = await moveBy(stack, interview, 4);
    const polled = await pollCalendars(pollDeps(stack), { intervalMs: POLL_INTERVAL_MS }, minutesFromNow(15));
    expect(polled).toEqual({ polled: 1, channelsOpened: 0 });
    await eventually(
      async () => (await participantOf(stack, interview)).scheduledStart === secondMove,
      10_000,
    );
    expect((await me(stack, researcher)).google.push.state).toBe('unavailable');

    // An hour on, the renewal gets a channel: push is live again and polling ends.
    const renewed = await pollCalendars(
      pollDeps(stack),
      { intervalMs: POLL_INTERVAL_MS },
      minutesFromNow(90),
    );
    expect(renewed).toEqual({ polled: 1, channelsOpened: 1 });
    expect((await me(stack, researcher)).google.push).toMatchObject({ state: 'live', reason: null });
    expect(
      await pollCalendars(pollDeps(stack), { intervalMs: POLL_INTERVAL_MS }, minutesFromNow(200)),
    ).toEqual({ polled: 0, channelsOpened: 0 });
  });
});
