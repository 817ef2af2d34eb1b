import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../src/google';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const studyBody = {
  title: 'Onboarding interviews',
  durationMinutes: 30,
  timeZone: 'America/New_York',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};

const HOUR = 3_600_000;

describe('The interviews lists (GET /api/interviews)', () => {
  let stack: Stack;
  let ada: SignedIn;
  let bob: SignedIn;
  let studyId: string;
  /** Participant name → start of their interview, as written below. */
  const starts = new Map<string, Date>();

  function call(who: SignedIn, path: string) {
    return fetch(`${stack.url}${path}`, { headers: who.auth });
  }

  /** A participant of Ada's with an interview at `offsetHours` from now (written directly). */
  async function interview(name: string, offsetHours: number, state = 'confirmed'): Promise<string> {
    const added = await fetch(`${stack.url}/api/studies/${studyId}/participants`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ participants: [{ name, email: `${name.toLowerCase()}@example.com` }] }),
    });
    const participantId = (await added.json()).participants[0].id as string;
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + offsetHours * HOUR);
    const id = randomUUID();
    await stack.knex('bookings').insert({
      id,
      participant_id: participantId,
      study_id: studyId,
      researcher_id: ada.researcherId,
      during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, new Date(start.getTime() + 30 * 60_000)]),
      state,
      google_event_id: eventIdForBooking(id),
      calendar_id: ada.email,
      meet_url: `https://meet.google.com/${name.toLowerCase().slice(0, 3)}-abcd-efg`,
    });
    if (state !== 'cancelled') {
      await stack.knex('participants').where({ id: participantId }).update({ status: 'scheduled' });
    }
    starts.set(name, start);
    return id;
  }

  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada.lists@example.com', 'Ada Lovelace');
    bob = await signIn(stack, 'bob.lists@example.com');
    const created = await fetch(`${stack.url}/api/studies`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify(studyBody),
    });
    studyId = (await created.json()).id;
    // Written out of order, so the order of the answers is the query's, not the insert's.
    await interview('Uma', 50);
    await interview('Pia', -50);
    await interview('Ron', -0.2); // started 12 minutes ago, still running: upcoming
    await interview('Una', 26);
    await interview('Pat', -26);
    await interview('Ulf', 74);
    await interview('Pen', -74);
    await interview('Cal', 30, 'cancelled');
  });
  afterAll(() => stack.close());

  const names = (body: { interviews: { participant: { name: string } }[] }) =>
    body.interviews.map((interview) => interview.participant.name);

  test('When the researcher asks for upcoming interviews, then they come soonest first, a running one included and a cancelled one left out', async () => {
    const answer = await call(ada, '/api/interviews?when=upcoming');

    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(names(body)).toEqual(['Ron', 'Una', 'Uma', 'Ulf']);
    expect(body.nextCursor).toBeNull();
    expect(body.interviews[1]).toEqual({
      bookingId: expect.any(String),
      start: starts.get('Una')!.toISOString(),
      end: new Date(starts.get('Una')!.getTime() + 30 * 60_000).toISOString(),
      bookingState: 'confirmed',
      meetUrl: 'https://meet.google.com/una-abcd-efg',
      participant: {
        id: expect.any(String),
        name: 'Una',
        status: 'scheduled',
        statusLabel: 'Interview Scheduled',
      },
      study: { id: studyId, title: 'Onboarding interviews', timeZone: 'America/New_York' },
    });
  });

  test('When the researcher asks for past interviews, then they come newest first', async () => {
    const body = await (await call(ada, '/api/interviews?when=past')).json();

    expect(names(body)).toEqual(['Pat', 'Pia', 'Pen']);
  });

  test('When the researcher pages through a list two at a time, then every interview comes exactly once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page = await (
        await call(ada, `/api/interviews?when=upcoming&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.interviews.length).toBeLessThanOrEqual(2);
      seen.push(...names(page));
      cursor = page.nextCursor;
      pages += 1;
    }

    expect(seen).toEqual(['Ron', 'Una', 'Uma', 'Ulf']);
    expect(pages).toBe(2);
    const first = await (await call(ada, '/api/interviews?when=past&limit=1')).json();
    const second = await (
      await call(ada, `/api/interviews?when=past&limit=1&cursor=${first.nextCursor}`)
    ).json();
    expect([...names(first), ...names(second)]).toEqual(['Pat', 'Pia']);
  });

  test('When a researcher of another team asks, then they see none of these interviews', async () => {
    for (const when of ['upcoming', 'past']) {
      const body = await (await call(bob, `/api/interviews?when=${when}`)).json();
      expect(body).toEqual({ interviews: [], nextCursor: null });
    }
  });

  test('When the query is not valid, then the answer is a 400 problem naming the field', async () => {
    for (const [query, field] of [
      ['when=tomorrow', 'when'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('2026-01-01T00:00:00.000Z|x').toString('base64url')}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['sort=name', ''],
    ] as const) {
      const answer = await call(ada, `/api/interviews?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (field) expect(JSON.stringify(await answer.json())).toContain(field);
    }
  });

  test('When nobody is signed in, then the answer is 401', async () => {
    expect((await fetch(`${stack.url}/api/interviews`)).status).toBe(401);
  });

  test('The route is in the OpenAPI document', async () => {
    const document = await (await fetch(`${stack.url}/openapi.json`)).json();
    expect(document.paths['/api/interviews'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'when', in: 'query' })]),
    );
  });
});
