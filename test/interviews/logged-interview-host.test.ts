import { createStudy, invite } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Issue 15: "Log a past interview: record an interview that happened elsewhere (time, host)".
 * The host is a member of the study's team, the caller unless they name another; anyone
 * else is a 400 that changes nothing.
 */
describe('The host of a logged interview (API)', () => {
  const HOUR_MS = 3_600_000;
  let stack: Stack;
  let ada: SignedIn;
  let ben: SignedIn;
  let olga: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    ben = await signIn(stack, 'ben@example.com', 'Ben Okafor');
    olga = await signIn(stack, 'olga@example.com', 'Olga Other');
    const team = await stack.knex('researchers').where({ id: ada.researcherId }).first('team_id');
    await stack.knex('researchers').where({ id: ben.researcherId }).update({ team_id: team.team_id });
  });
  afterAll(() => stack.close());

  const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS).toISOString();
  function call(method: string, path: string, body: unknown) {
    return fetch(`${stack.url}${path}`, {
      method,
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
  const everything = async () => ({
    logged: await stack.knex('logged_interviews').orderBy('id').select('*'),
    history: await stack.knex('status_history').orderBy('id').select('id'),
    participants: await stack.knex('participants').orderBy('id').select('id', 'status'),
  });

  test('When a colleague held it, then it is logged with them as host and the caller as the one who logged it; left out, the caller is the host', async () => {
    const study = await createStudy(stack, ada);
    const [pat, other] = await invite(stack, ada, study.id, 2);

    const named = await call('POST', `/api/participants/${pat!.id}/logged-interview`, {
      start: hoursAgo(30),
      status: 'completed',
      hostId: ben.researcherId,
    });
    const own = await call('POST', `/api/participants/${other!.id}/logged-interview`, {
      start: hoursAgo(30),
      status: 'no_show',
    });

    expect(named.status).toBe(201);
    expect((await named.json()).interview).toMatchObject({
      hostId: ben.researcherId,
      loggedBy: ada.researcherId,
    });
    expect(own.status).toBe(201);
    expect((await own.json()).interview).toMatchObject({
      hostId: ada.researcherId,
      loggedBy: ada.researcherId,
    });
  });

  test('When the host named is not a member of the study’s team, then logging and editing are 400 on hostId and nothing changes; a member is taken', async () => {
    const study = await createStudy(stack, ada);
    const [pat, fresh] = await invite(stack, ada, study.id, 2);
    const logged = await call('POST', `/api/participants/${pat!.id}/logged-interview`, {
      start: hoursAgo(30),
      status: 'completed',
    });
    const { interview } = (await logged.json()) as { interview: { id: string } };
    const before = await everything();

    const refusedLog = await call('POST', `/api/participants/${fresh!.id}/logged-interview`, {
      start: hoursAgo(30),
      status: 'completed',
      hostId: olga.researcherId,
    });
    const path = `/api/participants/${pat!.id}/logged-interviews/${interview.id}`;
    const refusedEdit = await call('PATCH', path, { hostId: olga.researcherId });

    for (const refused of [refusedLog, refusedEdit]) {
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await refused.json()).errors).toEqual([expect.objectContaining({ path: 'hostId' })]);
    }
    expect(await everything()).toEqual(before);

    const edited = await call('PATCH', path, { hostId: ben.researcherId });
    expect(edited.status).toBe(200);
    expect((await edited.json()).interview).toMatchObject({ hostId: ben.researcherId, version: 2 });
  });
});
