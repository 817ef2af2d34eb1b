import type { Clock } from './clock';
import { settleConference, type WriteContext } from './events-store';
import type { Faults } from './faults';
import type { EmulatorLogger } from './logger';
import { failedConference, isPending, succeededConference } from './meet';
import type { EmulatorState } from './state';

/** The fault operation that makes the next Meet conference fail (only rules naming it). */
export const CONFERENCE_CREATE_OPERATION = 'conferences.create';

export interface MeetResolver {
  /** A conference was asked for: `delayMs` later it succeeds, or fails if a fault says so. */
  schedule(calendar: string, requestId: string): void;
  /** Schedules every conference still `pending` in the state (after loading a state file). */
  resumePending(): void;
  /** Forgets what is scheduled (reset, close). */
  cancelPending(): void;
}

/**
 * Google makes a Meet conference asynchronously (`pending`, then `success` or `failure`).
 * The emulator does the same after `delayMs` (0 still answers `pending` first: the outcome
 * is a later change of the event, which sync and push report as any other).
 */
export function createMeetResolver(deps: {
  state: EmulatorState;
  clock: Clock;
  faults: Faults;
  logger: EmulatorLogger;
  delayMs: number;
  notifyChange(calendar: string): void;
}): MeetResolver {
  const timers = new Set<NodeJS.Timeout>();

  const settle = async (calendarId: string, requestId: string) => {
    const failure = await deps.faults.before(CONFERENCE_CREATE_OPERATION, { namedOnly: true });
    const calendar = deps.state.calendars[calendarId];
    const pending = calendar?.conferences[requestId];
    if (!calendar || !pending || !isPending(pending)) return;
    const context: WriteContext = {
      state: deps.state,
      nowMs: deps.clock.nowMs(),
      notifyChange: deps.notifyChange,
    };
    settleConference(
      context,
      calendar,
      requestId,
      failure ? failedConference(pending) : succeededConference(pending),
    );
  };

  const resolver: MeetResolver = {
    schedule(calendar, requestId) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        settle(calendar, requestId).catch((error: unknown) =>
          deps.logger.error?.({ err: error, requestId }, 'meet conference could not be settled'),
        );
      }, deps.delayMs);
      timers.add(timer);
    },
    resumePending() {
      for (const [calendarId, calendar] of Object.entries(deps.state.calendars)) {
        for (const [requestId, conference] of Object.entries(calendar.conferences)) {
          if (isPending(conference)) resolver.schedule(calendarId, requestId);
        }
      }
    },
    cancelPending() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
  return resolver;
}
