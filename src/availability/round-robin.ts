/** A host's record in one round-robin study, as the booking side counts it. */
export interface RoundRobinStats {
  /**
   * The host's interviews in this study that still count: booked, held, completed or no-show
   * (not canceled ones, or a host whose participants cancel would be handed more).
   */
  interviews: number;
  /** When this host was last given a booking of this study; absent or null = never. */
  lastBookedAt?: Date | null | undefined;
}

/**
 * Which free host takes a round-robin booking: the one with the fewest interviews in this
 * study, then the least recently booked (never booked first), then the smallest host id, so
 * the same facts always give the same host (a retried booking picks the same one). Host ids
 * compare by code unit, not locale. Undefined when no host is free.
 */
export function pickRoundRobinHost(
  candidates: readonly string[],
  stats: ReadonlyMap<string, RoundRobinStats>,
): string | undefined {
  let best: { hostId: string; interviews: number; lastBooked: number } | undefined;
  for (const hostId of candidates) {
    const record = stats.get(hostId);
    const entry = {
      hostId,
      interviews: record?.interviews ?? 0,
      lastBooked: record?.lastBookedAt ? record.lastBookedAt.getTime() : -Infinity,
    };
    // NaN compares false both ways: the pick would then depend on the candidates' order.
    if (Number.isNaN(entry.lastBooked)) throw new RangeError(`lastBookedAt of ${hostId} is not a valid date`);
    if (best === undefined || comesFirst(entry, best)) best = entry;
  }
  return best?.hostId;
}

function comesFirst(
  a: { hostId: string; interviews: number; lastBooked: number },
  b: { hostId: string; interviews: number; lastBooked: number },
): boolean {
  if (a.interviews !== b.interviews) return a.interviews < b.interviews;
  if (a.lastBooked !== b.lastBooked) return a.lastBooked < b.lastBooked;
  return a.hostId < b.hostId;
}
