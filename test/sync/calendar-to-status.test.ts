import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { api, bookInterview, hoursFromNow, type BookedInterview } from './booked-interview';
import {
  asGoogleUser,
  bookingRow,
  eventPath,
  participantOf,
  pushesAndSyncsSettled,
  waitForSyncsToFinish,
} from './calendar-support';

/** DESIGN 1.4 and 1.5 end to end: a change in Google Calendar reaches the status by push. */
describe('Calendar changes reach the participant status', () => {
  let stack: Stack;
  let researcher: SignedIn;
  let slot = 0;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'grace@lab.example', 'Grace Hopper');
  });
  afterAll(() => stack.close());

  /** Each test gets its own interview, a few hours apart from the others. */
  async function booked(): Promise<BookedInterview> {
    slot += 3;
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(24 + slot) });
    await stack.emulator.pushSettled();
    return interview;
  }

  test('When the researcher moves the event, then within 5 s the interview has the new time, the status stays scheduled and the history has a rescheduled row', async () => {
    const interview = await booked();
    const newStart = new Date(interview.start.getTime() + 2 * 3600_000);
    const newEnd = new Date(newStart.getTime() + 45 * 60_000);

    await asGoogleUser(stack, eventPath(interview, 'move'), {
      start: newStart.toISOString(),
      end: newEnd.toISOString(),
    });

    const participant = await eventually(async () => {
      const view = await participantOf(stack, interview);
      return view.scheduledStart === newStart.toISOString() ? view : undefined;
    }, 5000);
    expect(participant.status).toBe('scheduled');
    expect(participant.scheduledEnd).toBe(newEnd.toISOString());
    expect(participant.history.filter((row) => row.kind === 'rescheduled')).toEqual([
      expect.objectContaining({
        to: 'scheduled',
        source: 'calendar',
        details: expect.objectContaining({
          fromStart: interview.start.toISOString(),
          toStart: newStart.toISOString(),
          toEnd: newEnd.toISOString(),
        }),
      }),
    ]);
  });

  test('When the participant declines the invitation, then within 5 s the status is canceled by the participant and the slot is free', async () => {
    const interview = await booked();

    await asGoogleUser(stack, eventPath(interview, 'respond'), {
      email: interview.participantEmail,
      responseStatus: 'declined',
    });

    const participant = await eventually(async () => {
      const view = await participantOf(stack, interview);
      return view.status === 'canceled' ? view : undefined;
    }, 5000);
    expect(participant.history.at(-1)).toEqual(
      expect.objectContaining({ kind: 'status', from: 'scheduled', to: 'canceled', source: 'participant' }),
    );
    expect((await bookingRow(stack, interview)).state).toBe('cancelled');
  });

  test('When the researcher deletes the event, then within 5 s the status is canceled by the calendar', async () => {
    const interview = await booked();

    await asGoogleUser(stack, eventPath(interview, 'cancel'));

    const participant = await eventually(async () => {
      const view = await participantOf(stack, interview);
      return view.status === 'canceled' ? view : undefined;
    }, 5000);
    expect(participant.history.at(-1)).toEqual(
      expect.objectContaining({ from: 'scheduled', to: 'canceled', source: 'calendar' }),
    );
    expect(participant.scheduledStart).toBeNull();
  });

  test('When a researcher marked a no-show and then deletes the event, then within 5 s the booking is cancelled but the status stays no_show', async () => {
    // A verdict needs an interview that has started: this one began two hours ago.
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(-2) });
    await stack.emulator.pushSettled();
    await api(stack, researcher, 'POST', `/api/participants/${interview.participantId}/status`, {
      status: 'no_show',
      reason: 'did not join',
    });

    await asGoogleUser(stack, eventPath(interview, 'cancel'));

    await eventually(async () => (await bookingRow(stack, interview)).state === 'cancelled', 5000);
    const participant = await participantOf(stack, interview);
    expect(participant.status).toBe('no_show');
    expect(participant.history.filter((row) => row.source === 'calendar')).toEqual([]);
  });

  test('When the same change is notified many times, then it is applied once', async () => {
    const interview = await booked();
    const newStart = new Date(interview.start.getTime() + 3600_000);
    await asGoogleUser(stack, eventPath(interview, 'move'), { start: newStart.toISOString() });
    await eventually(
      async () => (await participantOf(stack, interview)).scheduledStart === newStart.toISOString(),
      5000,
    );

    // Google redelivers and bursts; every notification leads to a sync of the same change.
    for (let index = 0; index < 3; index++) {
      await asGoogleUser(stack, '/calendars/' + encodeURIComponent(interview.calendarId) + '/events', {
        summary: `Unrelated meeting ${index}`,
        start: hoursFromNow(200 + index).toISOString(),
        end: hoursFromNow(201 + index).toISOString(),
      });
    }
    await pushesAndSyncsSettled(stack);

    const history = (await participantOf(stack, interview)).history;
    expect(history.filter((row) => row.kind === 'rescheduled')).toHaveLength(1);
  });

  test('When notifications lead to syncs, then the lag from notification to applied change is measured', async () => {
    await waitForSyncsToFinish(stack);
    const { values } = await syncMetricsFor(stack.features).syncLagSeconds.get();
    const count = values.find((value) => value.metricName === 'calendar_sync_lag_seconds_count')?.value ?? 0;
    const within5s = values.find((value) => value.labels.le === 5)?.value ?? 0;

    expect(count).toBeGreaterThan(0);
    expect(within5s).toBe(count);
  });

  test('When an event that is not an interview changes, then no participant changes', async () => {
    const interview = await booked();
    // The invitation email's delivery goes on meanwhile; it is no part of what the calendar changes.
    const withoutEmails = async () => ({
      ...(await participantOf(stack, interview)),
      emails: 'not compared',
    });
    const before = await withoutEmails();

    await asGoogleUser(stack, '/calendars/' + encodeURIComponent(interview.calendarId) + '/events', {
      summary: 'Team lunch',
      start: interview.start.toISOString(),
      end: interview.end.toISOString(),
    });
    await pushesAndSyncsSettled(stack);

    expect(await withoutEmails()).toEqual(before);
  });
});
