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
  beforeAll(async () => {
    stack = await startStack();
    rita = await signIn(stack, 'rita@example.com', 'Rita Researcher');
    otto = await signIn(stack, 'otto@example.com', 'Otto Other');
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

  /** The edit form's fields as the page filled them in, with the session's CSRF token. */
  async function editForm(base: string): Promise<Record<string, string>> {
    const text = await (await page(rita, `${base}/edit`)).text();
    const names = ['csrf', 'version', 'date', 'time', 'duration', 'note'];
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
});
