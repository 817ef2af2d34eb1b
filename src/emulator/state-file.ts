import fs from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmulatorState } from './state';

/**
 * Optional persistence so a demo survives a restart: the whole state as one JSON file,
 * written atomically (temporary file + rename) so a crash never leaves half a file.
 * When it is written is state-persistence.ts's business. Read once, at start-up.
 */
export function loadStateFile(file: string): EmulatorState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isState(parsed)) throw new Error(`${file} is not an emulator state file (version 1)`);
  return parsed;
}

/** One snapshot, off the event loop; the caller never runs two at once for one file. */
export async function writeStateFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
}

function isState(value: unknown): value is EmulatorState {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<EmulatorState>;
  return (
    candidate.version === 1 &&
    typeof candidate.signingKey?.privateKeyPem === 'string' &&
    typeof candidate.users === 'object' &&
    typeof candidate.calendars === 'object'
  );
}
