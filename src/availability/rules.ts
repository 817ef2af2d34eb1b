import { DEFAULT_HORIZON_DAYS, type SchedulingRules } from './schema';
import type { LocalDate } from './local-time';

/** Which dates a participant may book: rolling from now, or a fixed span of local dates. */
export type BookingWindow = { horizonDays: number } | { startDate: LocalDate; endDate: LocalDate };

/** The scheduling settings with every default applied, as `computeSlots` takes them. */
export interface SlotRules {
  durationMinutes: number;
  slotStepMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  window: BookingWindow;
  dailyLimit?: number;
}

/** Scheduling settings as validated or as stored (a database row has null where the API had nothing). */
export type StoredSchedulingRules = {
  [K in keyof SchedulingRules]: undefined extends SchedulingRules[K]
    ? SchedulingRules[K] | null
    : SchedulingRules[K];
};

/**
 * The step used when a study sets none: 30 minutes, or 15/10/5 for interviews shorter than
 * that. Start times then sit on tidy marks of the hour (:00, :30 …) as people expect, a long
 * interview still offers a choice every half hour instead of every 90 minutes, and a short
 * one can be booked back to back.
 */
export function defaultSlotStepMinutes(durationMinutes: number): number {
  return [30, 15, 10, 5].find((step) => step <= durationMinutes) ?? 5;
}

export function resolveSchedulingRules(rules: StoredSchedulingRules): SlotRules {
  const window: BookingWindow =
    rules.startDate != null && rules.endDate != null
      ? { startDate: rules.startDate, endDate: rules.endDate }
      : { horizonDays: rules.horizonDays ?? DEFAULT_HORIZON_DAYS };
  return {
    durationMinutes: rules.durationMinutes,
    slotStepMinutes: rules.slotStepMinutes ?? defaultSlotStepMinutes(rules.durationMinutes),
    bufferBeforeMinutes: rules.bufferBeforeMinutes,
    bufferAfterMinutes: rules.bufferAfterMinutes,
    minNoticeMinutes: rules.minNoticeMinutes,
    window,
    ...(rules.dailyLimit != null ? { dailyLimit: rules.dailyLimit } : {}),
  };
}
