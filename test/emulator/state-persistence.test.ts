import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeStateFileAtomically } from '../../src/emulator/state-file';
import { connect, slot, startEmulator, waitFor } from './support';

const OWNER = 'researcher@example.com';
/** Long enough that no write in these tests comes from the interval's end: only the first and close. */
const LONG_INTERVAL_MS = 600_000;

let dir: string;
let stateFile: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-persistence-'));
  stateFile = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A writer that records each snapshot, optionally holding it until released, then writes it for real. */
function recordingWriter() {
  const written: string[] = [];
  let hold: Promise<void> | undefined;
  let release = () => {};
  let started = 0;
  return {
    written,
    get started() {
      return started;
    },
    holdNext() {
      hold = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
    writer: async (file: string, text: string) => {
      started += 1;
      const held = hold;
      hold = undefined;
      if (held) await held;
      written.push(text);
      await writeStateFileAtomically(file, text);
    },
  };
}

const eventSummaries = (text: string | undefined, owner = OWNER): string[] => {
  const state = JSON.parse(text ?? '{}') as {
    calendars: Record<string, { owner: string; events: Record<string, { resource: { summary?: string } }> }>;
  };
  const calendar = Object.values(state.calendars).find((candidate) => candidate.owner === owner);
  return Object.values(calendar?.events ?? {}).map((event) => event.resource.summary ?? '');
};

describe('Emulator state file: persistence off the request path', () => {
  test('When the emulator is closed and started again on its state file, then /_emulator/state is the same as before', async () => {
    const first = await startEmulator({ stateFile });
    const { calendar } = await connect(first.base, OWNER);
    for (let hour = 8; hour < 14; hour += 1) {
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: { summary: `Kept ${hour}`, ...slot(hour) },
      });
    }
    const before = (await (await fetch(`${first.base}/_emulator/state`)).json()) as Record<string, unknown>;
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      const after = (await (await fetch(`${second.base}/_emulator/state`)).json()) as Record<string, unknown>;
      expect(Object.values(after.events as Record<string, unknown[]>)[0]).toHaveLength(6);
      expect({ ...after, now: undefined }).toEqual({ ...before, now: undefined });
    } finally {
      await second.close();
    }
  });

  test('When many writes arrive in a burst, then they are coalesced into few file writes and none is missing', async () => {
    const recorder = recordingWriter();
    const harness = await startEmulator({
      stateFile,
      stateFileIntervalMs: LONG_INTERVAL_MS,
      stateFileWriter: recorder.writer,
    });
    const { calendar } = await connect(harness.base, OWNER);
    for (let index = 0; index < 40; index += 1) {
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: { summary: `Burst ${index}`, ...slot(index % 20, 30) },
      });
    }
    // The memory is the truth: the admin view is exact before anything reached the file.
    const live = (await (await fetch(`${harness.base}/_emulator/state`)).json()) as {
      events: Record<string, unknown[]>;
    };
    expect(live.events[OWNER]).toHaveLength(40);
    await harness.close();

    // The new state's first write at start (the sign-in may join it), then one on close for all 40 inserts.
    expect(recorder.written).toHaveLength(2);
    expect(eventSummaries(recorder.written.at(-1))).toHaveLength(40);
    expect(eventSummaries(fs.readFileSync(stateFile, 'utf8'))).toHaveLength(40);
  });

  test('When a change is made while a write is under way, then it is written after it and survives a restart', async () => {
    const recorder = recordingWriter();
    recorder.holdNext();
    const first = await startEmulator({
      stateFile,
      stateFileIntervalMs: LONG_INTERVAL_MS,
      stateFileWriter: recorder.writer,
    });
    const { calendar } = await connect(first.base, OWNER);
    // The first write (the new state's signing key) has started and is held; the sign-in
    // and this insert land in the middle of it.
    await waitFor(() => recorder.started === 1);
    await calendar.events.insert({ calendarId: 'primary', requestBody: { summary: 'During', ...slot(9) } });
    const closing = first.close();
    recorder.release();
    await closing;

    expect(recorder.written).toHaveLength(2);
    expect(eventSummaries(recorder.written[0])).toEqual([]);
    expect(eventSummaries(recorder.written[1])).toEqual(['During']);

    const second = await startEmulator({ stateFile });
    try {
      const state = (await (await fetch(`${second.base}/_emulator/state`)).json()) as {
        events: Record<string, Array<{ summary: string }>>;
      };
      expect(state.events[OWNER]?.map((event) => event.summary)).toEqual(['During']);
    } finally {
      await second.close();
    }
  });

  test('When a write fails, then the change stays in memory and is written by the next flush', async () => {
    let failures = 1;
    const written: string[] = [];
    const harness = await startEmulator({
      stateFile,
      stateFileIntervalMs: LONG_INTERVAL_MS,
      stateFileWriter: async (file, text) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('disk full');
        }
        written.push(text);
        await writeStateFileAtomically(file, text);
      },
    });
    const { calendar } = await connect(harness.base, OWNER);
    await calendar.events.insert({ calendarId: 'primary', requestBody: { summary: 'Retried', ...slot(9) } });
    await harness.close();
    expect(failures).toBe(0);
    expect(eventSummaries(fs.readFileSync(stateFile, 'utf8'))).toEqual(['Retried']);
  });
});
