import { eventIdForBooking } from '../../src/google';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, emulatorEvents, invite, slotsFor } from './support';
import { addCalendarEvent, overlappingHostBookings, setStudyHosts, tomorrowAt } from './hosts-support';

const HOUR_MS = 3_600_000;

describe('Studies with several hosts: booking', () => {
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

  async function starts(token: string, day: Date): Promise<string[]> {
    const from = new Date(day);
    from.setUTCHours(0, 0, 0, 0);
    const to = new Date(from.getTime() + 24 * HOUR_MS);
    return (await slotsFor(stack, token, `?from=${from.toISOString()}&to=${to.toISOString()}`)).map(
      (slot) => slot.start,
    );
  }

  test('When a collective study has two hosts, then only times both are free are offered, and the one event invites both hosts and the participant with one Meet', async () => {
    const study = await createStudy(stack, ada, { title: 'Collective study', guests: ['notes@example.com'] });
    await setStudyHosts(stack, study.id, 'collective', [ada.researcherId, ben.researcherId]);
    await addCalendarEvent(stack, 'ada@example.com', 'Ada busy', tomorrowAt(9), tomorrowAt(10));
    await addCalendarEvent(stack, 'ben@example.com', 'Ben busy', tomorrowAt(11), tomorrowAt(12));
    const [pat] = await invite(stack, ada, study.id);

    const offered = await starts(pat!.token, tomorrowAt(0));

    for (const busy of [tomorrowAt(9), tomorrowAt(9, 30), tomorrowAt(11), tomorrowAt(11, 30)]) {
      expect(offered).not.toContain(busy.toISOString());
    }
    for (const free of [tomorrowAt(8, 30), tomorrowAt(10), tomorrowAt(10, 30), tomorrowAt(12)]) {
      expect(offered).toContain(free.toISOString());
    }

    const answer = await book(stack, pat!.token, tomorrowAt(10).toISOString());
    expect(answer.status).toBe(201);
    const { booking } = await answer.json();
    const { events, invitations } = await emulatorEvents(stack, 'ada@example.com');
    const event = events.find((candidate) => candidate.id === eventIdForBooking(booking.id));
    if (!event) throw new Error('the event is not on the first host’s calendar');
    expect(event.attendees?.map((attendee) => attendee.email).sort()).toEqual(
      ['ada@example.com', 'ben@example.com', 'notes@example.com', pat!.email].sort(),
    );
    expect(event.attendees?.find((attendee) => attendee.email === 'notes@example.com')?.optional).toBe(true);
    expect(event.attendees?.find((attendee) => attendee.email === 'ben@example.com')?.optional).toBeFalsy();
    expect(event.hangoutLink).toBe(booking.meetUrl);
    const invited = invitations.filter((invitation) => invitation.eventId === event.id).map((i) => i.to);
    expect(invited).toEqual(expect.arrayContaining(['ben@example.com', pat!.email]));
    // One event: Ben's own calendar has no second copy of the interview made by us.
    const bens = (await emulatorEvents(stack, 'ben@example.com')).events.filter(
      (candidate) =>
        candidate.extendedProperties?.private?.bookingId === booking.id && candidate.id !== event.id,
    );
    expect(bens).toHaveLength(0);
    const hosts = await stack.knex('booking_hosts').where({ booking_id: booking.id, live: true });
    expect(hosts.map((row) => row.researcher_id).sort()).toEqual([ada.researcherId, ben.researcherId].sort());
  }, 30_000);

  test('When a collective interview holds a host, then a one-on-one study of that host no longer offers the time', async () => {
    const collective = await createStudy(stack, ada, { title: 'Pair study' });
    await setStudyHosts(stack, collective.id, 'collective', [ada.researcherId, cy.researcherId]);
    const own = await createStudy(stack, cy, { title: 'Cy alone' });
    const [pat] = await invite(stack, ada, collective.id);
    const [sol] = await invite(stack, cy, own.id);
    const at = tomorrowAt(15).toISOString();
    expect(await starts(sol!.token, tomorrowAt(0))).toContain(at);

    expect((await book(stack, pat!.token, at)).status).toBe(201);

    expect(await starts(sol!.token, tomorrowAt(0))).not.toContain(at);
    const taken = await book(stack, sol!.token, at);
    expect(taken.status).toBe(409);
    expect((await taken.json()).type).toMatch(/slot-taken$/);
    expect(await overlappingHostBookings(stack)).toBe(0);
  }, 30_000);

  test('When a participant moves a collective interview, then every host must be free at the new time and the one event moves', async () => {
    const study = await createStudy(stack, ada, { title: 'Collective moves' });
    await setStudyHosts(stack, study.id, 'collective', [ada.researcherId, ben.researcherId]);
    const [pat] = await invite(stack, ada, study.id);
    const { booking } = await (await book(stack, pat!.token, tomorrowAt(17).toISOString())).json();
    await addCalendarEvent(stack, 'ben@example.com', 'Ben late call', tomorrowAt(18), tomorrowAt(19));

    expect(await starts(pat!.token, tomorrowAt(0))).not.toContain(tomorrowAt(18).toISOString());
    const refused = await book(stack, pat!.token, tomorrowAt(18).toISOString());
    expect(refused.status).toBe(409);
    const moved = await book(stack, pat!.token, tomorrowAt(19).toISOString());

    expect(moved.status).toBe(201);
    const rows = await stack.knex('booking_hosts').where({ booking_id: booking.id });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.live).toBe(true);
    const { events } = await emulatorEvents(stack, 'ada@example.com');
    const event = events.find((candidate) => candidate.id === eventIdForBooking(booking.id));
    expect(event?.start.dateTime && Date.parse(event.start.dateTime)).toBe(tomorrowAt(19).getTime());
  }, 30_000);

  test('When the researcher asks why a time is not offered in a collective study, then the answer names the busy host and its event, and each host is listed free or not', async () => {
    const study = await createStudy(stack, ada, { title: 'Why collective' });
    await setStudyHosts(stack, study.id, 'collective', [ada.researcherId, ben.researcherId]);
    await addCalendarEvent(stack, 'ben@example.com', 'Ben dentist', tomorrowAt(21), tomorrowAt(22));

    const answer = await fetch(
      `${stack.url}/api/studies/${study.id}/availability/explain?start=${tomorrowAt(21).toISOString()}`,
      { headers: ada.auth },
    );

    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.offered).toBe(false);
    expect(body.reasons.map((reason: { code: string }) => reason.code)).toEqual(
      expect.arrayContaining(['not-all-hosts-free', 'busy-event']),
    );
    expect(body.reasons.map((reason: { message: string }) => reason.message).join(' ')).toContain(
      'Ben Okafor: busy: “Ben dentist”',
    );
    expect(body.hosts).toEqual([
      { researcherId: ada.researcherId, name: 'Ada Lovelace', free: true },
      { researcherId: ben.researcherId, name: 'Ben Okafor', free: false },
    ]);
  }, 30_000);

  test('When a researcher books a participant of a collective study by hand, then both hosts are held and invited', async () => {
    const study = await createStudy(stack, ada, { title: 'Collective by hand' });
    await setStudyHosts(stack, study.id, 'collective', [ada.researcherId, ben.researcherId]);
    const [pat] = await invite(stack, ada, study.id, 1, 'hand');
    await addCalendarEvent(stack, 'ben@example.com', 'Ben busy late', tomorrowAt(22), tomorrowAt(23));

    const refused = await bookByHand(pat!.id, { start: tomorrowAt(22).toISOString() });
    expect(refused.status).toBe(409);
    expect((await refused.json()).type).toMatch(/not-offered$/);

    const answer = await bookByHand(pat!.id, { start: tomorrowAt(23).toISOString() });
    expect(answer.status).toBe(201);
    const { booking } = await answer.json();
    const hosts = await stack.knex('booking_hosts').where({ booking_id: booking.id, live: true });
    expect(hosts.map((row) => row.researcher_id).sort()).toEqual([ada.researcherId, ben.researcherId].sort());
    const { events } = await emulatorEvents(stack, 'ada@example.com');
    const event = events.find((candidate) => candidate.id === eventIdForBooking(booking.id));
    expect(event?.attendees?.map((attendee) => attendee.email)).toEqual(
      expect.arrayContaining(['ada@example.com', 'ben@example.com', pat!.email]),
    );
  }, 30_000);

  test('When a researcher books a participant of a round robin by hand, then a free host takes it', async () => {
    const study = await createStudy(stack, ada, { title: 'Round robin by hand' });
    await setStudyHosts(stack, study.id, 'round_robin', [ada.researcherId, cy.researcherId]);
    const [pat] = await invite(stack, ada, study.id, 1, 'rrhand');
    await addCalendarEvent(stack, 'ada@example.com', 'Ada late', tomorrowAt(23, 30), tomorrowAt(24));

    const answer = await bookByHand(pat!.id, { start: tomorrowAt(23, 30).toISOString() });

    expect(answer.status).toBe(201);
    const { booking } = await answer.json();
    expect((await stack.knex('bookings').where({ id: booking.id }).first()).researcher_id).toBe(
      cy.researcherId,
    );
  }, 30_000);

  function bookByHand(participantId: string, body: unknown) {
    return fetch(`${stack.url}/api/participants/${participantId}/booking`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
});
