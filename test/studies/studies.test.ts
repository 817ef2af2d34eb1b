import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const valid = {
  title: 'Checkout usability',
  durationMinutes: 45,
  timeZone: 'Europe/Berlin',
  availability: {
    weekly: {
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      wed: [{ start: '10:00', end: '16:00' }],
    },
    dateOverrides: [{ date: '2026-12-24', windows: [] }],
  },
};

describe('Studies', () => {
  let stack: Stack;
  let ada: SignedIn;
  let bob: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    ada = await signIn(stack, 'ada@example.com');
    bob = await signIn(stack, 'bob@example.com');
  });
  afterAll(() => stack.close());

  const call = (who: SignedIn, method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { ...who.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  test('When a valid study is created, then it is stored with every default spelled out', async () => {
    const answer = await call(ada, 'POST', '/api/studies', valid);

    expect(answer.status).toBe(201);
    const study = await answer.json();
    expect(answer.headers.get('location')).toBe(`/api/studies/${study.id}`);
    expect(study).toMatchObject({
      title: 'Checkout usability',
      status: 'open',
      durationMinutes: 45,
      timeZone: 'Europe/Berlin',
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 240,
      horizonDays: 30,
      startDate: null,
      endDate: null,
      dailyLimit: null,
      conflictHandling: 'busy',
      guests: [],
      participantCounts: { invited: 0, scheduled: 0, canceled: 0, no_show: 0, completed: 0 },
    });
    expect(study.eventTitle).toContain('{{participantName}}');
    const fetched = await (await call(ada, 'GET', `/api/studies/${study.id}`)).json();
    expect(fetched).toEqual(study);
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['no title', { ...valid, title: '  ' }, 'title'],
    ['an unknown field', { ...valid, colour: 'red' }, ''],
    ['a time zone that does not exist', { ...valid, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a duration under 5 minutes', { ...valid, durationMinutes: 4 }, 'durationMinutes'],
    ['a duration over 480 minutes', { ...valid, durationMinutes: 481 }, 'durationMinutes'],
    ['a fractional duration', { ...valid, durationMinutes: 30.5 }, 'durationMinutes'],
    [
      'a window ending before it starts',
      { ...valid, availability: { weekly: { mon: [{ start: '12:00', end: '09:00' }] } } },
      'availability.weekly.mon.0.end',
    ],
    [
      'a time that is not HH:MM',
      { ...valid, availability: { weekly: { mon: [{ start: '9am', end: '17:00' }] } } },
      'availability.weekly.mon.0.start',
    ],
    [
      'overlapping windows',
      {
        ...valid,
        availability: {
          weekly: {
            tue: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        },
      },
      'availability.weekly.tue.1.start',
    ],
    ['an unknown weekday', { ...valid, availability: { weekly: { funday: [] } } }, 'availability.weekly'],
    [
      'an override on an impossible date',
      { ...valid, availability: { weekly: {}, dateOverrides: [{ date: '2026-02-30', windows: [] }] } },
      'availability.dateOverrides.0.date',
    ],
    ['a horizon over 365 days', { ...valid, horizonDays: 366 }, 'horizonDays'],
    [
      'both a horizon and fixed dates',
      { ...valid, horizonDays: 10, startDate: '2026-12-01', endDate: '2026-12-31' },
      'horizonDays',
    ],
    ['a start date without an end date', { ...valid, startDate: '2026-12-01' }, 'endDate'],
    [
      'an end date before the start date',
      { ...valid, startDate: '2026-12-10', endDate: '2026-12-01' },
      'endDate',
    ],
    ['a negative buffer', { ...valid, bufferBeforeMinutes: -5 }, 'bufferBeforeMinutes'],
    ['a slot step of 0', { ...valid, slotStepMinutes: 0 }, 'slotStepMinutes'],
    ['a daily limit of 0', { ...valid, dailyLimit: 0 }, 'dailyLimit'],
    [
      'an unknown placeholder in the event title',
      { ...valid, eventTitle: 'Hi {{participantNmae}}' },
      'eventTitle',
    ],
    ['a guest that is not an email', { ...valid, guests: ['not-an-email'] }, 'guests.0'],
    ['a conflict handling that does not exist', { ...valid, conflictHandling: 'maybe' }, 'conflictHandling'],
  ];

  test.each(badInputs)(
    'When a study has %s, then it is a 400 naming the field and nothing is stored',
    async (_, body, path) => {
      const before = await stack.knex('studies').count<{ count: number }[]>('* as count');

      const answer = await call(ada, 'POST', '/api/studies', body);

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      const problem = await answer.json();
      expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path);
      expect(await stack.knex('studies').count('* as count')).toEqual(before);
    },
  );

  test('When a study is patched, then only the named fields change and null clears an optional one', async () => {
    const created = await (await call(ada, 'POST', '/api/studies', { ...valid, dailyLimit: 3 })).json();

    const patched = await (
      await call(ada, 'PATCH', `/api/studies/${created.id}`, {
        title: 'Renamed',
        dailyLimit: null,
        status: 'closed',
      })
    ).json();

    expect(patched).toMatchObject({
      title: 'Renamed',
      dailyLimit: null,
      status: 'closed',
      durationMinutes: 45,
      timeZone: 'Europe/Berlin',
    });
  });

  test('When a patch switches to fixed dates, then the rolling horizon is dropped', async () => {
    const created = await (await call(ada, 'POST', '/api/studies', valid)).json();

    const answer = await call(ada, 'PATCH', `/api/studies/${created.id}`, {
      startDate: '2026-12-01',
      endDate: '2026-12-20',
    });

    expect(await answer.json()).toMatchObject({
      horizonDays: null,
      startDate: '2026-12-01',
      endDate: '2026-12-20',
    });
  });

  test('When a patch would make the study invalid, then it is a 400 and the study is unchanged', async () => {
    const created = await (await call(ada, 'POST', '/api/studies', valid)).json();

    const answer = await call(ada, 'PATCH', `/api/studies/${created.id}`, {
      durationMinutes: 1000,
      title: 'Changed',
    });

    expect(answer.status).toBe(400);
    expect((await answer.json()).errors[0].path).toBe('durationMinutes');
    expect(await (await call(ada, 'GET', `/api/studies/${created.id}`)).json()).toEqual(created);
  });

  test('When a patch is empty or names an unknown field, then it is a 400', async () => {
    const created = await (await call(ada, 'POST', '/api/studies', valid)).json();
    expect((await call(ada, 'PATCH', `/api/studies/${created.id}`, {})).status).toBe(400);
    expect((await call(ada, 'PATCH', `/api/studies/${created.id}`, { colour: 'red' })).status).toBe(400);
  });

  test("When a researcher asks for another team's study, then it is a 404 (never a 403 with data)", async () => {
    const adas = await (await call(ada, 'POST', '/api/studies', valid)).json();

    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { title: 'Mine now' }],
    ] as const) {
      const answer = await call(bob, method, `/api/studies/${adas.id}`, body);
      expect(answer.status).toBe(404);
    }
    const bobs = await (await call(bob, 'GET', '/api/studies')).json();
    expect(bobs.studies).toEqual([]);
    expect((await call(ada, 'GET', `/api/studies/${adas.id}`)).status).toBe(200);
  });

  test('When the study id is not an id at all, then it is a 400 naming the parameter', async () => {
    const answer = await call(ada, 'GET', '/api/studies/nope');
    expect(answer.status).toBe(400);
    expect((await answer.json()).errors[0]).toMatchObject({ location: 'params', path: 'id' });
  });
});
