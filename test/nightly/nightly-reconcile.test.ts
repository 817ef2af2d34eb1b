import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../src/google';
import { runNightly, type NightlyDeps, type NightlyReport } from '../../src/nightly/nightly-job';
import { withNightlyLock } from '../../src/nightly/nightly-lock';
import { formatNightlySummary } from '../../src/nightly/nightly-summary';
import { takeFreshSyncToken } from '../../src/sync/fresh-sync-token';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { api, bookInterview, hoursFromNow, type BookedInterview } from '../sync/booked-interview';
import {
  asGoogleUser,
  bookingRow,
  eventPath,
  participantOf,
  pushesAndSyncsSettled,
} from '../sync/calendar-support';

/** DESIGN 1.6: what the nightly run (and `npm run reconcile`) puts right. */
describe('Nightly reconciliation', () => {
  let stack: Stack;
  let researcher: SignedIn;
  let deps: NightlyDeps;
  let hours = 0;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'barbara@lab.example', 'Barbara Liskov');
    const { knex, access, logger, channels, queue } = stack.features;
    deps = { knex, access, logger, channels, queue, metrics: syncMetricsFor(stack.features) };
  });
  afterAll(() => stack.close());
  afterEach(async () => {
    await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
  });

  /** Upcoming by default; `{ past: true }` for one that has already taken place (a verdict needs it). */
  const booked = async (who = researcher, options: { past?: boolean } = {}): Promise<BookedInterview> => {
    hours += 3;
    const start = hoursFromNow(options.past ? -hours : 24 + hours);
    const interview = await bookInterview(stack, who, { start });
    await pushesAndSyncsSettled(stack);
    return interview;
  };
  const dropNotifications = () => asGoogleUser(stack, '/faults', { dropPush: true });
  const nightly = async (options: { now?: Date } = {}): Promise<NightlyReport> => {
    const report = await runNightly(deps, options);
    if (report === 'busy') throw new Error('the nightly run was busy');
    return report;
  };
  const fixedFor = (report: NightlyReport, interview: BookedInterview) =>
    report.fixed.filter((fixed) => fixed.bookingId === interview.bookingId).flatMap((fixed) => fixed.changes);

  test('When Google dropped every notification, then the reconcile run fixes every change and says so', async () => {
    const moved = await booked();
    const declined = await booked();
    const deleted = await booked();
    const noShow = await booked(researcher, { past: true });
    await api(stack, researcher, 'POST', `/api/participants/${noShow.participantId}/status`, {
      status: 'no_show',
    });
    await dropNotifications();
    const newStart = new Date(moved.start.getTime() + 3600_000);
    await asGoogleUser(stack, eventPath(moved, 'move'), { start: newStart.toISOString() });
    await asGoogleUser(stack, eventPath(declined, 'respond'), {
      email: declined.participantEmail,
      responseStatus: 'declined',
    });
    await asGoogleUser(stack, eventPath(deleted, 'cancel'));
    await asGoogleUser(stack, eventPath(noShow, 'cancel'));
    await pushesAndSyncsSettled(stack);
    expect((await participantOf(stack, declined)).status).toBe('scheduled');

    const report = await nightly();

    expect((await participantOf(stack, moved)).scheduledStart).toBe(newStart.toISOString());
    expect((await participantOf(stack, moved)).status).toBe('scheduled');
    expect((await participantOf(stack, declined)).status).toBe('canceled');
    expect((await participantOf(stack, deleted)).status).toBe('canceled');
    expect((await participantOf(stack, noShow)).status).toBe('no_show');
    expect((await bookingRow(stack, noShow)).state).toBe('cancelled');
    expect(fixedFor(report, moved)).toEqual(['rescheduled']);
    expect(fixedFor(report, declined)).toEqual(['canceled']);
    expect(fixedFor(report, deleted)).toEqual(['canceled']);
    expect(fixedFor(report, noShow)).toEqual(['booking']);
    expect(report.failures).toEqual([]);
    const summary = formatNightlySummary(report);
    expect(summary).toMatch(
      /Fixed: 4 bookings \(1 rescheduled, 2 canceled, 1 booking only \(status set by hand kept\)\)/,
    );
    expect(summary).toContain('Failures: 0');

    const again = await nightly();
    expect(again.fixed).toEqual([]);
  });

  test('When a change slipped past the sync token, then the check of upcoming bookings finds it', async () => {
    const interview = await booked();
    await dropNotifications();
    const newStart = new Date(interview.start.getTime() + 2 * 3600_000);
    await asGoogleUser(stack, eventPath(interview, 'move'), { start: newStart.toISOString() });
    // The stored position already lies after the move, so an incremental sync cannot see it.
    const token = await stack.features.access.withCalendar(
      researcher.researcherId,
      ({ client, calendarId }) => takeFreshSyncToken(client, calendarId),
    );
    await stack.knex('google_connections').where({ researcher_id: researcher.researcherId }).update({
      sync_token: token,
    });

    const report = await nightly();

    expect((await participantOf(stack, interview)).scheduledStart).toBe(newStart.toISOString());
    expect(fixedFor(report, interview)).toEqual(['rescheduled']);
    expect(report.bookingsVerified).toBeGreaterThanOrEqual(1);
  });

  test('When the event of a confirmed booking no longer exists in Google, then the participant is canceled', async () => {
    const interview = await booked();
    // A booking whose event Google never had (or purged): not in the listing, 404 on get.
    const ghostId = randomUUID();
    await stack
      .knex('bookings')
      .where({ id: interview.bookingId })
      .update({
        google_event_id: eventIdForBooking(ghostId),
      });

    const report = await nightly();

    expect((await participantOf(stack, interview)).status).toBe('canceled');
    expect((await participantOf(stack, interview)).history.at(-1)).toEqual(
      expect.objectContaining({ source: 'calendar', to: 'canceled' }),
    );
    expect(fixedFor(report, interview)).toEqual(['canceled']);
  });

  test('When an event was moved onto another interview, then the nightly run moves the booking once that slot is free', async () => {
    const first = await booked();
    const second = await booked();
    await asGoogleUser(stack, eventPath(first, 'move'), {
      start: second.start.toISOString(),
      end: second.end.toISOString(),
    });
    await pushesAndSyncsSettled(stack);
    expect((await bookingRow(stack, first)).start.toISOString()).toBe(first.start.toISOString());

    await asGoogleUser(stack, eventPath(second, 'cancel'));
    await eventually(async () => (await participantOf(stack, second)).status === 'canceled', 5000);
    const report = await nightly();

    expect((await participantOf(stack, first)).scheduledStart).toBe(second.start.toISOString());
    expect(fixedFor(report, first)).toEqual(['rescheduled']);
  });

  test('When a connection has no active channel and no sync token, then the run opens a channel and resyncs in full', async () => {
    const other = await signIn(stack, 'no-channel@lab.example');
    await stack.emulator.pushSettled();
    await stack
      .knex('calendar_channels')
      .where({ researcher_id: other.researcherId })
      .update({ state: 'stopped' });
    await stack
      .knex('google_connections')
      .where({ researcher_id: other.researcherId })
      .update({ sync_token: null });

    const report = await nightly();

    expect(report.channelsCreated).toBeGreaterThanOrEqual(1);
    expect(report.fullResyncs).toBeGreaterThanOrEqual(1);
    const active = await stack
      .knex('calendar_channels')
      .where({ researcher_id: other.researcherId, state: 'active' });
    expect(active).toHaveLength(1);
    expect(stack.emulator.state.channels[active[0].id]).toBeDefined();
    const connection = await stack
      .knex('google_connections')
      .where({ researcher_id: other.researcherId })
      .first();
    expect(connection.sync_token).not.toBeNull();
  });

  test('When a run is already going on, then another one steps aside', async () => {
    let release = () => {};
    const holding = withNightlyLock(stack.knex, () => new Promise<void>((resolve) => (release = resolve)));
    await eventually(async () => {
      const locks = await stack.knex.raw(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted`);
      return locks.rows.length > 0;
    });

    expect(await runNightly(deps)).toBe('busy');

    release();
    await holding;
    expect(await runNightly(deps)).not.toBe('busy');
  });
});
