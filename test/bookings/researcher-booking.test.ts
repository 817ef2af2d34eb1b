import { randomUUID } from 'node:crypto';
import { insertPendingBooking } from '../../src/bookings/booking-repository';
import { finishBooking } from '../../src/bookings/finish-booking';
import { eventIdForBooking } from '../../src/google';
import { book, createStudy, emulatorEvents, invite, slotTomorrow } from './support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Issue 15: a researcher books a participant by hand (POST /api/participants/:id/booking)
 * or logs an interview held elsewhere (POST /api/participants/:id/logged-interview), with the
 * emulator as the researcher's calendar.
 */
describe('Manual booking and logged interviews (API)', () => {
  const RESEARCHER = 'hedy@example.com';
  const DAY_MS = 86_400_000;
  let stack: Stack;
  let hedy: SignedIn;
  let other: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    hedy = await signIn(stack, RESEARCHER);
    other = await signIn(stack, 'someone-else@example.com');
  });
  afterAll(() => stack.close());

  // One reading of the clock: two days built from two readings could straddle midnight.
  const today = Date.now();
  const dayAt = (days: number, hour: number, minute = 0) => {
    const date = new Date(today + days * DAY_MS);
    date.setUTCHours(hour, minute, 0, 0);
    return date;
  };

  function post(who: SignedIn, path: string, body: unknown) {
    return fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { ...who.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
  const bookByHand = (who: SignedIn, participantId: string, body: unknown) =>
    post(who, `/api/participants/${participantId}/booking`, body);
  const logInterview = (who: SignedIn, participantId: string, body: unknown) =>
    post(who, `/api/participants/${participantId}/logged-interview`, body);

  async function detail(participantId: string) {
    const answer = await fetch(`${stack.url}/api/participants/${participantId}`, { headers: hedy.auth });
    return (await answer.json()) as {
      status: string;
      scheduledStart: string | null;
      history: {
        kind: string;
        to: string;
        source: string;
        actor: string;
        reason: string | null;
        details: Record<string, unknown>;
      }[];
    };
  }

  async function calendarEvent(summary: string, from: Date, to: Date) {
    const answer = await fetch(`${stack.emulatorUrl}/_emulator/calendars/${RESEARCHER}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summary,
        start: { dateTime: from.toISOString() },
        end: { dateTime: to.toISOString() },
      }),
    });
    if (answer.status >= 300) throw new Error(`emulator: ${answer.status} ${await answer.text()}`);
  }

  async function bookingEvents() {
    const { events } = await emulatorEvents(stack, RESEARCHER);
    return events.filter(
      (event) => event.extendedProperties?.private?.bookingId && event.status !== 'cancelled',
    );
  }

  /** A study offering weekdays and weekends 09:00–12:00 UTC only. */
  const MORNINGS = {
    availability: {
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
          day,
          [{ start: '09:00', end: '12:00' }],
        ]),
      ),
    },
  };

  test('When the time is not offered, then the booking is refused with 409 not-offered listing the reasons, and nothing is booked', async () => {
    const study = await createStudy(stack, hedy, MORNINGS);
    const [pat] = await invite(stack, hedy, study.id);

    const answer = await bookByHand(hedy, pat!.id, { start: dayAt(1, 18).toISOString() });

    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const problem = await answer.json();
    expect(problem.type).toBe('urn:interview-scheduler:problem:not-offered');
    expect(problem.reasons).toEqual([expect.objectContaining({ code: 'outside-weekly-hours' })]);
    expect(problem.reasons[0].message).toContain('outside');
    expect((await detail(pat!.id)).status).toBe('invited');
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);
  });

  test('When the researcher overrides with a reason, then the participant is booked: event with Meet at Google, scheduled, and the history names the researcher and the reason', async () => {
    const study = await createStudy(stack, hedy, MORNINGS);
    const [pat] = await invite(stack, hedy, study.id);
    const start = dayAt(2, 18);

    const answer = await bookByHand(hedy, pat!.id, {
      start: start.toISOString(),
      override: { reason: 'Only free in the evening' },
    });

    expect(answer.status).toBe(201);
    const body = await answer.json();
    expect(body.booking).toMatchObject({ start: start.toISOString(), status: 'confirmed' });
    expect(body.booking.meetUrl).toMatch(/^https:\/\/meet\./);
    expect(body.participant).toMatchObject({ status: 'scheduled', statusLabel: 'Interview Scheduled' });
    const event = (await bookingEvents()).find(
      (candidate) => candidate.extendedProperties?.private?.bookingId === body.booking.id,
    );
    expect(event?.start.dateTime && Date.parse(event.start.dateTime)).toBe(start.getTime());
    expect(event?.conferenceData?.entryPoints.some((point) => point.entryPointType === 'video')).toBe(true);
    expect(event?.attendees?.map((attendee) => attendee.email)).toContain(pat!.email);
    const scheduled = (await detail(pat!.id)).history.at(-1);
    expect(scheduled).toMatchObject({
      kind: 'status',
      to: 'scheduled',
      source: 'researcher',
      actor: hedy.researcherId,
      reason: 'Only free in the evening',
    });
    const timeline = await (
      await fetch(`${stack.url}/api/participants/${pat!.id}/timeline`, { headers: hedy.auth })
    ).json();
    // Found by kind: the invitation email's item is dated when it was sent, which may be later.
    const booked = timeline.items.find((item: { kind: string }) => item.kind === 'booked');
    expect(booked).toMatchObject({ details: { reason: 'Only free in the evening' } });
    expect(booked.summary).toMatch(/^Interview booked by /);
  });

  test('When the participant already has a verdict, then booking by hand is refused with 409 status-final', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    expect(
      (await logInterview(hedy, pat!.id, { start: dayAt(-1, 10).toISOString(), status: 'completed' })).status,
    ).toBe(201);

    const answer = await bookByHand(hedy, pat!.id, { start: dayAt(2, 10).toISOString() });

    expect(answer.status).toBe(409);
    expect((await answer.json()).type).toBe('urn:interview-scheduler:problem:status-final');
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);
  });

  test('When the override reason is blank, the body has an unknown field or the time has passed, then it is a 400 and nothing changes', async () => {
    const study = await createStudy(stack, hedy, MORNINGS);
    const [pat] = await invite(stack, hedy, study.id);

    const blank = await bookByHand(hedy, pat!.id, {
      start: dayAt(2, 18).toISOString(),
      override: { reason: '  ' },
    });
    const unknown = await bookByHand(hedy, pat!.id, { start: dayAt(2, 10).toISOString(), force: true });
    const noOffset = await bookByHand(hedy, pat!.id, { start: '2030-01-01T10:00:00' });

    const past = await bookByHand(hedy, pat!.id, {
      start: dayAt(-1, 10).toISOString(),
      override: { reason: 'Back-dated' },
      confirmOverlap: true,
    });

    expect([blank.status, unknown.status, noOffset.status, past.status]).toEqual([400, 400, 400, 400]);
    expect((await past.json()).errors).toEqual([expect.objectContaining({ path: 'start' })]);
    expect((await blank.json()).errors[0].path).toContain('override');
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);
  });

  test('When an event in the calendar overlaps, then 409 calendar-overlap names it; confirming the overlap books it', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const start = dayAt(3, 14);
    await calendarEvent('Dentist appointment', start, new Date(start.getTime() + 60 * 60_000));

    // Offered by the study, but the override alone does not skip the calendar check either.
    const refused = await bookByHand(hedy, pat!.id, {
      start: start.toISOString(),
      override: { reason: 'VIP' },
    });
    expect(refused.status).toBe(409);
    const problem = await refused.json();
    expect(problem.type).toBe('urn:interview-scheduler:problem:calendar-overlap');
    expect(problem.events).toEqual([expect.objectContaining({ title: 'Dentist appointment' })]);
    expect(problem.detail).toContain('Dentist appointment');
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);

    const confirmed = await bookByHand(hedy, pat!.id, {
      start: start.toISOString(),
      override: { reason: 'VIP' },
      confirmOverlap: true,
    });
    expect(confirmed.status).toBe(201);
    expect((await detail(pat!.id)).status).toBe('scheduled');
  });

  test('When another interview holds the time, then even an override is refused with 409 slot-taken', async () => {
    const study = await createStudy(stack, hedy);
    const [ann, ben] = await invite(stack, hedy, study.id, 2, 'taken');
    const slot = await slotTomorrow(stack, ann!.token, 7);
    expect((await book(stack, ann!.token, slot.start)).status).toBe(201);

    const notOffered = await bookByHand(hedy, ben!.id, { start: slot.start });
    const overridden = await bookByHand(hedy, ben!.id, {
      start: slot.start,
      override: { reason: 'Squeeze in' },
      confirmOverlap: true,
    });

    expect(notOffered.status).toBe(409);
    expect((await notOffered.json()).reasons.map((reason: { code: string }) => reason.code)).toContain(
      'already-booked',
    );
    expect(overridden.status).toBe(409);
    expect((await overridden.json()).type).toBe('urn:interview-scheduler:problem:slot-taken');
    expect((await detail(ben!.id)).status).toBe('invited');
  });

  test('When the participant already has an interview, then booking by hand moves it: the same event, a rescheduled row by the researcher', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 5);
    const own = await (await book(stack, pat!.token, slot.start)).json();
    const later = dayAt(4, 6);

    const answer = await bookByHand(hedy, pat!.id, { start: later.toISOString() });

    expect(answer.status).toBe(201);
    const body = await answer.json();
    expect(body.booking.id).toBe(own.booking.id);
    expect(body.booking.start).toBe(later.toISOString());
    const events = (await bookingEvents()).filter(
      (event) => event.extendedProperties?.private?.bookingId === own.booking.id,
    );
    expect(events).toHaveLength(1);
    expect(Date.parse(events[0]!.start.dateTime!)).toBe(later.getTime());
    expect((await detail(pat!.id)).history.at(-1)).toMatchObject({
      kind: 'rescheduled',
      source: 'researcher',
      actor: hedy.researcherId,
    });
  });

  test('When the durable job finishes a booking the researcher made (Google was slow), then the history still names the researcher and the reason', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const bookingId = randomUUID();
    const start = dayAt(5, 8);
    await stack.knex.transaction((trx) =>
      insertPendingBooking(trx, {
        id: bookingId,
        participantId: pat!.id,
        studyId: study.id,
        researcherId: hedy.researcherId,
        start,
        end: new Date(start.getTime() + 30 * 60_000),
        googleEventId: eventIdForBooking(bookingId),
        calendarId: RESEARCHER,
        bookedBy: { researcherId: hedy.researcherId, overrideReason: 'Agreed by phone' },
      }),
    );
    const { knex, access, logger, queue } = stack.features;

    // What the finish job runs: no facts from a request, everything read again.
    const outcome = await finishBooking(
      { knex, access, logger, queue, retry: { budgetMs: 1000, baseDelayMs: 10, maxDelayMs: 50 } },
      bookingId,
    );

    expect(outcome.state).toBe('confirmed');
    expect((await detail(pat!.id)).history.at(-1)).toMatchObject({
      to: 'scheduled',
      source: 'researcher',
      actor: hedy.researcherId,
      reason: 'Agreed by phone',
    });
  });

  test('When the OpenAPI document is read, then both routes are in it with their problems', async () => {
    const document = await (await fetch(`${stack.url}/openapi.json`)).json();

    expect(Object.keys(document.paths['/api/participants/{id}/booking'].post.responses)).toEqual(
      expect.arrayContaining(['201', '202', '400', '404', '409']),
    );
    expect(Object.keys(document.paths['/api/participants/{id}/logged-interview'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '404', '409']),
    );
  });

  test("When another team's participant is booked or logged, then it is 404 and nothing changes", async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);

    const booked = await bookByHand(other, pat!.id, { start: dayAt(2, 10).toISOString() });
    const logged = await logInterview(other, pat!.id, {
      start: dayAt(-1, 10).toISOString(),
      status: 'completed',
    });

    expect([booked.status, logged.status]).toEqual([404, 404]);
    expect((await detail(pat!.id)).status).toBe('invited');
  });

  test('When a past interview is logged as completed, then the status is the verdict with a history row, it shows in the timeline and the past list, and no Google event is made', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const eventsBefore = (await emulatorEvents(stack, RESEARCHER)).events.length;
    const start = dayAt(-2, 15);

    const answer = await logInterview(hedy, pat!.id, {
      start: start.toISOString(),
      status: 'completed',
      note: 'Phone call',
    });

    expect(answer.status).toBe(201);
    const body = await answer.json();
    expect(body.interview).toMatchObject({
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      note: 'Phone call',
    });
    expect(body.participant.status).toBe('completed');
    expect((await detail(pat!.id)).history.at(-1)).toMatchObject({
      kind: 'status',
      to: 'completed',
      source: 'researcher',
      actor: hedy.researcherId,
      reason: 'Phone call',
    });
    const timeline = await (
      await fetch(`${stack.url}/api/participants/${pat!.id}/timeline`, { headers: hedy.auth })
    ).json();
    const logged = timeline.items.find((item: { kind: string }) => item.kind === 'interview_logged');
    expect(logged.summary).toContain('Completed');
    expect(logged.details.interview).toEqual({ start: start.toISOString(), end: body.interview.end });
    const past = await (
      await fetch(`${stack.url}/api/interviews?when=past&limit=100`, { headers: hedy.auth })
    ).json();
    expect(past.interviews).toContainEqual(
      expect.objectContaining({ bookingId: body.interview.id, bookingState: 'logged', meetUrl: null }),
    );
    expect((await emulatorEvents(stack, RESEARCHER)).events.length).toBe(eventsBefore);
    // Held elsewhere: the time stays bookable for everyone else.
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);
  });

  test('When a past interview is logged as a no-show with an end, then that end is kept', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const start = dayAt(-1, 9);
    const end = dayAt(-1, 10);

    const answer = await logInterview(hedy, pat!.id, {
      start: start.toISOString(),
      end: end.toISOString(),
      status: 'no_show',
    });

    expect(answer.status).toBe(201);
    expect((await answer.json()).interview.end).toBe(end.toISOString());
    expect((await detail(pat!.id)).status).toBe('no_show');
  });

  test.each([
    ['a start in the future', () => ({ start: dayAt(1, 10).toISOString(), status: 'completed' })],
    [
      'an end before the start',
      () => ({ start: dayAt(-1, 10).toISOString(), end: dayAt(-1, 9).toISOString(), status: 'completed' }),
    ],
    ['a status that is not a verdict', () => ({ start: dayAt(-1, 10).toISOString(), status: 'scheduled' })],
    [
      'an end in the future',
      () => ({
        start: new Date(Date.now() - 600_000).toISOString(),
        end: new Date(Date.now() + 600_000).toISOString(),
        status: 'completed',
      }),
    ],
    [
      'an end more than 24 hours after the start',
      () => ({ start: dayAt(-3, 10).toISOString(), end: dayAt(-1, 11).toISOString(), status: 'completed' }),
    ],
    ['a start in the year 0050', () => ({ start: '0050-06-01T10:00:00Z', status: 'completed' })],
    ['no start', () => ({ status: 'completed' })],
  ])('When a logged interview has %s, then it is a 400 and nothing changes', async (_name, body) => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);

    const answer = await logInterview(hedy, pat!.id, body());

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect((await detail(pat!.id)).status).toBe('invited');
    expect(await stack.knex('logged_interviews').where({ participant_id: pat!.id })).toHaveLength(0);
  });

  test('When an interview that began ten minutes ago is logged without an end, then it ends now, not in the future, and is among the past interviews', async () => {
    const study = await createStudy(stack, hedy, { durationMinutes: 60 });
    const [pat] = await invite(stack, hedy, study.id);
    const before = Date.now();

    const answer = await logInterview(hedy, pat!.id, {
      start: new Date(before - 600_000).toISOString(),
      status: 'completed',
    });

    expect(answer.status).toBe(201);
    const { interview } = await answer.json();
    expect(Date.parse(interview.end)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(interview.end)).toBeGreaterThanOrEqual(before);
    const past = await (await fetch(`${stack.url}/api/interviews?when=past`, { headers: hedy.auth })).json();
    expect(past.interviews.map((item: { bookingId: string }) => item.bookingId)).toContain(interview.id);
  });

  test('When a reason is given for a time the study offers, then nothing is recorded as overridden', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 5);

    const answer = await bookByHand(hedy, pat!.id, {
      start: slot.start,
      override: { reason: 'typed for another time' },
    });

    expect(answer.status).toBe(201);
    const scheduled = (await detail(pat!.id)).history.at(-1);
    expect(scheduled).toMatchObject({ to: 'scheduled', source: 'researcher', reason: null });
    const row = await stack.knex('bookings').where({ participant_id: pat!.id }).first('override_reason');
    expect(row.override_reason).toBeNull();
  });

  test.each([
    ['a year before 1970', '0050-06-01T10:00:00Z'],
    ['an offset that reaches the year 10000', '9999-12-31T23:00:00-02:00'],
  ])(
    'When the time is %s, then booking by hand and asking why are a 400, not a 500',
    async (_name, start) => {
      const study = await createStudy(stack, hedy);
      const [pat] = await invite(stack, hedy, study.id);

      const booked = await bookByHand(hedy, pat!.id, { start, override: { reason: 'x' } });
      const why = await fetch(
        `${stack.url}/api/studies/${study.id}/availability/explain?start=${encodeURIComponent(start)}`,
        { headers: hedy.auth },
      );
      const participantBooks = await book(stack, pat!.token, start);

      expect([booked.status, why.status, participantBooks.status]).toEqual([400, 400, 400]);
      expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toHaveLength(0);
    },
  );

  test('When the participant has an interview booked, then logging another is refused with 409', async () => {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 3);
    expect((await book(stack, pat!.token, slot.start)).status).toBe(201);

    const answer = await logInterview(hedy, pat!.id, {
      start: dayAt(-1, 10).toISOString(),
      status: 'completed',
    });

    expect(answer.status).toBe(409);
    expect((await detail(pat!.id)).status).toBe('scheduled');
  });
});
