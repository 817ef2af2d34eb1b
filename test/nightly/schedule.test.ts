import { formatInTimeZone } from 'date-fns-tz';
import type { ScheduledTask } from 'node-cron';
import type { JobQueue } from '../../src/jobs/queue';
import { createLogger } from '../../src/logger';
import { nightlySlot } from '../../src/nightly/nightly-slots';
import { scheduleNightly } from '../../src/nightly/schedule';

/** The queue is never reached here: no test waits until the next scheduled run. */
const deps = { queue: {} as JobQueue, logger: createLogger('silent') };

describe('The nightly schedule', () => {
  const tasks: ScheduledTask[] = [];
  afterEach(async () => {
    for (const task of tasks.splice(0)) await task.destroy();
  });
  const schedule = (cron: string, timeZone: string) => {
    const task = scheduleNightly(deps, { cron, timeZone });
    if (task) tasks.push(task);
    return task;
  };

  test('When nothing is configured, then the run is due at the next 03:00 UTC', () => {
    const next = schedule('0 3 * * *', 'UTC')?.getNextRun();

    expect(next?.toISOString()).toMatch(/T03:00:00\.000Z$/);
    expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
  });

  test('When a time zone is configured, then the cron time is read in that zone', () => {
    const next = schedule('30 2 * * *', 'Europe/Berlin')?.getNextRun();

    expect(formatInTimeZone(next!, 'Europe/Berlin', 'HH:mm')).toBe('02:30');
  });

  test('When NIGHTLY_CRON is off, then this instance schedules nothing', () => {
    expect(schedule('off', 'UTC')).toBeUndefined();
  });

  test('When NIGHTLY_CRON is not a cron expression, then the start fails naming it', () => {
    expect(() => schedule('every night', 'UTC')).toThrow(/NIGHTLY_CRON/);
  });

  test('Every instance names the same slot for one scheduled time, to the minute', () => {
    expect(nightlySlot(new Date('2030-01-15T03:00:00.000Z'))).toBe('2030-01-15T03:00Z');
    expect(nightlySlot(new Date('2030-01-15T03:00:59.999Z'))).toBe('2030-01-15T03:00Z');
  });
});
