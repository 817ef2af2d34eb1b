import { createSyncPacing } from '../../src/sync/sync-pacing';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookInterview, hoursFromNow } from './booked-interview';
import { asGoogleUser, eventPath, participantOf, pushesAndSyncsSettled } from './calendar-support';

describe('Sync pacing (the rule)', () => {
  test('When a calendar was never synced, then its sync may start at once', () => {
    const pacing = createSyncPacing(1_000);

    expect(pacing.startAfter('ada', 5_000)).toBeUndefined();
  });

  test('When a calendar was synced a moment ago, then its next sync starts a gap after that one', () => {
    const pacing = createSyncPacing(1_000);
    pacing.started('ada', 5_000);

    expect(pacing.startAfter('ada', 5_200)).toEqual(new Date(6_000));
    expect(pacing.startAfter('ada', 6_000)).toBeUndefined();
    expect(pacing.startAfter('ben', 5_200)).toBeUndefined();
  });

  test('When the gap is 0, then no sync waits', () => {
    const pacing = createSyncPacing(0);
    pacing.started('ada', 5_000);

    expect(pacing.startAfter('ada', 5_000)).toBeUndefined();
  });

  test('When many calendars were synced long ago, then they are forgotten and recent ones kept', () => {
    const pacing = createSyncPacing(1_000);
    for (let index = 0; index < 1_000; index += 1) pacing.started(`old-${index}`, 0);
    pacing.started('recent', 9_500);

    expect(pacing.startAfter('recent', 9_600)).toEqual(new Date(10_500));
    expect(pacing.startAfter('old-1', 9_600)).toBeUndefined();
  });
});

/** Google notifies every change; a calendar changing again right after a sync waits its turn. */
describe('Syncs caused by push notifications, paced per calendar', () => {
  const GAP_MS = 1_500;
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ env: { SYNC_MIN_GAP_MS: String(GAP_MS) } });
    researcher = await signIn(stack, 'edsger@lab.example', 'Edsger Dijkstra');
  });
  afterAll(() => stack.close());

  const syncJobs = async () =>
    (await stack
      .knex('pgboss.job')
      .where({ name: 'sync-calendar', singleton_key: researcher.researcherId })
      .orderBy('created_on')
      .select('created_on', 'start_after', 'started_on', 'completed_on')) as {
      created_on: Date;
      start_after: Date;
      started_on: Date | null;
      completed_on: Date | null;
    }[];

  test('When the calendar changes again right after a sync, then the next sync starts the gap after it and the change still reaches the status', async () => {
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(30) });
    await pushesAndSyncsSettled(stack);
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    const before = (await syncJobs()).length;

    // A change after a quiet spell: synced at once.
    const newStart = new Date(interview.start.getTime() + 3_600_000);
    await asGoogleUser(stack, eventPath(interview, 'move'), { start: newStart.toISOString() });
    await eventually(async () => {
      const view = await participantOf(stack, interview);
      return view.scheduledStart === newStart.toISOString() ? view : undefined;
    }, 5_000);
    // A second change right after that sync ran.
    await asGoogleUser(stack, eventPath(interview, 'cancel'));
    const participant = await eventually(async () => {
      const view = await participantOf(stack, interview);
      return view.status === 'canceled' ? view : undefined;
    }, 10_000);

    expect(participant.status).toBe('canceled');
    const jobs = (await syncJobs()).slice(before);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    const [quiet, paced] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
    expect(quiet.start_after.getTime() - quiet.created_on.getTime()).toBeLessThan(100);
    expect(quiet.started_on).not.toBeNull();
    expect(paced.start_after.getTime()).toBeGreaterThanOrEqual(quiet.started_on!.getTime() + GAP_MS);
    expect(paced.started_on!.getTime()).toBeGreaterThanOrEqual(paced.start_after.getTime());
  });
});
