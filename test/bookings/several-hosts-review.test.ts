import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { ALWAYS_OPEN, book, createStudy, invite, slotsFor } from './support';
import { setHostHours, setStudyHosts, tomorrowAt } from './hosts-support';

const HOUR_MS = 3_600_000;

/** Tomorrow's 24 hours (UTC), as the booking page asks for them. */
function tomorrowQuery(): string {
  const from = tomorrowAt(0);
  return `?from=${from.toISOString()}&to=${new Date(from.getTime() + 24 * HOUR_MS).toISOString()}`;
}

async function setCalendarZone(stack: Stack, calendarId: string, timeZone: string): Promise<void> {
  const answer = await fetch(`${stack.emulatorUrl}/_emulator/calendars/${calendarId}/time-zone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ timeZone }),
  });
  if (!answer.ok) throw new Error(`zone: ${answer.status} ${await answer.text()}`);
}

/** An all-day "Out of office" on a date of the calendar (Google: a day in the calendar's zone). */
async function addOutOfOffice(stack: Stack, calendarId: string, date: string, next: string): Promise<void> {
  const answer = await fetch(`${stack.emulatorUrl}/_emulator/calendars/${calendarId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      summary: 'Out of office',
      eventType: 'outOfOffice',
      transparency: 'opaque',
      start: { date },
      end: { date: next },
    }),
  });
  if (!answer.ok) throw new Error(`event: ${answer.status} ${await answer.text()}`);
  await stack.knex('freebusy_cache').delete();
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone, and the day after. */
function dateIn(timeZone: string, instant: Date): [string, string] {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone }).format(instant);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);
  return [day, next];
}

describe('several hosts: the review findings', () => {
  let stack: Stack;
  let ada: SignedIn;
  let ben: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    ben = await signIn(stack, 'ben@example.com', 'Ben Okafor');
  });
  afterAll(() => stack.close());

  test('a collective interview moves to a time overlapping its old one: the other host’s copy of it is not busy', async () => {
    const study = await createStudy(stack, ada, { title: 'Pair', durationMinutes: 60, slotStepMinutes: 30 });
    await setStudyHosts(stack, study.id, 'collective', [ada.researcherId, ben.researcherId]);
    const [pat] = await invite(stack, ada, study.id);
    expect((await book(stack, pat!.token, tomorrowAt(10).toISOString())).status).toBe(201);
    const offered = (await slotsFor(stack, pat!.token, tomorrowQuery())).map((slot) => slot.start);
    expect(offered).toContain(tomorrowAt(10, 30).toISOString());

    const move = await book(stack, pat!.token, tomorrowAt(10, 30).toISOString());

    expect(move.status).toBe(201);
    const hosts = await stack
      .knex('booking_hosts')
      .join('bookings', 'bookings.id', 'booking_hosts.booking_id')
      .where({ 'bookings.participant_id': pat!.id, 'booking_hosts.live': true })
      .select('booking_hosts.researcher_id');
    expect(hosts.map((row) => row.researcher_id).sort()).toEqual([ada.researcherId, ben.researcherId].sort());
  }, 60_000);

  test('an all-day "Out of office" is a day in the host’s calendar’s zone, not the study’s', async () => {
    // Ben works in Tokyo, 09:00–18:00 every day; the study is New York's.
    const study = await createStudy(stack, ada, { title: 'Tokyo host', timeZone: 'America/New_York' });
    await setStudyHosts(stack, study.id, 'collective', [ben.researcherId], 'per_host');
    const days = ALWAYS_OPEN.availability.weekly;
    await setHostHours(stack, ben.researcherId, {
      timeZone: 'Asia/Tokyo',
      availability: {
        weekly: Object.fromEntries(Object.keys(days).map((day) => [day, [{ start: '09:00', end: '18:00' }]])),
      },
    });
    await setCalendarZone(stack, 'ben@example.com', 'Asia/Tokyo');
    // Tomorrow 02:00 UTC is 11:00 in Tokyo: the Tokyo day of the out of office.
    const tokyoMorning = tomorrowAt(2);
    const [date, next] = dateIn('Asia/Tokyo', tokyoMorning);
    const [pat] = await invite(stack, ada, study.id);
    const before = (await slotsFor(stack, pat!.token, tomorrowQuery())).map((slot) => slot.start);
    expect(before).toContain(tokyoMorning.toISOString());

    await addOutOfOffice(stack, 'ben@example.com', date, next);

    const after = (await slotsFor(stack, pat!.token, tomorrowQuery())).map((slot) => slot.start);
    // Read as a New York day it would start at 05:00 UTC and leave Ben's morning open.
    expect(after).not.toContain(tokyoMorning.toISOString());
    expect((await book(stack, pat!.token, tokyoMorning.toISOString())).status).toBe(409);
  }, 60_000);

  test('a collective interview invites each other host at their connected calendar’s address, not their sign-in address', async () => {
    const eli = await signIn(stack, 'eli@example.com', 'Eli Eng');
    const fin = await signIn(stack, 'fin@example.com', 'Fin Fox');
    // Fin signs in to the service with another address than the calendar he connected.
    await stack.knex('researchers').where({ id: fin.researcherId }).update({ email: 'fin.work@example.org' });
    const study = await createStudy(stack, eli, { title: 'Invite address' });
    await setStudyHosts(stack, study.id, 'collective', [eli.researcherId, fin.researcherId]);
    const [pat] = await invite(stack, eli, study.id);

    expect((await book(stack, pat!.token, tomorrowAt(15).toISOString())).status).toBe(201);

    const state = (await (await fetch(`${stack.emulatorUrl}/_emulator/state`)).json()) as {
      events: Record<string, { summary?: string; status: string; attendees?: { email: string }[] }[]>;
    };
    const organized = (state.events['eli@example.com'] ?? []).filter((event) => event.status !== 'cancelled');
    expect(organized).toHaveLength(1);
    const invited = organized[0]!.attendees!.map((attendee) => attendee.email);
    expect(invited).toContain('fin@example.com');
    expect(invited).not.toContain('fin.work@example.org');
    expect(
      (state.events['fin@example.com'] ?? []).filter((event) => event.status !== 'cancelled'),
    ).toHaveLength(1);
  }, 60_000);

  test('removing a member counts the upcoming collective interviews they attend, not only those they organize', async () => {
    const cyd = await signIn(stack, 'cyd@example.com', 'Cyd Cole');
    const dan = await signIn(stack, 'dan@example.com', 'Dan Dale');
    const team = await stack.knex('researchers').where({ id: cyd.researcherId }).first('team_id');
    await stack.knex('researchers').where({ id: dan.researcherId }).update({ team_id: team.team_id });
    const study = await createStudy(stack, cyd, { title: 'Pair for removal' });
    await setStudyHosts(stack, study.id, 'collective', [cyd.researcherId, dan.researcherId]);
    const [pat] = await invite(stack, cyd, study.id);
    expect((await book(stack, pat!.token, tomorrowAt(16).toISOString())).status).toBe(201);

    const removed = await fetch(`${stack.url}/api/team/members/${dan.researcherId}`, {
      method: 'DELETE',
      headers: cyd.auth,
    });

    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({
      upcomingInterviews: 1,
      note: 'Their 1 upcoming interview stays as it is on their Google Calendar.',
    });
  }, 60_000);

  test('a participant moves a collective interview although the attending host’s Google access broke; the organizer’s must work', async () => {
    const gus = await signIn(stack, 'gus@example.com', 'Gus Gray');
    const hal = await signIn(stack, 'hal@example.com', 'Hal Hill');
    const study = await createStudy(stack, gus, { title: 'Move past a broken guest' });
    await setStudyHosts(stack, study.id, 'collective', [gus.researcherId, hal.researcherId]);
    const [pat] = await invite(stack, gus, study.id);
    expect((await book(stack, pat!.token, tomorrowAt(9).toISOString())).status).toBe(201);
    await fetch(`${stack.emulatorUrl}/_emulator/users/hal@example.com/revoke`, { method: 'POST' });
    await stack.knex('freebusy_cache').delete();

    const warn = jest.spyOn(stack.features.logger, 'warn');
    let moved: Response;
    let warnings: unknown[][];
    try {
      const offered = (await slotsFor(stack, pat!.token, tomorrowQuery())).map((slot) => slot.start);
      expect(offered).toContain(tomorrowAt(12).toISOString());
      moved = await book(stack, pat!.token, tomorrowAt(12).toISOString());
    } finally {
      warnings = [...warn.mock.calls]; // mockRestore forgets the calls
      warn.mockRestore();
    }

    expect(moved.status).toBe(201);
    // Not silent: the operator is told whose calendar the move was judged without (once: the
    // slot list before it is no decision).
    expect(warnings.filter(([, message]) => String(message).includes('attending hosts'))).toEqual([
      [{ hosts: [{ researcherId: hal.researcherId, connection: 'revoked' }] }, expect.any(String)],
    ]);
    const rows = await stack
      .knex('booking_hosts')
      .join('bookings', 'bookings.id', 'booking_hosts.booking_id')
      .where({ 'bookings.participant_id': pat!.id, 'booking_hosts.live': true })
      .select('booking_hosts.researcher_id', 'booking_hosts.during');
    // Hal still hosts it, at the new time.
    expect(rows.map((row) => row.researcher_id).sort()).toEqual([gus.researcherId, hal.researcherId].sort());
  }, 60_000);

  test('booking by hand: a colleague host whose calendar cannot be read is named in the overlap answer, not blamed on the caller', async () => {
    const ivy = await signIn(stack, 'ivy@example.com', 'Ivy Ives');
    const jon = await signIn(stack, 'jon@example.com', 'Jon Jay');
    const study = await createStudy(stack, ivy, { title: 'Manual with a broken colleague' });
    await setStudyHosts(stack, study.id, 'collective', [ivy.researcherId, jon.researcherId]);
    const [pat] = await invite(stack, ivy, study.id);
    await fetch(`${stack.emulatorUrl}/_emulator/users/jon@example.com/revoke`, { method: 'POST' });
    const byHand = (body: unknown) =>
      fetch(`${stack.url}/api/participants/${pat!.id}/booking`, {
        method: 'POST',
        headers: { ...ivy.auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const start = tomorrowAt(11).toISOString();

    const named = await byHand({ start, override: { reason: 'Jon agreed by phone' } });

    expect(named.status).toBe(409);
    const problem = await named.json();
    expect(problem.type).toBe('urn:interview-scheduler:problem:calendar-overlap');
    expect(problem.events).toEqual([
      expect.objectContaining({ title: 'Jon Jay: calendar could not be read' }),
    ]);
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);

    const booked = await byHand({ start, override: { reason: 'Jon agreed by phone' }, confirmOverlap: true });
    expect(booked.status).toBe(201);
  }, 60_000);
});
