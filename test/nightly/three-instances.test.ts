import { createGoogleEmulator, type GoogleEmulator } from '../../src/emulator';
import { enqueueNightly } from '../../src/nightly/nightly-worker';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  eventually,
  signIn,
  startStack,
  TEST_GOOGLE_CLIENT,
  type SignedIn,
  type Stack,
} from '../support/stack';
import { ALWAYS_OPEN, createStudy, emulatorEvents, invite, slotsFor } from '../bookings/support';
import { bookInterview, hoursFromNow } from '../sync/booked-interview';
import { asGoogleUser, eventPath, participantOf, waitForSyncsToFinish } from '../sync/calendar-support';
import { startShufflingProxy, type ShufflingProxy } from './shuffling-proxy';

/**
 * DESIGN 5: any number of instances share one database. Here three, behind a load balancer
 * that hands Google's notifications to a random instance each time.
 */
describe('Three service instances on one database', () => {
  let db: TestDatabase;
  let emulator: GoogleEmulator;
  let proxy: ShufflingProxy;
  const stacks: Stack[] = [];
  let researcher: SignedIn;
  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = createGoogleEmulator({
      autoApprove: true,
      allowHttpPushOnLoopback: true,
      clients: [TEST_GOOGLE_CLIENT],
      pushRetry: { initialDelayMs: 20, maxAttempts: 5, timeoutMs: 2000 },
    });
    await emulator.listen(0);
    const targets: string[] = [];
    proxy = await startShufflingProxy(targets);
    for (let index = 0; index < 3; index++) {
      stacks.push(
        await startStack({
          db,
          sharedEmulator: emulator,
          separatePool: true,
          env: { PUBLIC_URL: proxy.url },
        }),
      );
    }
    targets.push(...stacks.map((stack) => stack.localUrl));
    researcher = await signIn(first(), 'margaret@lab.example', 'Margaret Hamilton');
  });
  afterAll(async () => {
    for (const stack of stacks) await stack.close();
    await proxy.close();
    await emulator.close();
    await db.drop();
  });

  const first = () => stacks[0] as Stack;
  const webhookHits = () =>
    stacks.map(
      (stack) =>
        proxy.forwarded.filter(
          (request) => request.target === stack.localUrl && request.path === '/webhooks/google/calendar',
        ).length,
    );

  test('When notifications land on random instances, then each change is applied exactly once', async () => {
    const moved = await bookInterview(first(), researcher, { start: hoursFromNow(30) });
    const declined = await bookInterview(first(), researcher, { start: hoursFromNow(33) });
    const deleted = await bookInterview(first(), researcher, { start: hoursFromNow(36) });
    await emulator.pushSettled();
    const hitsBefore = webhookHits();

    const newStart = new Date(moved.start.getTime() + 3600_000);
    await asGoogleUser(first(), eventPath(moved, 'move'), { start: newStart.toISOString() });
    await asGoogleUser(first(), eventPath(declined, 'respond'), {
      email: declined.participantEmail,
      responseStatus: 'declined',
    });
    await asGoogleUser(first(), eventPath(deleted, 'cancel'));
    for (const hour of [50, 52, 54]) {
      await asGoogleUser(first(), `/calendars/${encodeURIComponent(researcher.email)}/events`, {
        summary: 'Unrelated meeting',
        start: hoursFromNow(hour).toISOString(),
        end: hoursFromNow(hour + 1).toISOString(),
      });
    }

    await eventually(async () => {
      const views = await Promise.all([moved, declined, deleted].map((one) => participantOf(first(), one)));
      return (
        views[0]?.scheduledStart === newStart.toISOString() &&
        views[1]?.status === 'canceled' &&
        views[2]?.status === 'canceled'
      );
      // A bound on correctness, not a speed test: three instances syncing on a loaded machine.
    }, 20_000);
    // The decline deletes its event at Google (one more change, one more notification).
    await eventually(
      async () =>
        emulator.state.calendars[researcher.email]?.events[declined.eventId]?.resource.status === 'cancelled',
      10_000,
    );
    await emulator.pushSettled();
    await waitForSyncsToFinish(first());

    const history = async (one: typeof moved) => (await participantOf(first(), one)).history;
    expect((await history(moved)).filter((row) => row.kind === 'rescheduled')).toHaveLength(1);
    expect((await history(declined)).filter((row) => row.to === 'canceled')).toHaveLength(1);
    expect((await history(deleted)).filter((row) => row.to === 'canceled')).toHaveLength(1);
    // Seven notifications in a row (six changes and the declined event's deletion) reach
    // every one of the three instances.
    const received = webhookHits().map((hits, index) => hits - (hitsBefore[index] ?? 0));
    expect(received.reduce((sum, hits) => sum + hits, 0)).toBe(7);
    expect(received.every((hits) => hits > 0)).toBe(true);
  });

  test('When every instance requests the nightly run for the same night, then it runs once', async () => {
    const slot = new Date('2030-01-15T03:00:00Z');
    const runs = async (outcome: string) => {
      let total = 0;
      for (const stack of stacks) {
        const { values } = await syncMetricsFor(stack.features).nightlyRuns.get();
        total += values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
      }
      return total;
    };

    // All three cron timers fire together…
    await Promise.all(stacks.map((stack) => enqueueNightly(stack.queue, slot)));
    await eventually(async () => (await runs('ran')) === 1, 10_000);
    // …and one instance's timer fires late, after the run is over.
    await enqueueNightly(stacks[2]?.queue ?? first().queue, new Date(slot.getTime() + 20_000));
    await eventually(async () => {
      const live = await first()
        .knex('pgboss.job')
        .where({ name: 'nightly-reconcile' })
        .whereIn('state', ['created', 'retry', 'active']);
      return live.length === 0;
    }, 10_000);

    expect(await runs('ran')).toBe(1);
    expect(await runs('skipped')).toBeGreaterThanOrEqual(1);
  });

  test('When 45 participants race for 15 slots through three instances at once, then each slot is booked once, with one event and one invitation, and nobody twice', async () => {
    const study = await createStudy(first(), researcher, { ...ALWAYS_OPEN, title: 'Race study' });
    const people = await invite(first(), researcher, study.id, 45, 'race');
    const slots = (await slotsFor(first(), people[0]!.token)).slice(40, 55);
    expect(slots).toHaveLength(15);

    const answers = await Promise.all(
      people.map(async (person, index) => {
        const instance = stacks[index % 3]!;
        const answer = await fetch(`${instance.localUrl}/api/booking/${person.token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ start: slots[index % 15]!.start }),
        });
        return { person, status: answer.status };
      }),
    );

    const booked = answers.filter((answer) => answer.status === 201);
    expect(booked).toHaveLength(15);
    expect(answers.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
    // Every booking finished (event inserted, confirmed), whichever instance's worker ran it.
    await eventually(async () => {
      const rows = await first()
        .knex('bookings')
        .whereIn(
          'participant_id',
          booked.map((answer) => answer.person.id),
        );
      return rows.length === 15 && rows.every((row: { state: string }) => row.state === 'confirmed');
    }, 20_000);
    await emulator.pushSettled();
    await waitForSyncsToFinish(first());

    const rows = (await first()
      .knex('bookings')
      .whereIn(
        'participant_id',
        people.map((person) => person.id),
      )
      .whereNot({ state: 'cancelled' })) as { id: string; participant_id: string; google_event_id: string }[];
    expect(rows).toHaveLength(15);
    expect(new Set(rows.map((row) => row.participant_id)).size).toBe(15);
    const { events, invitations } = await emulatorEvents(first(), researcher.email);
    const ours = events.filter((event) => rows.some((row) => row.google_event_id === event.id));
    expect(ours).toHaveLength(15);
    expect(new Set(ours.map((event) => event.start?.dateTime)).size).toBe(15);
    for (const row of rows) {
      const person = people.find((one) => one.id === row.participant_id)!;
      const sent = invitations.filter(
        (invitation) => invitation.eventId === row.google_event_id && invitation.to === person.email,
      );
      expect(sent.map((invitation) => invitation.kind)).toEqual(['invitation']);
    }
    const statuses = await first()
      .knex('participants')
      .whereIn(
        'id',
        people.map((person) => person.id),
      )
      .pluck('status');
    expect(statuses.filter((status: string) => status === 'scheduled')).toHaveLength(15);
    expect(statuses.filter((status: string) => status === 'invited')).toHaveLength(30);
  }, 60_000);
});
