/** A half-open span of real time [start, end): touching intervals do not overlap. */
export interface Interval {
  start: Date;
  end: Date;
}

/** The same span in UTC milliseconds, for the hot loops. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The union of intervals, sorted, with overlapping and touching ones joined and empty ones
 * dropped. Busy time from Google and from other bookings can be passed in any order.
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  return mergeSpans(intervals.map(spanOf)).map((span) => ({
    start: new Date(span.start),
    end: new Date(span.end),
  }));
}

export function spanOf(interval: Interval): Span {
  const span = { start: interval.start.getTime(), end: interval.end.getTime() };
  // A NaN here would silently compare false and hide busy time, offering a taken slot.
  if (Number.isNaN(span.start) || Number.isNaN(span.end))
    throw new RangeError('Interval with an invalid date');
  return span;
}

export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Answers "is [start, end) free?" for queries whose starts never decrease, against merged
 * busy spans, with a pointer that only moves forward: the whole sweep is linear in slots
 * plus busy spans instead of their product.
 */
export class BusySweep {
  private next = 0;

  constructor(private readonly merged: readonly Span[]) {}

  isFree(start: number, end: number): boolean {
    // Busy spans that end before this query starts end before every later query starts too.
    while (this.next < this.merged.length && this.merged[this.next]!.end <= start) this.next++;
    const upcoming = this.merged[this.next];
    return upcoming === undefined || upcoming.start >= end;
  }
}
