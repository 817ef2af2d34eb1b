import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Who hosts a study, through the API: the scheduling type, whose hours, the hosts in
 * order. Every refusal is a problem+json answer that changes nothing.
 */

const valid = {
  title: 'Checkout usability',
  durationMinutes: 45,
  timeZone: 'Europe/Berlin',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};
const hours = {
  timeZone: 'America/New_York',
  availability: { weekly: { tue: [{ start: '10:00', end: '14:00' }] } },
};

describe('Study hosts', () => {
  let stack: Stack;
  let ada: SignedIn;
  let ben: SignedIn;
  let carl: SignedIn; // another team
  let dana: string; // in Ada's team, never connected Google
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    ada = await signIn(stack, 'ada@example.com', 'Ada');
    ben = await signIn(stack, 'ben@example.com', 'Ben');
    carl = await signIn(stack, 'carl@example.com', 'Carl');
    const { knex } = stack;
    const team = knex('researchers').select('team_id').where({ id: ada.researcherId });
    await knex('researchers').where({ id: ben.researcherId }).update({ team_id: team });
    const [row] = await knex('researchers')
      .insert({ google_sub: 'dana-sub', email: 'dana@example.com', name: 'Dana' })
      .returning<{ id: string }[]>('id');
    dana = row!.id;
    await knex('researchers').where({ id: dana }).update({ team_id: team });
  });
  afterAll(() => stack.close());

  const call = (who: SignedIn, method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { ...who.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const studyRows = () => stack.knex('studies').count<{ count: string }[]>('* as count');
  const hostRows = (studyId: string) =>
    stack.knex('study_hosts').where({ study_id: studyId }).orderBy('position').pluck('researcher_id');

  test('When a study is created without hosts, then the creator alone hosts it one-on-one on the study schedule', async () => {
    const answer = await call(ada, 'POST', '/api/studies', valid);

    expect(answer.status).toBe(201);
    const study = await answer.json();
    expect(study).toMatchObject({
      schedulingType: 'one_on_one',
      hostHours: 'study',
      hosts: [
        {
          researcherId: ada.researcherId,
          name: 'Ada',
          email: 'ada@example.com',
          connection: 'connected',
          hasOwnHours: false,
        },
      ],
    });
    expect(await hostRows(study.id)).toEqual([ada.researcherId]);
  });

  test('When a collective study names two team members, then both host it in that order and every read shows them', async () => {
    const answer = await call(ada, 'POST', '/api/studies', {
      ...valid,
      schedulingType: 'collective',
      hosts: [ben.researcherId, ada.researcherId],
    });

    expect(answer.status).toBe(201);
    const study = await answer.json();
    expect(study.schedulingType).toBe('collective');
    expect(study.hosts.map((host: { name: string }) => host.name)).toEqual(['Ben', 'Ada']);
    expect(await hostRows(study.id)).toEqual([ben.researcherId, ada.researcherId]);
    expect(await (await call(ada, 'GET', `/api/studies/${study.id}`)).json()).toMatchObject({
      hosts: [{ researcherId: ben.researcherId }, { researcherId: ada.researcherId }],
    });
    const list = await (await call(ada, 'GET', '/api/studies')).json();
    expect(list.studies.find((s: { id: string }) => s.id === study.id).hosts).toHaveLength(2);
  });

  const refusals: [string, () => Record<string, unknown>, number, string, string][] = [
    [
      'one-on-one with two hosts',
      () => ({ hosts: [ada.researcherId, ben.researcherId] }),
      400,
      'host-count',
      'hosts',
    ],
    [
      'collective with one host',
      () => ({ schedulingType: 'collective', hosts: [ada.researcherId] }),
      400,
      'host-count',
      'hosts',
    ],
    [
      'round robin with one host',
      () => ({ schedulingType: 'round_robin', hosts: [ben.researcherId] }),
      400,
      'host-count',
      'hosts',
    ],
    [
      'a host twice',
      () => ({ schedulingType: 'collective', hosts: [ada.researcherId, ada.researcherId] }),
      400,
      'host-duplicate',
      'hosts.1',
    ],
    ['no hosts', () => ({ hosts: [] }), 400, 'validation', 'hosts'],
    ['a host id that is not an id', () => ({ hosts: ['ben'] }), 400, 'validation', 'hosts.0'],
    ['an unknown scheduling type', () => ({ schedulingType: 'panel' }), 400, 'validation', 'schedulingType'],
    [
      "another team's researcher",
      () => ({ schedulingType: 'round_robin', hosts: [ada.researcherId, carl.researcherId] }),
      400,
      'host-not-in-team',
      'hosts.1',
    ],
    [
      'a member who never connected Google',
      () => ({ schedulingType: 'collective', hosts: [ada.researcherId, dana] }),
      409,
      'host-not-connected',
      'hosts',
    ],
    [
      "each host's own hours when a host keeps none",
      () => ({ hostHours: 'per_host' }),
      409,
      'host-hours-missing',
      'hostHours',
    ],
  ];

  test.each(refusals)(
    'When a study is created with %s, then it is refused and nothing is stored',
    async (_name, hosting, status, code, path) => {
      const before = await studyRows();
      const answer = await call(ada, 'POST', '/api/studies', { ...valid, ...hosting() });

      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      const problem = await answer.json();
      expect(problem.type).toBe(`urn:interview-scheduler:problem:${code}`);
      expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path);
      expect(await studyRows()).toEqual(before);
    },
  );

  test("When another team's researcher is named, then the answer names the id and not who it is", async () => {
    const answer = await call(ada, 'POST', '/api/studies', {
      ...valid,
      schedulingType: 'collective',
      hosts: [ada.researcherId, carl.researcherId],
    });

    const text = await answer.text();
    expect(text).toContain(carl.researcherId);
    expect(text).not.toMatch(/carl/i);
  });

  test('When a host keeps no hours of their own, then the refusal names them, and once they keep hours the same study is accepted', async () => {
    const body = {
      ...valid,
      schedulingType: 'round_robin',
      hostHours: 'per_host',
      hosts: [ada.researcherId, ben.researcherId],
    };
    const refused = await call(ada, 'POST', '/api/studies', body);
    expect(refused.status).toBe(409);
    const problem = await refused.json();
    expect(problem.detail).toContain('Ada and Ben have no weekly hours of their own');
    expect(problem.researcherIds).toEqual([ada.researcherId, ben.researcherId]);

    expect((await call(ada, 'PUT', '/api/me/hours', hours)).status).toBe(200);
    expect((await call(ben, 'PUT', '/api/me/hours', hours)).status).toBe(200);
    const accepted = await call(ada, 'POST', '/api/studies', body);
    expect(accepted.status).toBe(201);
    expect((await accepted.json()).hosts.map((host: { hasOwnHours: boolean }) => host.hasOwnHours)).toEqual([
      true,
      true,
    ]);
  });

  test('When the creator’s own connection is revoked, then they can still create a study they host alone, as before hosts existed', async () => {
    await stack
      .knex('google_connections')
      .where({ researcher_id: ada.researcherId })
      .update({ state: 'revoked' });
    try {
      const answer = await call(ada, 'POST', '/api/studies', { ...valid, hosts: [ada.researcherId] });

      expect(answer.status).toBe(201);
      expect((await answer.json()).hosts).toMatchObject([
        { researcherId: ada.researcherId, connection: 'revoked' },
      ]);
    } finally {
      await stack
        .knex('google_connections')
        .where({ researcher_id: ada.researcherId })
        .update({ state: 'connected' });
    }
  });

  describe('Changing the hosts of a study', () => {
    let studyId: string;
    beforeEach(async () => {
      const created = await (await call(ada, 'POST', '/api/studies', valid)).json();
      studyId = created.id;
    });
    const snapshot = async () => ({
      study: await stack
        .knex('studies')
        .where({ id: studyId })
        .first('scheduling_type', 'host_hours', 'updated_at', 'title'),
      hosts: await hostRows(studyId),
    });

    test('When a PATCH makes it round robin with Ben first, then the hosts and type change and the other settings stay', async () => {
      const answer = await call(ada, 'PATCH', `/api/studies/${studyId}`, {
        schedulingType: 'round_robin',
        hosts: [ben.researcherId, ada.researcherId],
      });

      expect(answer.status).toBe(200);
      const study = await answer.json();
      expect(study).toMatchObject({
        title: 'Checkout usability',
        schedulingType: 'round_robin',
        hostHours: 'study',
      });
      expect(await hostRows(studyId)).toEqual([ben.researcherId, ada.researcherId]);
    });

    test('When a PATCH names only a type that the hosts do not fit, then it is refused and nothing changes', async () => {
      const before = await snapshot();
      const answer = await call(ada, 'PATCH', `/api/studies/${studyId}`, {
        schedulingType: 'collective',
        title: 'Renamed',
      });

      expect(answer.status).toBe(400);
      expect((await answer.json()).type).toBe('urn:interview-scheduler:problem:host-count');
      expect(await snapshot()).toEqual(before);
    });

    test('When a PATCH adds a member who never connected Google, then it is refused with host-not-connected and nothing changes', async () => {
      const before = await snapshot();
      const answer = await call(ada, 'PATCH', `/api/studies/${studyId}`, {
        schedulingType: 'collective',
        hosts: [ada.researcherId, dana],
        title: 'Renamed',
      });

      expect(answer.status).toBe(409);
      const problem = await answer.json();
      expect(problem).toMatchObject({
        type: 'urn:interview-scheduler:problem:host-not-connected',
        researcherIds: [dana],
      });
      expect(problem.detail).toContain('Dana has no connected Google calendar');
      expect(await snapshot()).toEqual(before);
    });

    test("When a host's connection is revoked, then they may stay a host, the study shows it, and they cannot be added elsewhere", async () => {
      await call(ada, 'PATCH', `/api/studies/${studyId}`, {
        schedulingType: 'collective',
        hosts: [ada.researcherId, ben.researcherId],
      });
      await stack
        .knex('google_connections')
        .where({ researcher_id: ben.researcherId })
        .update({ state: 'revoked' });
      try {
        const kept = await call(ada, 'PATCH', `/api/studies/${studyId}`, {
          title: 'Still collective',
          hosts: [ada.researcherId, ben.researcherId],
        });
        expect(kept.status).toBe(200);
        expect((await kept.json()).hosts[1]).toMatchObject({ name: 'Ben', connection: 'revoked' });

        const other = await (await call(ada, 'POST', '/api/studies', valid)).json();
        const added = await call(ada, 'PATCH', `/api/studies/${other.id}`, {
          schedulingType: 'round_robin',
          hosts: [ada.researcherId, ben.researcherId],
        });
        expect(added.status).toBe(409);
        expect(await hostRows(other.id)).toEqual([ada.researcherId]);
      } finally {
        await stack
          .knex('google_connections')
          .where({ researcher_id: ben.researcherId })
          .update({ state: 'connected' });
      }
    });

    test('When the hosts change, then an interview already booked keeps its hosts', async () => {
      const [participant] = await stack
        .knex('participants')
        .insert({
          study_id: studyId,
          researcher_id: ada.researcherId,
          name: 'Pat',
          email: 'pat@example.com',
          status: 'scheduled',
          booking_token_hash: 'hash-pat',
        })
        .returning<{ id: string }[]>('id');
      const [booking] = await stack
        .knex('bookings')
        .insert({
          study_id: studyId,
          researcher_id: ada.researcherId,
          participant_id: participant!.id,
          during: stack.knex.raw("tstzrange('2027-03-01T09:00Z', '2027-03-01T09:45Z')"),
          state: 'confirmed',
          google_event_id: 'hostskeep1',
          calendar_id: 'ada@example.com',
        })
        .returning<{ id: string }[]>('id');

      const answer = await call(ada, 'PATCH', `/api/studies/${studyId}`, { hosts: [ben.researcherId] });

      expect(answer.status).toBe(200);
      expect(await hostRows(studyId)).toEqual([ben.researcherId]);
      expect(await stack.knex('bookings').where({ id: booking!.id }).first('researcher_id')).toEqual({
        researcher_id: ada.researcherId,
      });
      expect(
        await stack.knex('booking_hosts').where({ booking_id: booking!.id }).pluck('researcher_id'),
      ).toEqual([ada.researcherId]);
    });
  });

  describe('A host’s own hours', () => {
    test('When hours are put, then they read back; bad hours are refused with the study schema’s paths and change nothing', async () => {
      const who = await signIn(stack, 'erin@example.com', 'Erin');
      expect(await (await call(who, 'GET', '/api/me/hours')).json()).toEqual({ hours: null });

      const put = await call(who, 'PUT', '/api/me/hours', hours);
      expect(put.status).toBe(200);
      expect(await put.json()).toEqual({ hours });

      const bad = await call(who, 'PUT', '/api/me/hours', {
        timeZone: 'Mars/Olympus',
        availability: { weekly: { mon: [{ start: '12:00', end: '09:00' }] } },
      });
      expect(bad.status).toBe(400);
      const problem = await bad.json();
      expect(problem.errors.map((error: { path: string }) => error.path)).toEqual(
        expect.arrayContaining(['timeZone', 'availability.weekly.mon.0.end']),
      );
      expect((await call(who, 'PUT', '/api/me/hours', { ...hours, colour: 'red' })).status).toBe(400);
      expect(await (await call(who, 'GET', '/api/me/hours')).json()).toEqual({ hours });

      expect((await call(who, 'DELETE', '/api/me/hours')).status).toBe(204);
      expect(await (await call(who, 'GET', '/api/me/hours')).json()).toEqual({ hours: null });
    });

    test('When a host of a per-host study clears their hours, then it is refused naming the study, and the hours stay', async () => {
      await call(ada, 'PUT', '/api/me/hours', hours);
      await call(ben, 'PUT', '/api/me/hours', hours);
      const study = await (
        await call(ada, 'POST', '/api/studies', {
          ...valid,
          title: 'Diary study',
          schedulingType: 'collective',
          hostHours: 'per_host',
          hosts: [ada.researcherId, ben.researcherId],
        })
      ).json();

      const answer = await call(ben, 'DELETE', '/api/me/hours');

      expect(answer.status).toBe(409);
      const problem = await answer.json();
      expect(problem.type).toBe('urn:interview-scheduler:problem:hours-in-use');
      expect(problem.detail).toContain('“Diary study”');
      expect(problem.studies).toContainEqual({ id: study.id, title: 'Diary study' });
      expect(await (await call(ben, 'GET', '/api/me/hours')).json()).toEqual({ hours });
    });
  });
});
