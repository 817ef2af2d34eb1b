import { findConnection } from '../../src/connections/connection-repository';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookInterview, hoursFromNow } from './booked-interview';
import {
  asGoogleUser,
  bookingRow,
  eventPath,
  participantOf,
  pushesAndSyncsSettled,
  waitForSyncsToFinish,
} from './calendar-support';

/** DESIGN 1.4: the sync job's answers to what Google throws at it. */
describe('Calendar sync recovers', () => {
  let stack: Stack;
  let researcher: SignedIn;
  let slot = 0;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'ada@lab.example', 'Ada Lovelace');
  });
  afterAll(() => stack.close());
  afterEach(async () => {
    await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
  });

  const booked = async () => {
    slot += 3;
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(48 + slot) });
    await pushesAndSyncsSettled(stack);
    return interview;
  };
  const syncToken = async (who = researcher) =>
    (await findConnection(stack.knex, who.researcherId))?.syncToken ?? null;

  test('When Google invalidates the sync token, then a full resync applies every change and stores a fresh token', async () => {
    const moved = await booked();
    const declined = await booked();
    const tokenBefore = await syncToken();
    await asGoogleUser(stack, '/sync-tokens/invalidate', { calendarId: researcher.email });

    const newStart = new Date(moved.start.getTime() + 3600_000);
    await asGoogleUser(stack, eventPath(moved, 'move'), { start: newStart.toISOString() });
    await asGoogleUser(stack, eventPath(declined, 'respond'), {
      email: declined.participantEmail,
      responseStatus: 'declined',
    });

    await eventually(async () => {
      const [a, b] = [await participantOf(stack, moved), await participantOf(stack, declined)];
      return a.scheduledStart === newStart.toISOString() && b.status === 'canceled';
    }, 5000);
    await waitForSyncsToFinish(stack);
    expect(await syncToken()).not.toBe(tokenBefore);
    const runs = (await syncMetricsFor(stack.features).syncRuns.get()).values;
    expect(runs).toContainEqual(expect.objectContaining({ labels: { kind: 'full', outcome: 'ok' } }));
    expect(
      (await participantOf(stack, moved)).history.filter((row) => row.kind === 'rescheduled'),
    ).toHaveLength(1);

    // The fresh token works: the next change comes incrementally.
    await asGoogleUser(stack, eventPath(moved, 'cancel'));
    await eventually(async () => (await participantOf(stack, moved)).status === 'canceled', 5000);
  });

  test('When the connection has no sync token, then the next notification resyncs in full and stores one', async () => {
    const interview = await booked();
    await stack.knex('google_connections').where({ researcher_id: researcher.researcherId }).update({
      sync_token: null,
    });

    await asGoogleUser(stack, eventPath(interview, 'cancel'));

    await eventually(async () => (await participantOf(stack, interview)).status === 'canceled', 5000);
    await eventually(async () => (await syncToken()) !== null, 5000);
  });

  test('When Google rate-limits the listing, then the sync backs off and still applies the change', async () => {
    const interview = await booked();
    await asGoogleUser(stack, '/faults', {
      status: 429,
      reason: 'rateLimitExceeded',
      count: 2,
      operation: 'events.list',
    });
    const newStart = new Date(interview.start.getTime() + 3600_000);

    await asGoogleUser(stack, eventPath(interview, 'move'), { start: newStart.toISOString() });

    await eventually(
      async () => (await participantOf(stack, interview)).scheduledStart === newStart.toISOString(),
      8000,
    );
    const faults = (await (await fetch(`${stack.emulatorUrl}/_emulator/faults`)).json()) as {
      rules: unknown[];
    };
    expect(faults.rules).toEqual([]);
  });

  test('When the event is moved onto another interview, then the booking keeps its time until that slot is free', async () => {
    const first = await booked();
    const second = await booked();

    await asGoogleUser(stack, eventPath(first, 'move'), {
      start: second.start.toISOString(),
      end: second.end.toISOString(),
    });
    await pushesAndSyncsSettled(stack);

    const row = await bookingRow(stack, first);
    expect(row.start.toISOString()).toBe(first.start.toISOString());
    expect(row.state).toBe('confirmed');
    expect(
      (await participantOf(stack, first)).history.filter((entry) => entry.kind === 'rescheduled'),
    ).toEqual([]);
  });

  test('When the researcher revoked access at Google, then the next notification marks the connection revoked', async () => {
    const other = await signIn(stack, 'revoking@lab.example');
    const interview = await bookInterview(stack, other, { start: hoursFromNow(100) });
    await pushesAndSyncsSettled(stack);

    await asGoogleUser(stack, `/users/${encodeURIComponent(other.email)}/revoke`);
    await asGoogleUser(stack, eventPath(interview, 'cancel'));

    const me = await eventually(async () => {
      const answer = (await (await fetch(`${stack.url}/api/me`, { headers: other.auth })).json()) as {
        google: { state: string } | null;
      };
      return answer.google?.state === 'revoked' ? answer : undefined;
    }, 5000);
    expect(me.google?.state).toBe('revoked');
    expect(await syncToken(other)).toBeNull();
  });
});
