/** The availability pure core: scheduling settings, and the free slots they leave. */
export * from './schema';
export { isValidTimeZone, timeZoneProblem } from './time-zone';
export {
  defaultSlotStepMinutes,
  resolveSchedulingRules,
  type BookingWindow,
  type SlotRules,
  type StoredSchedulingRules,
} from './rules';
export { mergeIntervals, type Interval } from './intervals';
export {
  checkSlot,
  computeSlots,
  countPerLocalDate,
  isSlotAvailable,
  type Slot,
  type SlotCheck,
  type SlotQuery,
  type SlotRefusal,
} from './slots';
export { localDateOf, type LocalDate } from './local-time';
export {
  explainSlot,
  slotQueryOfExplain,
  type ExplainQuery,
  type SlotExplanation,
  type SlotReason,
  type SlotReasonCode,
  type TitledInterval,
} from './explain-slot';
export {
  SCHEDULING_TYPES,
  type HostConnection,
  type HostFacts,
  type HostHours,
  type HostInput,
  type HostSlotQuery,
  type SchedulingType,
} from './hosts';
export { checkHostSlot, computeHostSlots, type HostSlotCheck, type HostSlots } from './host-slots';
export { pickRoundRobinHost, type RoundRobinStats } from './round-robin';
export {
  explainHostSlot,
  hostSlotQueryOfExplain,
  type HostExplainInput,
  type HostExplainQuery,
  type HostSlotExplanation,
  type HostSlotReason,
  type HostSlotReasonCode,
  type HostVerdict,
} from './explain-host-slot';
