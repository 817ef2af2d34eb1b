import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const study = {
  title: 'Checkout usability',
  durationMinutes: 45,
  timeZone: 'Europe/Berlin',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};

describe("A study's reminder times through the API", () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    ada = await signIn(stack, 'ada@example.com');
  });
  afterAll(() => stack.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { ...ada.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  test('When a study is created without reminder times, then it has one reminder 24 hours before', async () => {
    const created = await (await call('POST', '/api/studies', study)).json();

    expect(created.reminderMinutesBefore).toEqual([1440]);
  });

  test('When a study asks for 1 hour and 24 hours, then both are kept, latest first, and a PATCH to [] turns them off', async () => {
    const created = await (
      await call('POST', '/api/studies', { ...study, reminderMinutesBefore: [60, 1440] })
    ).json();
    expect(created.reminderMinutesBefore).toEqual([1440, 60]);

    const patched = await call('PATCH', `/api/studies/${created.id}`, { reminderMinutesBefore: [] });

    expect(patched.status).toBe(200);
    expect((await patched.json()).reminderMinutesBefore).toEqual([]);
    const row = await stack.knex('studies').where({ id: created.id }).first('reminder_minutes_before');
    expect(row.reminder_minutes_before).toEqual([]);
  });

  test.each([
    [[5], 'at least 15 minutes'],
    [[20000], 'at most 7 days'],
    [[60, 60], 'only once'],
    [[30, 60, 120, 1440], 'At most 3'],
    ['1440', 'expected array'],
  ])(
    'When a study asks for %j, then it is a 400 problem naming reminderMinutesBefore and nothing is saved',
    async (given, words) => {
      const before = await stack.knex('studies').count<{ count: string }[]>('* as count');

      const answer = await call('POST', '/api/studies', { ...study, reminderMinutesBefore: given });

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      const problem = await answer.json();
      expect(JSON.stringify(problem.errors)).toContain('reminderMinutesBefore');
      expect(JSON.stringify(problem)).toContain(words);
      const after = await stack.knex('studies').count<{ count: string }[]>('* as count');
      expect(after).toEqual(before);
    },
  );

  test('When a PATCH asks for an invalid reminder time, then it is a 400 and the study keeps its times', async () => {
    const created = await (await call('POST', '/api/studies', study)).json();

    const answer = await call('PATCH', `/api/studies/${created.id}`, { reminderMinutesBefore: [1] });

    expect(answer.status).toBe(400);
    expect((await (await call('GET', `/api/studies/${created.id}`)).json()).reminderMinutesBefore).toEqual([
      1440,
    ]);
  });
});
