import { book, createStudy, invite, slotTomorrow } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/** The API behind "Why is this time not offered?", with the emulator as the researcher's calendar. */
describe('Why is this time not offered (API)', () => {
  const RESEARCHER = 'grace@example.com';
  let stack: Stack;
  let grace: SignedIn;
  let bob: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    grace = await signIn(stack, RESEARCHER);
    bob = await signIn(stack, 'bob@example.com');
  });
  afterAll(() => stack.close());

  const DAY_MS = 86_400_000;
  const tomorrowAt = (hour: number, minute = 0) => {
    const date = new Date(Date.now() + DAY_MS);
    date.setUTCHours(hour, minute, 0, 0);
    return date;
  };

  function explain(who: SignedIn, studyId: string, start: string) {
    return fetch(
      `${stack.url}/api/studies/${studyId}/availability/explain?start=${encodeURIComponent(start)}`,
      {
        headers: who.auth,
      },
    );
  }

  async function calendarEvent(summary: string | undefined, from: Date, to: Date) {
    const answer = await fetch(`${stack.emulatorUrl}/_emulator/calendars/${RESEARCHER}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...(summary !== undefined ? { summary } : {}),
        start: { dateTime: from.toISOString() },
        end: { dateTime: to.toISOString() },
      }),
    });
    if (answer.status >= 300) throw new Error(`emulator: ${answer.status} ${await answer.text()}`);
  }

  test('When the time is free, then it is offered with no reasons', async () => {
    const study = await createStudy(stack, grace);
    const start = tomorrowAt(8);

    const answer = await explain(grace, study.id, start.toISOString());

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      timeZone: 'UTC',
      offered: true,
      calendarChecked: true,
      reasons: [],
    });
  });

  test('When a calendar event covers the time, then its title is read from Google and given as the reason', async () => {
    const study = await createStudy(stack, grace);
    await calendarEvent('Dentist appointment', tomorrowAt(14), tomorrowAt(15));
    await calendarEvent(undefined, tomorrowAt(16), tomorrowAt(17));

    const titled = await (await explain(grace, study.id, tomorrowAt(14, 30).toISOString())).json();
    const untitled = await (await explain(grace, study.id, tomorrowAt(16).toISOString())).json();

    expect(titled.offered).toBe(false);
    expect(titled.reasons).toEqual([
      expect.objectContaining({ code: 'busy-event', title: 'Dentist appointment', inBuffer: false }),
    ]);
    expect(titled.reasons[0].message).toContain('Dentist appointment');
    expect(untitled.reasons).toEqual([expect.objectContaining({ code: 'busy-event', title: null })]);
  });

  test('When another interview is booked at the time, then it is already booked; beside it, in its buffer', async () => {
    const study = await createStudy(stack, grace, { bufferAfterMinutes: 15 });
    const [pat] = await invite(stack, grace, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 10);
    expect((await book(stack, pat!.token, slot.start)).status).toBe(201);

    const same = await (await explain(grace, study.id, slot.start)).json();
    const before = await (await explain(grace, study.id, tomorrowAt(9, 30).toISOString())).json();

    expect(same.reasons.map((reason: { code: string }) => reason.code)).toEqual(['already-booked']);
    expect(before.reasons.map((reason: { code: string }) => reason.code)).toEqual(['buffer']);
  });

  test('When the time breaks several rules, then every one is given', async () => {
    const study = await createStudy(stack, grace, { minNoticeMinutes: 240, horizonDays: 3 });

    const soon = await (await explain(grace, study.id, new Date(Date.now() + 60_000).toISOString())).json();
    const far = await (
      await explain(grace, study.id, new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 14) + '07:00Z')
    ).json();

    expect(soon.reasons.map((reason: { code: string }) => reason.code)).toContain('min-notice');
    expect(far.reasons.map((reason: { code: string }) => reason.code)).toEqual([
      'not-on-grid',
      'beyond-horizon',
    ]);
  });

  test('When the study is closed, then that is the first reason', async () => {
    const study = await createStudy(stack, grace, { status: 'closed' });

    const answer = await (await explain(grace, study.id, tomorrowAt(8).toISOString())).json();

    expect(answer.offered).toBe(false);
    expect(answer.reasons[0].code).toBe('study-closed');
  });

  test.each([
    ['no start', ''],
    ['a start without offset', '?start=2026-12-08T10:00:00'],
    ['a start that is not a date', '?start=tomorrow'],
    ['an unknown parameter', `?start=${encodeURIComponent('2026-12-08T10:00:00Z')}&zone=UTC`],
  ])('When the request has %s, then the answer is a 400 problem', async (_story, query) => {
    const study = await createStudy(stack, grace);

    const answer = await fetch(`${stack.url}/api/studies/${study.id}/availability/explain${query}`, {
      headers: grace.auth,
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  test('When a researcher of another team asks about a study, then it is not found and nothing about it is told', async () => {
    const study = await createStudy(stack, grace);

    const answer = await explain(bob, study.id, tomorrowAt(8).toISOString());

    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('reasons');
  });

  test("When a teammate asks about the study, then the answer reads the study organizer's calendar, not the teammate's", async () => {
    const ida = await signIn(stack, 'ida@example.com');
    await stack.knex.raw(
      'UPDATE researchers SET team_id = (SELECT team_id FROM researchers WHERE id = ?) WHERE id = ?',
      [grace.researcherId, ida.researcherId],
    );
    const study = await createStudy(stack, grace);
    await calendarEvent('Grace’s offsite', tomorrowAt(19), tomorrowAt(20));

    const answer = await explain(ida, study.id, tomorrowAt(19).toISOString());

    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.calendarChecked).toBe(true);
    expect(body.reasons).toEqual([expect.objectContaining({ code: 'busy-event', title: 'Grace’s offsite' })]);
  });

  test('When nobody is signed in, then the answer is 401', async () => {
    const study = await createStudy(stack, grace);

    const answer = await fetch(
      `${stack.url}/api/studies/${study.id}/availability/explain?start=2026-12-08T10:00:00Z`,
    );

    expect(answer.status).toBe(401);
  });

  test('When the Google grant was revoked, then the other reasons are still given and the calendar is said to be unreadable', async () => {
    const carol = await signIn(stack, 'carol@example.com');
    const study = await createStudy(stack, carol);
    await fetch(`${stack.emulatorUrl}/_emulator/users/carol@example.com/revoke`, { method: 'POST' });

    const answer = await (await explain(carol, study.id, tomorrowAt(8, 10).toISOString())).json();

    expect(answer.calendarChecked).toBe(false);
    expect(answer.reasons.map((reason: { code: string }) => reason.code)).toEqual([
      'calendar-unavailable',
      'not-on-grid',
    ]);
  });
});
