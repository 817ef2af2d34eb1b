import { createStudy, invite } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Issue 15: a logged interview (held elsewhere) is read, edited and deleted through
 * GET /api/participants/:id/logged-interviews and PATCH / DELETE …/logged-interviews/:id.
 * Its verdict moves the participant's status only while it is what the status rests on.
 */
describe('Editing and deleting logged interviews (API)', () => {
  const HOUR_MS = 3_600_000;
  let stack: Stack;
  let hedy: SignedIn;
  let other: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    hedy = await signIn(stack, 'hedy@example.com');
    other = await signIn(stack, 'someone-else@example.com');
  });
  afterAll(() => stack.close());

  const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS);

  function call(who: SignedIn, method: string, path: string, body?: unknown) {
    return fetch(`${stack.url}${path}`, {
      method,
      headers: { ...who.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
  const loggedPath = (participantId: string, id: string) =>
    `/api/participants/${participantId}/logged-interviews/${id}`;

  async function participantWithLogged(status: 'completed' | 'no_show' = 'completed') {
    const study = await createStudy(stack, hedy);
    const [pat] = await invite(stack, hedy, study.id);
    // Exactly 30 minutes: two readings of the clock could differ by a millisecond.
    const start = hoursAgo(30);
    const answer = await call(hedy, 'POST', `/api/participants/${pat!.id}/logged-interview`, {
      start: start.toISOString(),
      end: new Date(start.getTime() + HOUR_MS / 2).toISOString(),
      status,
      note: 'Phone call',
    });
    expect(answer.status).toBe(201);
    const { interview } = (await answer.json()) as { interview: { id: string; version: number } };
    return { participantId: pat!.id, id: interview.id, version: interview.version };
  }

  async function detail(participantId: string) {
    const answer = await call(hedy, 'GET', `/api/participants/${participantId}`);
    return (await answer.json()) as {
      status: string;
      history: { kind: string; from: string; to: string; actor: string; details: Record<string, unknown> }[];
    };
  }

  /** Everything an edit or deletion could touch: a refusal must leave all of it as it was. */
  async function snapshot(participantId: string) {
    return {
      participant: await stack
        .knex('participants')
        .where({ id: participantId })
        .first('status', 'updated_at'),
      logged: await stack
        .knex('logged_interviews')
        .where({ participant_id: participantId })
        .select('id', 'during', 'note', 'verdict', 'version'),
      history: await stack
        .knex('status_history')
        .where({ participant_id: participantId })
        .count('* as n')
        .first(),
    };
  }

  async function timeline(participantId: string) {
    const answer = await call(hedy, 'GET', `/api/participants/${participantId}/timeline`);
    return (
      (await answer.json()) as {
        items: { kind: string; summary: string; details: Record<string, unknown> }[];
      }
    ).items;
  }

  test('When the researcher lists the logged interviews, then each has its times, status, note and version', async () => {
    const { participantId, id } = await participantWithLogged('no_show');

    const answer = await call(hedy, 'GET', `/api/participants/${participantId}/logged-interviews`);

    expect(answer.status).toBe(200);
    expect((await answer.json()).loggedInterviews).toEqual([
      expect.objectContaining({
        id,
        status: 'no_show',
        statusLabel: 'No Show',
        note: 'Phone call',
        version: 1,
        loggedBy: hedy.researcherId,
      }),
    ]);
  });

  test('When the verdict is edited, then the participant has the new one, the history names the researcher, and the timeline and past list show the new time', async () => {
    const { participantId, id, version } = await participantWithLogged('completed');
    const start = hoursAgo(50);
    const end = hoursAgo(49);

    const answer = await call(hedy, 'PATCH', loggedPath(participantId, id), {
      start: start.toISOString(),
      end: end.toISOString(),
      status: 'no_show',
      note: 'They never called in',
      version,
    });

    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body).toMatchObject({
      interview: {
        id,
        status: 'no_show',
        note: 'They never called in',
        version: 2,
        start: start.toISOString(),
      },
      participant: { status: 'no_show' },
      statusChange: 'changed',
    });
    expect((await detail(participantId)).history.at(-1)).toMatchObject({
      kind: 'status',
      from: 'completed',
      to: 'no_show',
      actor: hedy.researcherId,
      details: expect.objectContaining({ loggedInterviewId: id, loggedInterviewChange: 'edited' }),
    });
    const edited = (await timeline(participantId)).find((item) => item.kind === 'logged_interview_edited');
    expect(edited?.summary).toContain('No Show');
    expect(edited?.summary).toContain('was');
    expect(edited?.details.interview).toEqual({ start: start.toISOString(), end: end.toISOString() });
    const past = await (await call(hedy, 'GET', '/api/interviews?when=past&limit=100')).json();
    expect(past.interviews).toContainEqual(
      expect.objectContaining({ bookingId: id, bookingState: 'logged', start: start.toISOString() }),
    );
  });

  test('When only the start moves, then the interview keeps its length and the status stays, with a history row', async () => {
    const { participantId, id } = await participantWithLogged('completed');
    const start = hoursAgo(10);

    const answer = await call(hedy, 'PATCH', loggedPath(participantId, id), { start: start.toISOString() });

    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.interview.end).toBe(new Date(start.getTime() + HOUR_MS / 2).toISOString());
    expect(body.statusChange).toBe('unchanged');
    expect((await detail(participantId)).history.at(-1)).toMatchObject({
      from: 'completed',
      to: 'completed',
    });
  });

  test('When the same values are sent again, then nothing is written and the version stays', async () => {
    const { participantId, id } = await participantWithLogged('completed');
    const before = await snapshot(participantId);

    const answer = await call(hedy, 'PATCH', loggedPath(participantId, id), {
      status: 'completed',
      note: 'Phone call',
    });

    expect(answer.status).toBe(200);
    expect((await answer.json()).interview.version).toBe(1);
    expect(await snapshot(participantId)).toEqual(before);
  });

  test.each([
    ['a start in the future', () => ({ start: new Date(Date.now() + HOUR_MS).toISOString() })],
    ['an end in the future', () => ({ end: new Date(Date.now() + HOUR_MS).toISOString() })],
    ['an end before the start', () => ({ start: hoursAgo(5).toISOString(), end: hoursAgo(6).toISOString() })],
    ['an end before the kept start', () => ({ end: hoursAgo(31).toISOString() })],
    ['more than 24 hours', () => ({ start: hoursAgo(60).toISOString(), end: hoursAgo(20).toISOString() })],
    ['a status that is not a verdict', () => ({ status: 'scheduled' })],
    ['a time without an offset', () => ({ start: '2026-12-01T10:00:00' })],
    ['an unknown field', () => ({ status: 'no_show', hostId: 'x' })],
    ['nothing to change', () => ({ version: 1 })],
    ['a note over 500 characters', () => ({ note: 'x'.repeat(501) })],
    ['a version that is not a number', () => ({ status: 'no_show', version: '1' })],
  ])('When an edit has %s, then it is a 400 problem and nothing changes', async (_name, body) => {
    const { participantId, id } = await participantWithLogged('completed');
    const before = await snapshot(participantId);

    const answer = await call(hedy, 'PATCH', loggedPath(participantId, id), body());

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await snapshot(participantId)).toEqual(before);
  });

  test('When the version sent is not the current one, then edit and delete are 409 logged-interview-changed and nothing changes', async () => {
    const { participantId, id } = await participantWithLogged('completed');
    expect(
      (await call(hedy, 'PATCH', loggedPath(participantId, id), { note: 'First edit', version: 1 })).status,
    ).toBe(200);
    const before = await snapshot(participantId);

    const edit = await call(hedy, 'PATCH', loggedPath(participantId, id), { status: 'no_show', version: 1 });
    const remove = await call(hedy, 'DELETE', `${loggedPath(participantId, id)}?version=1`);

    expect([edit.status, remove.status]).toEqual([409, 409]);
    expect((await edit.json()).type).toBe('urn:interview-scheduler:problem:logged-interview-changed');
    expect(await snapshot(participantId)).toEqual(before);
  });

  test("When another researcher's or another participant's ids are used, then list, edit and delete are 404 and nothing changes", async () => {
    const { participantId, id } = await participantWithLogged('completed');
    const second = await participantWithLogged('no_show');
    const before = await snapshot(participantId);

    const answers = await Promise.all([
      call(other, 'GET', `/api/participants/${participantId}/logged-interviews`),
      call(other, 'PATCH', loggedPath(participantId, id), { status: 'no_show' }),
      call(other, 'DELETE', loggedPath(participantId, id)),
      // Hedy's own participant, with the logged interview of another of her participants.
      call(hedy, 'PATCH', loggedPath(second.participantId, id), { status: 'no_show' }),
      call(hedy, 'DELETE', loggedPath(second.participantId, id)),
      call(hedy, 'DELETE', loggedPath(participantId, '00000000-0000-4000-8000-000000000000')),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(await snapshot(participantId)).toEqual(before);
  });

  test('When a verdict that is still the status is deleted, then the participant is back to the status before it, with a history row naming the researcher', async () => {
    const { participantId, id } = await participantWithLogged('completed');
    await call(hedy, 'PATCH', loggedPath(participantId, id), { status: 'no_show' });

    const answer = await call(hedy, 'DELETE', `${loggedPath(participantId, id)}?version=2`);

    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      deleted: { id },
      participant: { status: 'invited' },
      statusChange: 'restored',
    });
    expect((await detail(participantId)).history.at(-1)).toMatchObject({
      from: 'no_show',
      to: 'invited',
      actor: hedy.researcherId,
      details: expect.objectContaining({ loggedInterviewId: id, loggedInterviewChange: 'deleted' }),
    });
    expect(await stack.knex('logged_interviews').where({ id })).toHaveLength(0);
    const deleted = (await timeline(participantId)).find((item) => item.kind === 'logged_interview_deleted');
    expect(deleted?.summary).toContain('back to Invited');
    const past = await (await call(hedy, 'GET', '/api/interviews?when=past&limit=100')).json();
    expect(past.interviews.map((item: { bookingId: string }) => item.bookingId)).not.toContain(id);
  });

  test('When the status changed after the interview was logged, then a verdict edit or a deletion leaves it and says so', async () => {
    const { participantId, id } = await participantWithLogged('completed');
    const manual = await call(hedy, 'POST', `/api/participants/${participantId}/status`, {
      status: 'canceled',
      reason: 'Withdrew from the study',
    });
    expect(manual.status).toBe(200);

    const edit = await call(hedy, 'PATCH', loggedPath(participantId, id), { status: 'no_show' });
    const remove = await call(hedy, 'DELETE', loggedPath(participantId, id));

    expect(await edit.json()).toMatchObject({ participant: { status: 'canceled' }, statusChange: 'kept' });
    const removed = await remove.json();
    expect(removed).toMatchObject({ participant: { status: 'canceled' }, statusChange: 'kept' });
    expect(removed.statusNote).toContain('changed after this interview was logged');
    const last = (await detail(participantId)).history.at(-1);
    expect(last).toMatchObject({
      from: 'canceled',
      to: 'canceled',
      details: expect.objectContaining({ statusKept: true }),
    });
    const items = await timeline(participantId);
    expect(items.find((item) => item.kind === 'logged_interview_deleted')?.summary).toContain(
      'stays Canceled',
    );
  });

  test('When a later logged interview set the status, then deleting the earlier one leaves it; deleting the later one then returns to the status before both', async () => {
    const first = await participantWithLogged('completed');
    const later = await call(hedy, 'POST', `/api/participants/${first.participantId}/logged-interview`, {
      start: hoursAgo(5).toISOString(),
      end: hoursAgo(4).toISOString(),
      status: 'no_show',
    });
    const laterId = (await later.json()).interview.id as string;

    const earlier = await (await call(hedy, 'DELETE', loggedPath(first.participantId, first.id))).json();
    const last = await (await call(hedy, 'DELETE', loggedPath(first.participantId, laterId))).json();

    expect(earlier).toMatchObject({ participant: { status: 'no_show' }, statusChange: 'kept' });
    expect(earlier.statusNote).toContain('changed after this interview was logged');
    expect(last).toMatchObject({ participant: { status: 'invited' }, statusChange: 'restored' });
  });

  test('When the status before the verdict cannot be set again, then deleting keeps the status and says why', async () => {
    const { participantId, id } = await participantWithLogged('completed');
    // A hand-set No Show before it was logged (the interview being judged is the logged one).
    await call(hedy, 'PATCH', loggedPath(participantId, id), { status: 'no_show' });
    await call(hedy, 'POST', `/api/participants/${participantId}/status`, { status: 'completed' });
    const again = await call(hedy, 'POST', `/api/participants/${participantId}/logged-interview`, {
      start: hoursAgo(3).toISOString(),
      end: hoursAgo(2).toISOString(),
      status: 'no_show',
    });
    const againId = (await again.json()).interview.id as string;
    await call(hedy, 'DELETE', loggedPath(participantId, id));

    const answer = await (await call(hedy, 'DELETE', loggedPath(participantId, againId))).json();

    // Completed was set by hand on the first interview, which is gone: no interview is left
    // to judge, so the rules refuse Completed and No Show stays.
    expect(answer).toMatchObject({ participant: { status: 'no_show' }, statusChange: 'kept' });
    expect(answer.statusNote).toContain('Completed, the status before this interview, cannot be set again');
  });

  test('When the same verdict is logged twice, then deleting the second keeps it (the first still holds), and deleting the first then returns to Invited', async () => {
    const first = await participantWithLogged('completed');
    const again = await call(hedy, 'POST', `/api/participants/${first.participantId}/logged-interview`, {
      start: hoursAgo(5).toISOString(),
      end: hoursAgo(4).toISOString(),
      status: 'completed',
    });
    const againId = (await again.json()).interview.id as string;

    const second = await (await call(hedy, 'DELETE', loggedPath(first.participantId, againId))).json();
    const firstGone = await (await call(hedy, 'DELETE', loggedPath(first.participantId, first.id))).json();

    expect(second).toMatchObject({ participant: { status: 'completed' }, statusChange: 'unchanged' });
    expect(firstGone).toMatchObject({ participant: { status: 'invited' }, statusChange: 'restored' });
  });

  test('When another method is used on a logged interview, then it is a 405 naming the allowed ones, and the OpenAPI document describes the three routes', async () => {
    const { participantId, id } = await participantWithLogged('completed');

    const put = await call(hedy, 'PUT', loggedPath(participantId, id), { status: 'no_show' });
    const document = await (await fetch(`${stack.url}/openapi.json`)).json();

    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('DELETE, PATCH');
    expect((await detail(participantId)).status).toBe('completed');
    const item = document.paths['/api/participants/{id}/logged-interviews/{loggedInterviewId}'];
    expect(Object.keys(item.patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    expect(Object.keys(item.delete.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    expect(document.paths['/api/participants/{id}/logged-interviews'].get.responses['200']).toBeDefined();
  });
});
