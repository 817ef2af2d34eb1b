/**
 * Paces the syncs push notifications cause: a calendar is synced at most once per `gapMs`
 * by this instance. Google sends a notification for every change, often several for one,
 * and a calendar changing all the time would otherwise be synced back to back — each sync
 * a Google call and a transaction, for changes the next sync would read anyway.
 *
 * Nothing is skipped: every notification still queues its sync job. The job only starts no
 * earlier than `gapMs` after this instance's worker last started a sync of that calendar,
 * and while it waits it stands for every notification that arrives (one waiting job per
 * calendar). A notification after a quiet spell is synced at once. Another instance's syncs
 * are not known here; they only make the pacing looser, never lose a change.
 */
export interface SyncPacing {
  /** The worker starts a sync of this calendar (`at`: epoch ms). */
  started(researcherId: string, at: number): void;
  /** When a sync queued at `now` may start; undefined when it may start at once. */
  startAfter(researcherId: string, now: number): Date | undefined;
}

/**
 * Beyond this many calendars remembered, the ones whose gap is over are forgotten — at most
 * once per gap, so a deployment with more calendars than this does not walk them every sync.
 */
const SWEEP_AT = 1_000;

export function createSyncPacing(gapMs: number): SyncPacing {
  const lastStart = new Map<string, number>();
  let lastSweep = -Infinity;
  function sweep(now: number): void {
    lastSweep = now;
    for (const [researcherId, at] of lastStart) if (at + gapMs <= now) lastStart.delete(researcherId);
  }
  return {
    started(researcherId, at) {
      if (gapMs <= 0) return;
      if (lastStart.size >= SWEEP_AT && at - lastSweep >= gapMs) sweep(at);
      lastStart.set(researcherId, Math.max(at, lastStart.get(researcherId) ?? at));
    },
    startAfter(researcherId, now) {
      const last = lastStart.get(researcherId);
      if (last === undefined || last + gapMs <= now) return undefined;
      return new Date(last + gapMs);
    },
  };
}
