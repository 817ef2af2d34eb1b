import { eventIdForBooking } from '../../src/google';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, emulatorEvents, invite, slotsFor } from './support';
import { addCalendarEvent, setStudyHosts, tomorrowAt } from './hosts-support';

const HOUR_MS = 3_600_000;

/**
 * The calendar a booking goes on is the study's host's, never its creator's as such: a
 * one-on-one study Ada created with Ben as its one host is Ben's interview in every way,
 * and a move keeps the interview's own organizer whatever the study's type is now.
 */
describe('Who holds a booking: the study’s host, not its creator', () => {
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

  async function setConnection(researcherId: string, state: 'connected' | 'revoked'): Promise<void> {
    await stack.knex('google_connections').where({ researcher_id: researcherId }).update({ state });
  }

  test('When a one-on-one study’s one host is not its creator, then slots, the booking, its event, the researcher’s booking and the explanation are the host’s, and a revoked creator does not matter', async () => {
    const study = await createStudy(stack, ada, { title: 'Ben hosts alone' });
    await setStudyHosts(stack, study.id, 'one_on_one', [ben.researcherId]);
    await addCalendarEvent(stack, 'ada@example.com', 'Ada busy', tomorrowAt(9), tomorrowAt(10));
    await addCalendarEvent(stack, 'ben@example.com', 'Ben busy', tomorrowAt(11), tomorrowAt(12));
    const [pat, sol] = await invite(stack, ada, study.id, 2);
    await setConnection(ada.researcherId, 'revoked');
    try {
      const offered = await starts(pat!.token);
      expect(offered).toContain(tomorrowAt(9).toISOString());
      expect(offered).not.toContain(tomorrowAt(11).toISOString());

      expect((await book(stack, pat!.token, tomorrowAt(11).toISOString())).status).toBe(409);
      const answer = await book(stack, pat!.token, tomorrowAt(9).toISOString());
      expect(answer.status).toBe(201);
      const { booking } = await answer.json();
      const row = await stack.knex('bookings').where({ id: booking.id }).first();
      expect(row.researcher_id).toBe(ben.researcherId);
      const bens = (await emulatorEvents(stack, 'ben@example.com')).events;
      expect(bens.map((event) => event.id)).toContain(eventIdForBooking(booking.id));
      const adas = (await emulatorEvents(stack, 'ada@example.com')).events;
      expect(adas.map((event) => event.id)).not.toContain(eventIdForBooking(booking.id));

      // Ada asks why 11:00 is not offered: Ben's meeting, read from Ben's calendar.
      const explained = await fetch(
        `${stack.url}/api/studies/${study.id}/availability/explain?start=${tomorrowAt(11).toISOString()}`,
        { headers: ada.auth },
      );
      expect(explained.status).toBe(200);
      expect((await explained.json()).reasons).toEqual([
        expect.objectContaining({ code: 'busy-event', title: 'Ben busy' }),
      ]);

      // Ada books the other participant from the console: on Ben's calendar too.
      const byHand = await fetch(`${stack.url}/api/participants/${sol!.id}/booking`, {
        method: 'POST',
        headers: { ...ada.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ start: tomorrowAt(14).toISOString() }),
      });
      expect(byHand.status).toBe(201);
      const manual = await stack
        .knex('bookings')
        .where({ id: (await byHand.json()).booking.id })
        .first();
      expect(manual.researcher_id).toBe(ben.researcherId);
    } finally {
      await setConnection(ada.researcherId, 'connected');
    }
  }, 30_000);

  test('When a round robin study becomes one-on-one with another host, then a move of the interview Ben holds is judged on Ben’s calendar and moves Ben’s event', async () => {
    const study = await createStudy(stack, ada, { title: 'Was round robin' });
    await setStudyHosts(stack, study.id, 'round_robin', [ben.researcherId, cy.researcherId]);
    // Cy is busy at 10: only Ben can take it.
    await addCalendarEvent(stack, 'cy@example.com', 'Cy busy', tomorrowAt(10), tomorrowAt(11));
    const [pat] = await invite(stack, ada, study.id);
    const first = await book(stack, pat!.token, tomorrowAt(10).toISOString());
    expect(first.status).toBe(201);
    const { booking } = await first.json();
    expect((await stack.knex('bookings').where({ id: booking.id }).first()).researcher_id).toBe(
      ben.researcherId,
    );

    await setStudyHosts(stack, study.id, 'one_on_one', [ada.researcherId]);
    await addCalendarEvent(stack, 'ada@example.com', 'Ada away', tomorrowAt(15), tomorrowAt(16));
    await addCalendarEvent(stack, 'ben@example.com', 'Ben away', tomorrowAt(16), tomorrowAt(17));

    const offered = await starts(pat!.token);
    expect(offered).toContain(tomorrowAt(15).toISOString());
    expect(offered).not.toContain(tomorrowAt(16).toISOString());
    expect((await book(stack, pat!.token, tomorrowAt(16).toISOString())).status).toBe(409);

    const moved = await book(stack, pat!.token, tomorrowAt(15).toISOString());
    expect(moved.status).toBe(201);
    const row = await stack.knex('bookings').where({ id: booking.id }).first();
    expect(row.researcher_id).toBe(ben.researcherId);
    const event = (await emulatorEvents(stack, 'ben@example.com')).events.find(
      (candidate) => candidate.id === eventIdForBooking(booking.id),
    );
    expect(event?.start?.dateTime && Date.parse(event.start.dateTime)).toBe(tomorrowAt(15).getTime());
  }, 30_000);

  describe('The booking page names who would like to talk', () => {
    async function named(token: string): Promise<string> {
      const answer = await fetch(`${stack.url}/api/booking/${token}`);
      return (await answer.json()).researcher.name;
    }

    async function page(token: string, language: string): Promise<string> {
      const answer = await fetch(`${stack.url}/book/${token}`, { headers: { 'accept-language': language } });
      return answer.text();
    }

    test('When a one-on-one study is hosted by someone other than its creator, then the page names the host in every language', async () => {
      const study = await createStudy(stack, ada, { title: 'Named one-on-one', durationMinutes: 30 });
      await setStudyHosts(stack, study.id, 'one_on_one', [ben.researcherId]);
      const [pat] = await invite(stack, ada, study.id);
      expect(await named(pat!.token)).toBe('Ben Okafor');
      expect(await page(pat!.token, 'en')).toContain('Ben Okafor would like to talk with you');
      expect(await page(pat!.token, 'de')).toContain('Ben Okafor möchte gern');
      expect(await page(pat!.token, 'fr')).toContain('Ben Okafor aimerait');
      expect(await page(pat!.token, 'es')).toContain('Ben Okafor quiere hablar');
      for (const language of ['en', 'de', 'fr', 'es']) {
        expect(await page(pat!.token, language)).not.toContain('Ada Lovelace');
      }
    }, 30_000);

    test('When a collective study is organized by someone other than its creator, then the page names the organizer first, with every host', async () => {
      const study = await createStudy(stack, ada, { title: 'Named collective' });
      await setStudyHosts(stack, study.id, 'collective', [cy.researcherId, ada.researcherId]);
      const [pat] = await invite(stack, ada, study.id);
      expect(await named(pat!.token)).toBe('Cy Tanaka');
      expect(await page(pat!.token, 'en')).toContain(
        'Cy Tanaka and Ada Lovelace would like to talk with you',
      );
    }, 30_000);

    test('When a study is round robin, then the page and the invitation name the team, never a host who may not be there', async () => {
      const study = await createStudy(stack, ada, { title: 'Named round robin' });
      await setStudyHosts(stack, study.id, 'round_robin', [ada.researcherId, ben.researcherId]);
      await stack
        .knex('teams')
        .whereIn('id', stack.knex('studies').where({ id: study.id }).select('team_id'))
        .update({ name: 'Research Ops' });
      const [pat] = await invite(stack, ada, study.id);
      expect(await named(pat!.token)).toBe('Research Ops');
      for (const language of ['en', 'de', 'fr', 'es']) {
        const html = await page(pat!.token, language);
        expect(html).toContain('Research Ops');
        expect(html).not.toContain('Ada Lovelace');
        expect(html).not.toContain('Ben Okafor');
      }
      const invitation = await eventually(async () => {
        const messages = (await (await fetch(`${stack.url}/dev/mailbox?to=${pat!.email}`)).json()).messages;
        return messages.length > 0 ? messages[0] : undefined;
      });
      expect(invitation.text).toContain('Research Ops invites you');
      expect(invitation.text).not.toContain('Ada Lovelace');
    }, 30_000);

    test('When a collective study’s hosts change after a participant booked, then their page and the API name the hosts they booked with', async () => {
      const study = await createStudy(stack, ada, { title: 'Hosts change after booking' });
      await setStudyHosts(stack, study.id, 'collective', [cy.researcherId, ada.researcherId]);
      const [pat] = await invite(stack, ada, study.id);
      expect((await book(stack, pat!.token, tomorrowAt(19).toISOString())).status).toBe(201);

      await setStudyHosts(stack, study.id, 'collective', [ben.researcherId, ada.researcherId]);

      expect(await named(pat!.token)).toBe('Cy Tanaka');
      const html = await page(pat!.token, 'en');
      expect(html).toContain('Cy Tanaka and Ada Lovelace would like to talk with you');
      expect(html).not.toContain('Ben Okafor');
      // Not booked yet: the study's hosts as they are now.
      const [newcomer] = await invite(stack, ada, study.id, 1, 'n');
      expect(await named(newcomer!.token)).toBe('Ben Okafor');

      // A host who declined the interview's event is not named: the interview goes on without them.
      await stack
        .knex('booking_hosts')
        .whereIn('booking_id', stack.knex('bookings').where({ participant_id: pat!.id }).select('id'))
        .where({ researcher_id: ada.researcherId })
        .update({ event_response: 'declined', event_response_at: new Date() });
      const afterDecline = await page(pat!.token, 'en');
      expect(afterDecline).toContain('Cy Tanaka would like to talk with you');
      expect(afterDecline).not.toContain('Ada Lovelace');
    }, 30_000);

    test('When a participant of a round robin has booked, then their page names the host who took the interview, not the team', async () => {
      const study = await createStudy(stack, ada, { title: 'Round robin, booked' });
      await setStudyHosts(stack, study.id, 'round_robin', [ada.researcherId, ben.researcherId]);
      const [pat] = await invite(stack, ada, study.id);
      const answer = await book(stack, pat!.token, tomorrowAt(20).toISOString());
      expect(answer.status).toBe(201);
      const hostId = (await stack.knex('bookings').where({ participant_id: pat!.id }).first('researcher_id'))
        .researcher_id;
      const host = hostId === ada.researcherId ? 'Ada Lovelace' : 'Ben Okafor';

      expect(await named(pat!.token)).toBe(host);
      expect(await page(pat!.token, 'en')).toContain(`${host} would like to talk with you`);
    }, 30_000);

    test('When a one-on-one study’s host is not its creator, then the invitation names the host', async () => {
      const study = await createStudy(stack, ada, { title: 'Invited by Ben' });
      await setStudyHosts(stack, study.id, 'one_on_one', [ben.researcherId]);
      const [pat] = await invite(stack, ada, study.id);
      const invitation = await eventually(async () => {
        const messages = (await (await fetch(`${stack.url}/dev/mailbox?to=${pat!.email}`)).json()).messages;
        return messages.length > 0 ? messages[0] : undefined;
      });
      expect(invitation.text).toContain('Ben Okafor invites you');
    }, 30_000);
  });
});
