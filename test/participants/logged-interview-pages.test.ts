import { createStudy, invite } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * The Edit and Delete forms of a logged interview over HTTP: the session's CSRF token, another
 * researcher's ids, a bad form and a stale version are refused, and none of them changes a row.
 */
describe('Edit and Delete logged interview pages', () => {
  const HOUR_MS = 3_600_000;
  let stack: Stack;
  let rita: SignedIn;
  let otto: SignedIn;
  let ben: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    rita = await signIn(stack, 'rita@example.com', 'Rita Researcher');
    otto = await signIn(stack, 'otto@example.com', 'Otto Other');
    ben = await signIn(stack, 'ben@example.com', 'Ben Okafor');
    // Ben joins Rita's team: he can be named as the host of her study's interviews; Otto cannot.
    const team = await stack.knex('researchers').where({ id: rita.researcherId }).first('team_id');
    await stack.knex('researchers').where({ id: ben.researcherId }).update({ team_id: team.team_id });
  });
  afterAll(() => stack.close());

  const page = (who: SignedIn, path: string) =>
    fetch(`${stack.url}${path}`, { headers: { cookie: who.cookie }, redirect: 'manual' });
  const post = (who: SignedIn, path: string, fields: Record<string, string>) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const field = (text: string, name: string) =>
    new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(text)?.[1] ?? '';

  async function logged() {
    const study = await createStudy(stack, rita);
    const [pat] = await invite(stack, rita, study.id);
    const answer = await fetch(`${stack.url}/api/participants/${pat!.id}/logged-interview`, {
      method: 'POST',
      headers: { ...rita.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        start: new Date(Date.now() - 30 * HOUR_MS).toISOString(),
        status: 'completed',
        note: 'Phone call',
      }),
    });
    const { interview } = (await answer.json()) as { interview: { id: string } };
    const base = `/participants/${pat!.id}/logged-interviews/${interview.id}`;
    return { participantId: pat!.id, id: interview.id, base };
  }

  async function snapshot(participantId: string) {
    return {
      participant: await stack
        .knex('participants')
        .where({ id: participantId })
        .first('status', 'updated_at'),
      logged: await stack.knex('logged_interviews').where({ participant_id: participantId }).select('*'),
      history: await stack
        .knex('status_history')
        .where({ participant_id: participantId })
        .count('* as n')
        .first(),
    };
  }

  const selectedHost = (text: string) => /<option value="([^"]*)"\s*selected/.exec(text)?.[1];

  /** The edit form's fields as the page filled them in, with the session's CSRF token. */
  async function editForm(base: string): Promise<Record<string, string>> {
    const text = await (await page(rita, `${base}/edit`)).text();
    const names = ['csrf', 'version', 'date', 'time', 'duration', 'note'];
    expect(selectedHost(text)).toBe(rita.researcherId);
    const values: Record<string, string> = Object.fromEntries(names.map((name) => [name, field(text, name)]));
    return { ...values, status: 'no_show' };
  }

  test('When the edit or delete form is posted without the session’s CSRF token, then it is a 403 and nothing changes', async () => {
    const { participantId, base } = await logged();
    const form = await editForm(base);
    const before = await snapshot(participantId);

    const edited = await post(rita, `${base}/edit`, { ...form, csrf: 'guess' });
    const deleted = await post(rita, `${base}/delete`, { version: form.version ?? '' });

    expect([edited.status, deleted.status]).toEqual([403, 403]);
    expect(await snapshot(participantId)).toEqual(before);
  });

  test('When another researcher opens or posts the forms, then it is a 404 page and nothing changes', async () => {
    const { participantId, base } = await logged();
    const before = await snapshot(participantId);
    const ottoCsrf = field(await (await page(otto, '/settings')).text(), 'csrf');
    expect(ottoCsrf).not.toBe('');

    const answers = await Promise.all([
      page(otto, `${base}/edit`),
      page(otto, `${base}/delete`),
      post(otto, `${base}/edit`, {
        csrf: ottoCsrf,
        date: '2026-12-01',
        time: '10:00',
        duration: '30',
        status: 'no_show',
      }),
      post(otto, `${base}/delete`, { csrf: ottoCsrf, version: '1' }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404]);
    expect(await snapshot(participantId)).toEqual(before);
  });

  test('When the form has a zero duration, then it is a 400 with the error at its field and nothing changes', async () => {
    const { participantId, base } = await logged();
    const form = await editForm(base);
    const before = await snapshot(participantId);

    const answer = await post(rita, `${base}/edit`, { ...form, duration: '0' });

    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('Enter the duration in minutes, from 1 to 1440');
    expect(await snapshot(participantId)).toEqual(before);
  });

  test('When the interview was edited after the form was opened, then saving is a 409 showing it as it is now, and saving again goes ahead', async () => {
    const { participantId, base } = await logged();
    const form = await editForm(base);
    const meanwhile = await fetch(`${stack.url}/api${base}`, {
      method: 'PATCH',
      headers: { ...rita.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'Edited in another tab' }),
    });
    expect(meanwhile.status).toBe(200);
    const before = await snapshot(participantId);

    const stale = await post(rita, `${base}/edit`, form);

    expect(stale.status).toBe(409);
    const text = await stale.text();
    expect(text).toContain('Someone changed this interview while you were editing it');
    expect(field(text, 'version')).toBe('2');
    expect(await snapshot(participantId)).toEqual(before);

    const again = await post(rita, `${base}/edit`, { ...form, version: '2' });
    expect(again.status).toBe(303);
    expect((await snapshot(participantId)).participant.status).toBe('no_show');
  });

  test('When the log form names a colleague as host, then the interview is logged with them and the participant page and Interviews → Past say who held it', async () => {
    const study = await createStudy(stack, rita);
    const [pat] = await invite(stack, rita, study.id);
    const formPage = await (await page(rita, `/participants/${pat!.id}/log-interview`)).text();
    expect(formPage).toContain('<label for="hostId">Host</label>');
    expect(formPage).toContain('Ben Okafor');
    expect(selectedHost(formPage)).toBe(rita.researcherId);
    const date = new Date(Date.now() - 3 * 24 * HOUR_MS).toISOString().slice(0, 10);

    const answer = await post(rita, `/participants/${pat!.id}/log-interview`, {
      csrf: field(formPage, 'csrf'),
      date,
      time: '10:00',
      duration: '45',
      status: 'completed',
      note: '',
      hostId: ben.researcherId,
    });

    expect(answer.status).toBe(303);
    const row = await stack.knex('logged_interviews').where({ participant_id: pat!.id }).first();
    expect([row.host_id, row.researcher_id]).toEqual([ben.researcherId, rita.researcherId]);
    const participantPage = await (await page(rita, `/participants/${pat!.id}`)).text();
    expect(participantPage).toMatch(/Completed<\/strong>\s*· held by Ben Okafor/);
    const past = await (await page(rita, '/interviews/past')).text();
    expect(past).toContain('Held by Ben Okafor');
    const editPage = await (
      await page(rita, `/participants/${pat!.id}/logged-interviews/${row.id}/edit`)
    ).text();
    expect(selectedHost(editPage)).toBe(ben.researcherId);
  });

  test('When the log or edit form names a host outside the study’s team, then it is a 400 with the error at Host and nothing changes', async () => {
    const { participantId, base } = await logged();
    const form = await editForm(base);
    const [fresh] = await invite(
      stack,
      rita,
      (await stack.knex('participants').where({ id: participantId }).first('study_id')).study_id,
    );
    const before = [await snapshot(participantId), await snapshot(fresh!.id)];

    const answers = await Promise.all([
      post(rita, `${base}/edit`, { ...form, hostId: otto.researcherId }),
      post(rita, `${base}/edit`, { ...form, hostId: 'not-an-id' }),
      post(rita, `/participants/${fresh!.id}/log-interview`, {
        csrf: form.csrf!,
        date: form.date!,
        time: form.time!,
        duration: '30',
        status: 'completed',
        hostId: otto.researcherId,
      }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400]);
    for (const answer of answers) {
      const text = await answer.text();
      expect(text).toContain('id="hostId-error"');
      expect(text).toContain('Choose a host from the study’s team');
    }
    expect([await snapshot(participantId), await snapshot(fresh!.id)]).toEqual(before);

    const moved = await post(rita, `${base}/edit`, { ...form, hostId: ben.researcherId });
    expect(moved.status).toBe(303);
    const row = await stack.knex('logged_interviews').where({ participant_id: participantId }).first();
    expect(row.host_id).toBe(ben.researcherId);
  });
});
