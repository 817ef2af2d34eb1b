import { randomToken, subjectFor } from './ids';
import { normalizeEmail, type CalendarRecord, type EmulatorState, type UserRecord } from './state';

/** A display name for a user created from an email alone ("ada.lovelace@x" → "Ada Lovelace"). */
export function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}

export function findUser(state: EmulatorState, email: string): UserRecord | undefined {
  return state.users[normalizeEmail(email)];
}

/** Creates the account (and its primary calendar) unless it exists. */
export function ensureUser(
  state: EmulatorState,
  now: Date,
  input: { email: string; name?: string | undefined },
): { user: UserRecord; created: boolean } {
  const email = normalizeEmail(input.email);
  const existing = state.users[email];
  if (existing) return { user: existing, created: false };
  const user: UserRecord = {
    sub: subjectFor(email),
    email,
    name: input.name?.trim() || nameFromEmail(email),
    createdAt: now.toISOString(),
  };
  state.users[email] = user;
  state.calendars[email] = newCalendar(email);
  return { user, created: true };
}

export function newCalendar(owner: string): CalendarRecord {
  return {
    owner,
    timeZone: 'UTC',
    changeCounter: 0,
    syncEpoch: randomToken(9),
    events: {},
    conferences: {},
  };
}
