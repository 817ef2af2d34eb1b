/**
 * The emulator's notion of "now": a base clock plus an offset that the admin API can move
 * forward (or set), so tests can expire access tokens and channels without waiting.
 */
export interface Clock {
  now(): Date;
  nowMs(): number;
  advance(seconds: number): Date;
  set(to: Date): Date;
  /** Back to the base clock (used by reset). */
  resetOffset(): void;
}

export function createClock(base: () => Date = () => new Date()): Clock {
  let offsetMs = 0;
  const nowMs = () => base().getTime() + offsetMs;
  return {
    nowMs,
    now: () => new Date(nowMs()),
    advance(seconds) {
      offsetMs += seconds * 1000;
      return new Date(nowMs());
    },
    set(to) {
      offsetMs = to.getTime() - base().getTime();
      return new Date(nowMs());
    },
    resetOffset() {
      offsetMs = 0;
    },
  };
}
