import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookInterview, hoursFromNow, type BookedInterview } from './booked-interview';
import { asGoogleUser, eventPath, participantOf, pushesAndSyncsSettled } from './calendar-support';

/**
 * Issue 13: Google expires sync tokens at will. With the emulator invalidating them at
 * random (30 % of incremental lists, seeded so every run is the same), the 410 is met by a
 * full resync, and no change is lost on the way: each reaches its participant's status.
 */
describe('When Google invalidates sync tokens at random', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ emulator: { randomSeed: 13 } });
    researcher = await signIn(stack, 'ada@lab.example', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  const fullSyncs = async () =>
    (await syncMetricsFor(stack.features).syncRuns.get()).values
      .filter((value) => value.labels.kind === 'full' && value.labels.outcome === 'ok')
      .reduce((sum, value) => sum + value.value, 0);

  test('then every one of many changes still reaches its participant’s status', async () => {
    const interviews: BookedInterview[] = [];
    for (let i = 0; i < 12; i++) {
      interviews.push(await bookInterview(stack, researcher, { start: hoursFromNow(48 + 3 * i) }));
    }
    await pushesAndSyncsSettled(stack);
    const fullBefore = await fullSyncs();
    await asGoogleUser(stack, '/faults', { syncTokenInvalidationRate: 0.3 });

    // One change at a time, each its own push and incremental sync: a third of them find
    // the token gone. Moves, cancellations and declines in turn.
    const expected = new Map<string, { status: string; start?: string }>();
    for (const [index, interview] of interviews.entries()) {
      if (index % 3 === 0) {
        const start = new Date(interview.start.getTime() + 3600_000);
        await asGoogleUser(stack, eventPath(interview, 'move'), { start: start.toISOString() });
        expected.set(interview.participantId, { status: 'scheduled', start: start.toISOString() });
      } else if (index % 3 === 1) {
        await asGoogleUser(stack, eventPath(interview, 'cancel'));
        expected.set(interview.participantId, { status: 'canceled' });
      } else {
        await asGoogleUser(stack, eventPath(interview, 'respond'), {
          email: interview.participantEmail,
          responseStatus: 'declined',
        });
        expected.set(interview.participantId, { status: 'canceled' });
      }
      await pushesAndSyncsSettled(stack);
    }

    await eventually(async () => {
      for (const interview of interviews) {
        const seen = await participantOf(stack, interview);
        const want = expected.get(interview.participantId)!;
        if (seen.status !== want.status) return false;
        if (want.start && seen.scheduledStart !== want.start) return false;
      }
      return true;
    }, 20_000);
    // The draw did invalidate tokens along the way, and full resyncs picked the changes up.
    expect((await fullSyncs()) - fullBefore).toBeGreaterThanOrEqual(2);
    await asGoogleUser(stack, '/faults', { syncTokenInvalidationRate: 0 });
  }, 90_000);
});
