import { DAY_MS, MINUTE_MS, offsetsAround, resolveWithOffsets, type OffsetChange } from './local-time';

/**
 * One calendar day in a time zone, turning wall-clock minutes of that day into instants.
 *
 * The zone is asked (through Intl, the slow part) only for the offsets around the day and,
 * on a day the clocks change, for the instant they change; every minute after that is
 * arithmetic. The same rules as `resolveWallTime` apply to gaps and repeated times.
 */
export class LocalDay {
  private readonly offsets: OffsetChange;

  constructor(
    timeZone: string,
    /** Local midnight of the day, as a wall time (UTC ms of the same clock reading). */
    readonly wallMidnight: number,
  ) {
    // From noon, 1.5 days either side covers every instant of the day in any offset (−12 h to +14 h).
    this.offsets = offsetsAround(timeZone, wallMidnight + DAY_MS / 2, 1.5 * DAY_MS);
  }

  /**
   * The instant a window boundary stands for: a minute inside a spring-forward gap is the
   * moment the clocks jumped, a repeated minute its first occurrence. Minute 1440 (24:00) is
   * the next midnight.
   */
  boundary(minute: number): number {
    return resolveWithOffsets(this.offsets, this.wallMidnight + minute * MINUTE_MS).instant;
  }

  /**
   * The instant of a slot starting at this wall minute, or undefined when the clocks skip
   * it: a start time that nobody's clock shows is not offered (moving it to the end of the
   * gap would collide with the next regular start time).
   */
  startAt(minute: number): number | undefined {
    const resolved = resolveWithOffsets(this.offsets, this.wallMidnight + minute * MINUTE_MS);
    return resolved.kind === 'gap' ? undefined : resolved.instant;
  }
}
