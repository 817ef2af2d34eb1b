import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, invite, slotsFor } from './support';
import { addCalendarEvent, setStudyHosts, tomorrowAt } from './hosts-support';

const HOUR_MS = 3_600_000;

describe('Round-robin studies', () => {
  let stack: Stack;
  let ada: SignedIn;
  let ben: SignedIn;
  let cy: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    ben = await signIn(stack, 'ben@example.com', 'Ben Okafor');
    cy = await signIn(stack, 'cy@example.com', 'Cy Tanaka');
  });
  afterAll(() => stack.close());

  async function starts(token: string): Promise<string[]> {
    const from = tomorrowAt(0);
    const to = new Date(from.getTime() + 24 * HOUR_MS);
    return (await slotsFor(stack, token, `?from=${from.toISOString()}&to=${to.toISOString()}`)).map(
      (slot) => slot.start,
    );
  }

  async function hostOf(bookingId: string): Promise<string> {
    const row = await stack.knex('bookings').where({ id: bookingId }).first();
    return row.researcher_id;
  }

  test('When six participants book a round robin of three hosts, then each host gets two, on their own calendar, and neither the page nor the API names a host', async () => {
    const study = await createStudy(stack, ada, { title: 'Round robin study' });
    await setStudyHosts(stack, study.id, 'round_robin', [
      ada.researcherId,
      ben.researcherId,
      cy.researcherId,
    ]);
    const participants = await invite(stack, ada, study.id, 6, 'rr');

    const hosts: string[] = [];
    for (const [index, participant] of participants.entries()) {
      const answer = await book(stack, participant.token, tomorrowAt(8 + index).toISOString());
      expect(answer.status).toBe(201);
      const { booking } = await answer.json();
      hosts.push(await hostOf(booking.id));
      const row = await stack.knex('bookings').where({ id: booking.id }).first();
      const calendar = await stack
        .knex('google_connections')
        .where({ researcher_id: row.researcher_id })
        .first();
      expect(row.calendar_id).toBe(calendar.calendar_id);
    }

    const perHost = new Map<string, number>();
    for (const host of hosts) perHost.set(host, (perHost.get(host) ?? 0) + 1);
    expect([...perHost.values()]).toEqual([2, 2, 2]);
    // Fewest first, then least recently booked: the first three go to three different hosts.
    expect(new Set(hosts.slice(0, 3)).size).toBe(3);
    expect(hosts.slice(3)).toEqual(hosts.slice(0, 3));

    const [next] = await invite(stack, ada, study.id, 1, 'look');
    const api = await fetch(`${stack.url}/api/booking/${next!.token}/slots`);
    const body = await api.json();
    expect(Object.keys(body).sort()).toEqual(['slots', 'timeZone']);
    for (const slot of body.slots) expect(Object.keys(slot).sort()).toEqual(['end', 'start']);
    const text = JSON.stringify(body) + (await (await fetch(`${stack.url}/book/${next!.token}`)).text());
    for (const hidden of ['Ben Okafor', 'ben@example.com', 'Cy Tanaka', 'cy@example.com'])
      expect(text).not.toContain(hidden);
  }, 60_000);

  test('When a host is busy, then the time is still offered while another host is free, and the booking goes to a free host', async () => {
    const study = await createStudy(stack, ada, { title: 'Busy hosts' });
    await setStudyHosts(stack, study.id, 'round_robin', [ada.researcherId, ben.researcherId]);
    await addCalendarEvent(stack, 'ada@example.com', 'Ada lunch', tomorrowAt(20), tomorrowAt(21));
    const [pat, sol, tim] = await invite(stack, ada, study.id, 3, 'busy');
    const at = tomorrowAt(20).toISOString();

    expect(await starts(pat!.token)).toContain(at);
    const first = await (await book(stack, pat!.token, at)).json();
    expect(await hostOf(first.booking.id)).toBe(ben.researcherId);

    // Ada is in her lunch and Ben holds the first interview: nobody is left at 20:00.
    expect(await starts(sol!.token)).not.toContain(at);
    const taken = await book(stack, sol!.token, at);
    expect(taken.status).toBe(409);
    expect((await taken.json()).type).toMatch(/slot-taken$/);
    expect(await starts(tim!.token)).toContain(tomorrowAt(21).toISOString());
  }, 30_000);

  test('When a participant moves a round-robin interview, then it stays with its host, and a time that host is busy is not offered', async () => {
    const study = await createStudy(stack, ada, { title: 'Round robin moves' });
    await setStudyHosts(stack, study.id, 'round_robin', [ada.researcherId, cy.researcherId]);
    const [pat] = await invite(stack, ada, study.id, 1, 'move');
    const { booking } = await (await book(stack, pat!.token, tomorrowAt(5).toISOString())).json();
    const host = await hostOf(booking.id);
    const hostEmail = host === ada.researcherId ? 'ada@example.com' : 'cy@example.com';
    await addCalendarEvent(stack, hostEmail, 'Host busy', tomorrowAt(6), tomorrowAt(7));

    const offered = await starts(pat!.token);
    expect(offered).not.toContain(tomorrowAt(6).toISOString());
    expect(offered).toContain(tomorrowAt(7).toISOString());
    expect((await book(stack, pat!.token, tomorrowAt(6).toISOString())).status).toBe(409);
    const moved = await book(stack, pat!.token, tomorrowAt(7).toISOString());

    expect(moved.status).toBe(201);
    expect(await hostOf(booking.id)).toBe(host);
    const live = await stack
      .knex('bookings')
      .where({ participant_id: pat!.id })
      .whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(1);
  }, 30_000);
});

describe('A host whose calendar connection is revoked mid-study', () => {
  let stack: Stack;
  let ada: SignedIn;
  let ben: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    ben = await signIn(stack, 'ben@example.com', 'Ben Okafor');
  });
  afterAll(() => stack.close());

  test('then a round robin goes on with the other hosts, a collective study offers nothing and refuses a booking cleanly', async () => {
    const roundRobin = await createStudy(stack, ada, { title: 'Round robin' });
    await setStudyHosts(stack, roundRobin.id, 'round_robin', [ada.researcherId, ben.researcherId]);
    const collective = await createStudy(stack, ada, { title: 'Collective' });
    await setStudyHosts(stack, collective.id, 'collective', [ada.researcherId, ben.researcherId]);
    const [pat, sol, tim] = await invite(stack, ada, roundRobin.id, 3, 'rr');
    const [ola] = await invite(stack, ada, collective.id, 1, 'co');
    // Ben takes the first interview (Ada is busy then), before his grant is revoked.
    await addCalendarEvent(stack, 'ada@example.com', 'Ada busy', tomorrowAt(9), tomorrowAt(10));
    const first = await (await book(stack, pat!.token, tomorrowAt(9).toISOString())).json();
    expect((await stack.knex('bookings').where({ id: first.booking.id }).first()).researcher_id).toBe(
      ben.researcherId,
    );

    await fetch(`${stack.emulatorUrl}/_emulator/users/ben@example.com/revoke`, { method: 'POST' });
    await stack.knex('freebusy_cache').delete();

    const slots = await slotsFor(stack, sol!.token);
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.map((slot) => slot.start)).not.toContain(tomorrowAt(9, 30).toISOString());
    const me = await (await fetch(`${stack.url}/api/me`, { headers: ben.auth })).json();
    expect(me.google.state).toBe('revoked');
    for (const [participant, hour] of [
      [sol!, 11],
      [tim!, 12],
    ] as const) {
      const answer = await book(stack, participant.token, tomorrowAt(hour).toISOString());
      expect(answer.status).toBe(201);
      const { booking } = await answer.json();
      expect((await stack.knex('bookings').where({ id: booking.id }).first()).researcher_id).toBe(
        ada.researcherId,
      );
    }

    expect(await slotsFor(stack, ola!.token)).toEqual([]);
    const refused = await book(stack, ola!.token, tomorrowAt(14).toISOString());
    expect(refused.status).toBe(503);
    expect((await refused.json()).type).toMatch(/google-not-connected$/);
    const held = await stack.knex('bookings').where({ participant_id: ola!.id });
    expect(held).toHaveLength(0);
  }, 60_000);
});
