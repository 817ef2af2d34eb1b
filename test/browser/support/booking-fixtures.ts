import type { SignedIn, Stack } from '../../support/stack';

/** Every day 08:00–20:00 in Berlin, bookable at once: the next days always have free times. */
const EVERY_DAY = [{ start: '08:00', end: '20:00' }];
export const STUDY = {
  title: 'Checkout usability study',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  availability: {
    weekly: {
      mon: EVERY_DAY,
      tue: EVERY_DAY,
      wed: EVERY_DAY,
      thu: EVERY_DAY,
      fri: EVERY_DAY,
      sat: EVERY_DAY,
      sun: EVERY_DAY,
    },
  },
  minNoticeMinutes: 0,
  horizonDays: 5,
};

export interface Invitee {
  id: string;
  name: string;
  email: string;
  bookingUrl: string;
  token: string;
}

export async function researcherCall(
  stack: Stack,
  who: SignedIn,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method,
    headers: { ...who.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** A fresh study of the researcher with these participants, each with a booking link. */
export async function studyWithParticipants(
  stack: Stack,
  researcher: SignedIn,
  names: string[],
  overrides: Record<string, unknown> = {},
): Promise<{ studyId: string; invitees: Invitee[] }> {
  const created = await researcherCall(stack, researcher, 'POST', '/api/studies', { ...STUDY, ...overrides });
  if (created.status !== 201) throw new Error(`study: ${created.status} ${await created.text()}`);
  const { id: studyId } = (await created.json()) as { id: string };
  const suffix = Math.random().toString(36).slice(2, 8);
  const participants = names.map((name) => ({
    name,
    email: `${
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '.')
        .replace(/^\.|\.$/g, '') || 'someone'
    }.${suffix}@example.org`,
  }));
  const added = await researcherCall(stack, researcher, 'POST', `/api/studies/${studyId}/participants`, {
    participants,
  });
  if (added.status !== 201) throw new Error(`participants: ${added.status} ${await added.text()}`);
  const body = (await added.json()) as { participants: Omit<Invitee, 'token'>[] };
  const invitees = body.participants.map((participant) => ({
    ...participant,
    token: participant.bookingUrl.split('/book/')[1] ?? '',
  }));
  return { studyId, invitees };
}

export interface Slot {
  start: string;
  end: string;
}

/** The participant's side of the API, as another browser would call it. */
export async function freeSlots(stack: Stack, invitee: Invitee): Promise<Slot[]> {
  const answer = await fetch(`${stack.url}/api/booking/${invitee.token}/slots`);
  if (answer.status !== 200) throw new Error(`slots: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { slots: Slot[] }).slots;
}

export async function bookThroughApi(stack: Stack, invitee: Invitee, start: string): Promise<Response> {
  return fetch(`${stack.url}/api/booking/${invitee.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ start, timeZone: 'Europe/Berlin' }),
  });
}

export interface EmulatorEvent {
  id: string;
  status: string;
  start: { dateTime: string };
  end: { dateTime: string };
  hangoutLink?: string;
  attendees?: { email: string; responseStatus: string }[];
}

/** The researcher's calendar as the emulator holds it (GET /_emulator/state). */
export async function calendarEvents(stack: Stack, owner: string): Promise<EmulatorEvent[]> {
  const state = (await (await fetch(`${stack.emulatorUrl}/_emulator/state`)).json()) as {
    events: Record<string, EmulatorEvent[]>;
  };
  return state.events[owner] ?? [];
}

export async function participantStatus(
  stack: Stack,
  researcher: SignedIn,
  invitee: Invitee,
): Promise<string> {
  const answer = await researcherCall(stack, researcher, 'GET', `/api/participants/${invitee.id}`);
  return ((await answer.json()) as { status: string }).status;
}
