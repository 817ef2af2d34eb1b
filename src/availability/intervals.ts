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
  // Starts and ends sorted apart, as plain numbers (a native sort, several times faster than
  // sorting objects with a comparator for thousands of busy intervals), then swept: the
  // union is open while more intervals have started than ended. A start equal to an end is
  // taken first, so touching intervals join.
  const starts = new Float64Array(spans.length);
  const ends = new Float64Array(spans.length);
  let count = 0;
  for (const span of spans) {
    if (span.end > span.start) {
      starts[count] = span.start;
      ends[count] = span.end;
      count += 1;
    }
  }
  const sortedStarts = starts.subarray(0, count).sort();
  const sortedEnds = ends.subarray(0, count).sort();
  const merged: Span[] = [];
  let open = 0;
  let openedAt = 0;
  let nextEnd = 0;
  for (const start of sortedStarts) {
    while (sortedEnds[nextEnd]! < start) {
      open -= 1;
      if (open === 0) merged.push({ start: openedAt, end: sortedEnds[nextEnd]! });
      nextEnd += 1;
    }
    if (open === 0) openedAt = start;
    open += 1;
  }
  if (sortedStarts.length > 0) merged.push({ start: openedAt, end: sortedEnds[sortedEnds.length - 1]! });
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
