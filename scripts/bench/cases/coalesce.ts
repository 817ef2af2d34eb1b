/**
 * `coalesce`: 10,000 push notifications over 100 calendars, each caused by a real change made
 * in the emulator as a calendar user would (moves, a decline, a cancellation), while the sync
 * workers run (issue 12). Counts the sync runs they cost, and checks afterwards that every
 * change reached its booking and its participant's status.
 */
import { waitUntil } from '../support/processes';
import { runAlone } from '../support/report';
import { startStack, type BenchStack } from '../support/stack';
import {
  emulatorPost,
  inParallel,
  metricTotal,
  seedInterviews,
  signInResearchers,
  type SeededInterview,
} from './seed-interviews';
import type { BenchCase } from './types';

const CALENDARS = 100;
const INTERVIEWS_PER_CALENDAR = 5;
const CHANGES_PER_CALENDAR = 100;
/** Calendars changed at the same time (each calendar's changes are made in order). */
const CONCURRENT_CALENDARS = 25;
const DAY_MS = 24 * 3600_000;

type Change =
  | { kind: 'move'; interview: SeededInterview; start: Date }
  | { kind: 'decline'; interview: SeededInterview }
  | { kind: 'cancel'; interview: SeededInterview };

interface Expected {
  interview: SeededInterview;
  state: 'confirmed' | 'cancelled';
  status: 'scheduled' | 'canceled';
  start: Date;
}

export async function run(): Promise<BenchCase> {
  const stack = await startStack();
  try {
    const researchers = await signInResearchers(stack, 'coalesce', CALENDARS);
    const tomorrow = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS + DAY_MS + 9 * 3600_000);
    const calendars = await inParallel(researchers, 8, (researcher) =>
      seedInterviews(stack, researcher, INTERVIEWS_PER_CALENDAR, tomorrow, DAY_MS),
    );
    await settled(stack, 120_000);
    const syncsBefore = await metricTotal(stack, 'calendar_syncs_total');
    const notificationsBefore = await metricTotal(stack, 'calendar_notifications_total');

    const plans = calendars.map(planChanges);
    const started = Date.now();
    await inParallel(plans, CONCURRENT_CALENDARS, async ({ changes }) => {
      for (const change of changes) await makeChange(stack, change);
    });
    const changeSeconds = (Date.now() - started) / 1000;
    await settled(stack, 300_000);
    const drainSeconds = (Date.now() - started) / 1000;

    const syncRuns = (await metricTotal(stack, 'calendar_syncs_total')) - syncsBefore;
    const notifications = (await metricTotal(stack, 'calendar_notifications_total')) - notificationsBefore;
    const lost = await changesLost(
      stack,
      plans.flatMap((plan) => plan.expected),
    );
    const changes = plans.reduce((sum, plan) => sum + plan.changes.length, 0);
    return {
      title: `Coalescing: ${changes} changes on ${CALENDARS} calendars (${CALENDARS * INTERVIEWS_PER_CALENDAR} interviews), sync workers running`,
      rows: [
        { label: 'changes made in the emulator', value: `${changes} in ${changeSeconds.toFixed(1)} s` },
        { label: 'notifications received', value: String(notifications), goal: '10,000' },
        { label: 'sync runs', value: String(syncRuns), goal: '≤ 300' },
        {
          label: 'from the first change until the service is quiet (a 1 s check)',
          value: `${drainSeconds.toFixed(1)} s`,
        },
        { label: 'changes lost (booking or status not as Google has it)', value: String(lost), goal: '0' },
      ],
      keys: {
        coalesce_notifications: notifications,
        coalesce_sync_runs: syncRuns,
        coalesce_changes_lost: lost,
      },
    };
  } finally {
    await stack.stop();
  }
}

/**
 * A calendar's changes, round-robin over its interviews: moves within the interview's day,
 * then a last change each — the first interview declined by the participant, the second
 * cancelled by the researcher, the others moved once more.
 */
function planChanges(interviews: readonly SeededInterview[]): { changes: Change[]; expected: Expected[] } {
  const changes: Change[] = [];
  const perInterview = CHANGES_PER_CALENDAR / interviews.length;
  const movedTo = (interview: SeededInterview, step: number) =>
    new Date(interview.start.getTime() + ((step % 8) + 1) * 15 * 60_000);
  for (let step = 0; step < perInterview - 1; step += 1) {
    for (const interview of interviews)
      changes.push({ kind: 'move', interview, start: movedTo(interview, step) });
  }
  const expected = interviews.map((interview, index): Expected => {
    if (index === 0) {
      changes.push({ kind: 'decline', interview });
      return {
        interview,
        state: 'cancelled',
        status: 'canceled',
        start: movedTo(interview, perInterview - 2),
      };
    }
    if (index === 1) {
      changes.push({ kind: 'cancel', interview });
      return {
        interview,
        state: 'cancelled',
        status: 'canceled',
        start: movedTo(interview, perInterview - 2),
      };
    }
    const start = new Date(interview.start.getTime() - 15 * 60_000);
    changes.push({ kind: 'move', interview, start });
    return { interview, state: 'confirmed', status: 'scheduled', start };
  });
  return { changes, expected };
}

async function makeChange(stack: BenchStack, change: Change): Promise<void> {
  const { calendarId, eventId, participantEmail } = change.interview;
  const event = `/calendars/${encodeURIComponent(calendarId)}/events/${encodeURIComponent(eventId)}`;
  if (change.kind === 'move') {
    const end = new Date(change.start.getTime() + 30 * 60_000);
    await emulatorPost(stack, `${event}/move`, {
      start: change.start.toISOString(),
      end: end.toISOString(),
    });
  } else if (change.kind === 'decline') {
    await emulatorPost(stack, `${event}/respond`, { email: participantEmail, responseStatus: 'declined' });
  } else {
    await emulatorPost(stack, `${event}/cancel`, {});
  }
}

/** No sync job waiting or running, twice half a second apart (a push may still be on its way). */
/**
 * Until the service is quiet: no job of any queue due (the syncs, and what they cause — a
 * declined interview's event is deleted by a job, and its push brings one more sync), and no
 * notification arrived for a second. Counting earlier would miss those last ones.
 */
async function settled(stack: BenchStack, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      if ((await jobsDue(stack)) > 0) return false;
      const notifications = await metricTotal(stack, 'calendar_notifications_total');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return (
        (await jobsDue(stack)) === 0 &&
        (await metricTotal(stack, 'calendar_notifications_total')) === notifications
      );
    },
    timeoutMs,
    'the service to be quiet',
  );
}

/** Jobs of every queue waiting, retrying or running, but for those due later than in a few seconds (reminders). */
async function jobsDue(stack: BenchStack): Promise<number> {
  const rows = await stack
    .knex('pgboss.job')
    .whereIn('state', ['created', 'retry', 'active'])
    .where('start_after', '<=', stack.knex.raw(`now() + interval '5 seconds'`))
    .count<{ count: string }[]>('* as count');
  return Number(rows[0]?.count ?? 0);
}

async function changesLost(stack: BenchStack, expected: readonly Expected[]): Promise<number> {
  const rows = (await stack
    .knex({ b: 'bookings' })
    .join({ p: 'participants' }, 'p.id', 'b.participant_id')
    .whereIn(
      'b.id',
      expected.map(({ interview }) => interview.bookingId),
    )
    .select('b.id', 'b.state', 'p.status', stack.knex.raw('lower(b.during) AS start'))) as {
    id: string;
    state: string;
    status: string;
    start: Date;
  }[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return expected.filter(({ interview, state, status, start }) => {
    const row = byId.get(interview.bookingId);
    if (!row || row.state !== state || row.status !== status) return true;
    // A cancelled booking keeps the times it had; only a live one must follow the event.
    return state === 'confirmed' && row.start.getTime() !== start.getTime();
  }).length;
}

if (require.main === module) runAlone(run);
