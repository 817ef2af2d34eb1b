import type { SignedIn, Stack } from '../support/stack';

/** A study open every day, all day (UTC), bookable from now on: slots are always there. */
export const ALWAYS_OPEN = {
  durationMinutes: 30,
  timeZone: 'UTC',
  minNoticeMinutes: 0,
  horizonDays: 14,
  availability: {
    weekly: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
        day,
        [{ start: '00:00', end: '24:00' }],
      ]),
    ),
  },
};

export async function createStudy(stack: Stack, who: SignedIn, overrides: Record<string, unknown> = {}) {
  const answer = await fetch(`${stack.url}/api/studies`, {
    method: 'POST',
    headers: { ...who.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Usability study', ...ALWAYS_OPEN, ...overrides }),
  });
  if (answer.status !== 201) throw new Error(`study: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as { id: string };
}

export interface Invited {
  id: string;
  email: string;
  token: string;
}

export async function invite(
  stack: Stack,
  who: SignedIn,
  studyId: string,
  count = 1,
  prefix = 'p',
): Promise<Invited[]> {
  const participants = Array.from({ length: count }, (_, index) => ({
    name: `Participant ${prefix}${index}`,
    email: `${prefix}${index}-${Math.random().toString(36).slice(2, 8)}@example.org`,
  }));
  const answer = await fetch(`${stack.url}/api/studies/${studyId}/participants`, {
    method: 'POST',
    headers: { ...who.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ participants }),
  });
  if (answer.status !== 201) throw new Error(`invite: ${answer.status} ${await answer.text()}`);
  const body = (await answer.json()) as { participants: { id: string; email: string; bookingUrl: string }[] };
  return body.participants.map((participant) => ({
    id: participant.id,
    email: participant.email,
    token: participant.bookingUrl.split('/book/')[1] ?? '',
  }));
}

export async function slotsFor(
  stack: Stack,
  token: string,
  query = '',
): Promise<{ start: string; end: string }[]> {
  const answer = await fetch(`${stack.url}/api/booking/${token}/slots${query}`);
  if (answer.status !== 200) throw new Error(`slots: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { slots: { start: string; end: string }[] }).slots;
}

/** A slot a day ahead at a whole hour: far from "now", so notice rules never interfere. */
export async function slotTomorrow(
  stack: Stack,
  token: string,
  hour = 10,
): Promise<{ start: string; end: string }> {
  const tomorrow = new Date(Date.now() + 86_400_000);
  tomorrow.setUTCHours(hour, 0, 0, 0);
  const slots = await slotsFor(stack, token);
  const slot = slots.find((candidate) => candidate.start === tomorrow.toISOString());
  if (!slot) throw new Error(`no slot at ${tomorrow.toISOString()}`);
  return slot;
}

export function book(stack: Stack, token: string, start: string, headers: Record<string, string> = {}) {
  return fetch(`${stack.url}/api/booking/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ start }),
  });
}

/** The fields of an emulator event the tests look at. */
export interface EmulatorEvent {
  id: string;
  status: string;
  summary?: string;
  sequence: number;
  start: { dateTime?: string };
  end: { dateTime?: string };
  hangoutLink?: string;
  conferenceData?: { entryPoints: { entryPointType: string }[] };
  extendedProperties?: { private?: Record<string, string> };
  attendees?: { email: string; optional?: boolean; responseStatus?: string }[];
}

export async function emulatorEvents(stack: Stack, calendarId: string) {
  const state = (await (await fetch(`${stack.emulatorUrl}/_emulator/state`)).json()) as {
    events: Record<string, EmulatorEvent[]>;
    invitations: { eventId: string; to: string; kind: string }[];
  };
  return { events: state.events[calendarId] ?? [], invitations: state.invitations };
}

export async function fault(stack: Stack, body: Record<string, unknown>) {
  await fetch(`${stack.emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export async function clearFaults(stack: Stack) {
  await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
}
