import { createKnex } from '../../src/db/knex';
import { participantTimeline } from '../../src/participants/participant-timeline';
import { book, createStudy, invite, slotTomorrow, type Invited } from '../bookings/support';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-test-server';
import {
  eventually,
  participantEmailsSent,
  signIn,
  startStack,
  type SignedIn,
  type Stack,
} from '../support/stack';
import { asGoogleUser } from '../sync/calendar-support';

interface Item {
  at: string;
  kind: string;
  summary: string;
  details: Record<string, unknown>;
}
interface Timeline {
  timeZone: string;
  items: Item[];
  next: string | null;
}

async function call(stack: Stack, who: SignedIn, method: string, path: string, body?: unknown) {
  return fetch(`${stack.url}${path}`, {
    method,
    headers: { ...who.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function timelineOf(stack: Stack, who: SignedIn, participantId: string, query = ''): Promise<Timeline> {
  const answer = await call(stack, who, 'GET', `/api/participants/${participantId}/timeline${query}`);
  if (answer.status !== 200) throw new Error(`timeline: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as Timeline;
}

/** Whole hours ago, so the interview has started and a verdict is allowed. */
function hoursAgo(hours: number): Date {
  const at = new Date(Date.now() - hours * 3600_000);
  at.setUTCMinutes(0, 0, 0);
  return at;
}

describe("A participant's activity timeline", () => {
  let stack: Stack;
  let researcher: SignedIn;
  let other: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'tess@lab.example', 'Tess Timeline');
    other = await signIn(stack, 'olga@lab.example', 'Olga Other');
    studyId = (await createStudy(stack, researcher, { title: 'Timeline study' })).id;
  });
  afterAll(() => stack.close());

  /** Invited, the invitation sent, an interview booked from the link and on the calendar. */
  async function bookedParticipant(hour: number) {
    const [participant] = (await invite(stack, researcher, studyId)) as [Invited];
    await eventually(async () => {
      const { items } = await timelineOf(stack, researcher, participant.id);
      return items.some((item) => item.kind === 'email' && item.details.state === 'sent');
    }, 10_000);
    const slot = await slotTomorrow(stack, participant.token, hour);
    const answer = await book(stack, participant.token, slot.start);
    expect(answer.status).toBe(201);
    const { booking } = (await answer.json()) as { booking: { id: string } };
    const row = await stack.knex('bookings').where({ id: booking.id }).first('google_event_id');
    // Emails sit in the timeline at the time they went out: wait for the confirmation to go
    // out, so what the test does next comes after it, however slow the machine.
    await until(participant.id, (items) =>
      items.some((item) => item.details.emailKind === 'confirmation' && item.details.state === 'sent'),
    );
    await stack.emulator.pushSettled();
    const eventPath = (action: string) =>
      `/calendars/${encodeURIComponent(researcher.email)}/events/${row.google_event_id}/${action}`;
    return { participant, slot, eventPath, eventId: row.google_event_id as string };
  }

  async function until(participantId: string, found: (items: Item[]) => boolean): Promise<Item[]> {
    return eventually(async () => {
      const { items } = await timelineOf(stack, researcher, participantId);
      return found(items) ? items : undefined;
    }, 10_000);
  }

  test('When a participant books, the event moves in the calendar, they answer Maybe, then Yes, and the researcher records a No Show, then the timeline lists each once, newest first, with the old and new times', async () => {
    const { participant, slot, eventPath } = await bookedParticipant(10);
    const movedStart = hoursAgo(3);
    const movedEnd = new Date(movedStart.getTime() + 30 * 60_000);

    await asGoogleUser(stack, eventPath('move'), {
      start: movedStart.toISOString(),
      end: movedEnd.toISOString(),
    });
    await until(participant.id, (items) => items.some((item) => item.kind === 'moved'));
    await asGoogleUser(stack, eventPath('respond'), {
      email: participant.email,
      responseStatus: 'tentative',
    });
    await until(participant.id, (items) => items.some((item) => item.details.to === 'tentative'));
    await asGoogleUser(stack, eventPath('respond'), { email: participant.email, responseStatus: 'accepted' });
    await until(participant.id, (items) => items.some((item) => item.details.to === 'accepted'));
    const verdict = await call(stack, researcher, 'POST', `/api/participants/${participant.id}/status`, {
      status: 'no_show',
      reason: 'did not join',
    });
    expect(verdict.status).toBe(200);
    // Anything the calendar still had to say has arrived: nothing may come twice.
    await stack.emulator.pushSettled();

    const { items, timeZone, next } = await timelineOf(stack, researcher, participant.id);
    expect(timeZone).toBe('UTC');
    expect(next).toBeNull();
    expect(items.filter((item) => item.kind !== 'email').map((item) => [item.kind, item.summary])).toEqual([
      ['status', 'Status changed: Interview Scheduled → No Show, by Tess Timeline'],
      ['rsvp', 'The participant answered Yes (accepted) again in Google Calendar'],
      ['rsvp', 'The participant answered Maybe (tentative) in Google Calendar'],
      ['moved', expect.stringMatching(/^Interview moved by Google Calendar: .+ → .+$/)],
      ['booked', expect.stringMatching(/^Interview booked for /)],
      ['invited', 'Invited to the study by Tess Timeline'],
    ]);
    expect(items[0]?.details).toEqual(
      expect.objectContaining({
        source: 'researcher',
        reason: 'did not join',
        from: 'scheduled',
        to: 'no_show',
      }),
    );
    const moved = items.find((item) => item.kind === 'moved');
    expect(moved?.details).toEqual(
      expect.objectContaining({
        source: 'calendar',
        from: { start: slot.start, end: slot.end },
        to: { start: movedStart.toISOString(), end: movedEnd.toISOString() },
      }),
    );
    // The confirmation; the move into the past is record keeping, not news for the participant.
    expect(items.filter((item) => item.kind === 'email')).toEqual([
      expect.objectContaining({
        summary: 'Confirmation email sent',
        details: expect.objectContaining({ emailKind: 'confirmation', state: 'sent', attempts: 1 }),
      }),
      expect.objectContaining({
        summary: 'Invitation email sent',
        details: expect.objectContaining({ emailKind: 'invitation', state: 'sent', attempts: 1 }),
      }),
    ]);
    const times = items.map((item) => Date.parse(item.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The status stayed what the rule book says: tentative changed nothing.
    const detail = await (await call(stack, researcher, 'GET', `/api/participants/${participant.id}`)).json();
    expect(detail.status).toBe('no_show');
  });

  test("When the researcher changes the event's title and location in Google Calendar, then each change is listed once with before and after", async () => {
    const { participant, eventId } = await bookedParticipant(12);

    await stack.features.access.withCalendar(researcher.researcherId, ({ client }) =>
      client.patchEvent(
        researcher.email,
        eventId,
        { summary: 'Checkout chat (room changed)', location: 'Room 4.12' },
        { sendUpdates: 'all' },
      ),
    );
    const items = await until(participant.id, (found) => found.some((item) => item.kind === 'event_changed'));
    await stack.emulator.pushSettled();
    const changes = (await timelineOf(stack, researcher, participant.id)).items.filter(
      (item) => item.kind === 'event_changed',
    );
    expect(changes.map((item) => item.details.field).sort()).toEqual(['location', 'title']);
    expect(changes.find((item) => item.details.field === 'location')).toEqual(
      expect.objectContaining({
        summary: "The event's location changed in Google Calendar: none → “Room 4.12”",
        details: expect.objectContaining({ from: null, to: 'Room 4.12', source: 'calendar' }),
      }),
    );
    expect(changes.find((item) => item.details.field === 'title')?.details.to).toBe(
      'Checkout chat (room changed)',
    );
    expect(items.some((item) => item.kind === 'rsvp')).toBe(false);
  });

  test('When the participant declines in Google Calendar, then the timeline shows one cancellation by the participant, with the reason, and no separate answer', async () => {
    const { participant, eventPath } = await bookedParticipant(14);

    await asGoogleUser(stack, eventPath('respond'), { email: participant.email, responseStatus: 'declined' });
    await until(participant.id, (items) => items.some((item) => item.kind === 'canceled'));
    await stack.emulator.pushSettled();

    const { items } = await timelineOf(stack, researcher, participant.id);
    expect(items.filter((item) => item.kind !== 'email').map((item) => item.kind)).toEqual([
      'canceled',
      'booked',
      'invited',
    ]);
    expect(items.find((item) => item.kind !== 'email')).toEqual(
      expect.objectContaining({
        summary: 'Interview canceled by the participant',
        details: expect.objectContaining({ reason: 'participant declined the invitation' }),
      }),
    );
    expect(items.filter((item) => item.kind === 'email').map((item) => item.details.emailKind)).toEqual([
      'cancellation',
      'confirmation',
      'invitation',
    ]);
  });

  test('When the timeline is read, then it is one query, and pages of it follow one another without gaps or repeats', async () => {
    const [participant] = (await invite(stack, researcher, studyId)) as [Invited];
    await call(stack, researcher, 'POST', `/api/participants/${participant.id}/reinvite`);
    await call(stack, researcher, 'POST', `/api/participants/${participant.id}/reinvite`);
    // A sent email moves to its sending time: out first, so the timeline holds still.
    await participantEmailsSent(stack, participant.id);
    const whole = await timelineOf(stack, researcher, participant.id);
    expect(whole.items.length).toBeGreaterThanOrEqual(6);

    const seen: Item[] = [];
    let query = '?limit=2';
    for (;;) {
      const page = await timelineOf(stack, researcher, participant.id, query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      if (!page.next) break;
      query = `?limit=2&before=${encodeURIComponent(page.next)}`;
    }
    expect(seen).toEqual(whole.items);

    // A pool of its own: the service's workers (mail, sync) share stack.knex and would be counted too.
    const reader = createKnex(stack.db.url, 1);
    let queries = 0;
    reader.on('query', () => void (queries += 1));
    try {
      await participantTimeline(reader, researcher.researcherId, participant.id);
    } finally {
      await reader.destroy();
    }
    expect(queries).toBe(1);
  });

  test("When a researcher of another team asks for a participant's timeline, or the page cursor is made up, then 404 and 400", async () => {
    const [participant] = (await invite(stack, researcher, studyId)) as [Invited];
    expect((await call(stack, other, 'GET', `/api/participants/${participant.id}/timeline`)).status).toBe(
      404,
    );
    const made = await call(
      stack,
      researcher,
      'GET',
      `/api/participants/${participant.id}/timeline?before=x`,
    );
    expect(made.status).toBe(400);
    expect(made.headers.get('content-type')).toContain('application/problem+json');
    const big = await call(
      stack,
      researcher,
      'GET',
      `/api/participants/${participant.id}/timeline?limit=501`,
    );
    expect(big.status).toBe(400);
  });
});

describe('A failed email in the timeline', () => {
  let smtp: TestSmtpServer;
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    smtp.answer = () => ({ accept: false, code: 550, message: '5.1.1 Mailbox does not exist' });
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    researcher = await signIn(stack, 'fay@lab.example', 'Fay Failed');
  });
  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });

  test('When the mail server refuses the invitation, then the timeline says it failed and gives the server’s reason', async () => {
    const studyId = (await createStudy(stack, researcher)).id;
    const [participant] = (await invite(stack, researcher, studyId)) as [Invited];

    const failed = await eventually(async () => {
      const { items } = await timelineOf(stack, researcher, participant.id);
      return items.find((item) => item.kind === 'email' && item.details.state === 'failed');
    }, 10_000);
    expect(failed.summary).toMatch(/^Invitation email failed after 1 attempt: .*550.*Mailbox does not exist/);
    expect(failed.details.lastError).toMatch(/Mailbox does not exist/);
  });
});
