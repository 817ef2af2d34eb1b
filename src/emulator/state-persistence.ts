import type { EmulatorLogger } from './logger';
import type { EmulatorState } from './state';
import { writeStateFileAtomically } from './state-file';

/** Writes one serialised snapshot to `file`; replaceable so tests can count and hold writes. */
export type StateWriter = (file: string, text: string) => Promise<void>;

export interface StatePersistenceOptions {
  file: string;
  state: EmulatorState;
  logger: EmulatorLogger;
  /**
   * Shortest time between two writes (1000 ms), stretched for big states (see below): what a
   * crash may lose at most, plus the write under way.
   */
  intervalMs?: number;
  writer?: StateWriter;
}

export interface StatePersistence {
  /** The state changed: it is written soon, off the request that changed it. */
  markDirty(): void;
  /** Resolves once every change marked so far is on disk. */
  flush(): Promise<void>;
  /** Flushes, and writes nothing after. */
  close(): Promise<void>;
}

/** The share of the event loop's time that serialising the state may take at most, under steady writes. */
const MAX_LOOP_SHARE = 0.1;

/**
 * Keeps the state file behind the in-memory state without costing the event loop a full
 * synchronous rewrite per change (a CPU profile of the booking load once spent 54 % of the
 * service's time there). The memory stays the truth — the admin API reads it — and the
 * file follows:
 * - the first change after a quiet spell is written at once (on the next turn of the loop),
 *   so a demo's sign-in is on disk before anyone could kill the process;
 * - further changes within `intervalMs` of a write are coalesced into one write at the end
 *   of the interval, so a burst costs one snapshot per interval, however many requests;
 * - a write is asynchronous (temporary file + rename, so a crash never leaves half a file),
 *   and a change made while it is under way sets `dirty` again and gets its own write.
 * Only the serialisation (`JSON.stringify`) stays on the loop: it must see one consistent
 * state. It grows with the state (measured on a busy 2-core machine: 0.8 s for 10,000
 * interview events, 26 MB), so the interval stretches to keep it under a tenth of the loop's
 * time: for big states the file is written less often, never the requests slowed down more.
 * After a crash, at most the changes of the last interval (plus the write under way) are lost;
 * `close()` (the service's and `npm run emulator`'s shutdown) writes everything.
 */
export function createStatePersistence(options: StatePersistenceOptions): StatePersistence {
  const intervalMs = options.intervalMs ?? 1000;
  const writer = options.writer ?? writeStateFileAtomically;
  let dirty = false;
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let lastWriteStartedAt = Number.NEGATIVE_INFINITY;
  let lastSerializeMs = 0;

  const schedule = () => {
    if (timer || writing || !dirty || closing) return;
    const gap = Math.max(intervalMs, lastSerializeMs / MAX_LOOP_SHARE);
    const wait = Math.max(0, lastWriteStartedAt + gap - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void writeNow();
    }, wait);
    // A pending write must not keep a process alive that is otherwise done; close() flushes.
    timer.unref();
  };

  const writeNow = (): Promise<void> => {
    if (writing) return writing;
    if (!dirty) return Promise.resolve();
    dirty = false;
    lastWriteStartedAt = Date.now();
    const serializeStarted = performance.now();
    const text = JSON.stringify(options.state);
    lastSerializeMs = performance.now() - serializeStarted;
    writing = writer(options.file, text)
      .catch((error: unknown) => {
        // The memory still has it: try again with the next interval rather than lose it.
        dirty = true;
        options.logger.error?.({ err: error, file: options.file }, 'emulator could not save its state file');
      })
      .finally(() => {
        writing = undefined;
        schedule();
      });
    return writing;
  };

  const cancelTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  const flush = async (): Promise<void> => {
    // A write under way holds an older snapshot; wait for it, then write what came since.
    while (writing) await writing;
    cancelTimer();
    if (dirty) await writeNow();
  };

  return {
    markDirty() {
      dirty = true;
      schedule();
    },
    flush,
    async close() {
      closing = true;
      await flush();
    },
  };
}
