import { STUDY, studyWithParticipants } from '../browser/support/booking-fixtures';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let stack: Stack;
let researcher: SignedIn;
beforeAll(async () => {
  stack = await startStack();
  researcher = await signIn(stack, 'hardy@example.com', 'Hardy Researcher');
});
afterAll(() => stack?.close());

const post = (path: string, body: unknown, headers: Record<string, string> = researcher.auth) =>
  fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const count = async (table: string) => Number((await stack.knex(table).count({ n: '*' }))[0]!.n);

describe('Path parameters that are not valid percent-encoding', () => {
  test.each(['/api/booking/%ff', '/api/booking/%E0%A4%A/slots', '/api/studies/%'])(
    'When %s is requested, then the answer is 400 problem+json, not 500',
    async (path) => {
      const res = await fetch(`${stack.url}${path}`, { headers: researcher.auth });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/not correctly percent-encoded/);
    },
  );

  test.each(['/?returnTo=%ED%A0%80', '/api/studies?x=%ff', '/studies?q=%E0%A4%A'])(
    'When the query of %s is not valid percent-encoding, then the answer is 400, before any sign-in redirect',
    async (path) => {
      const res = await fetch(`${stack.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { errors: { location: string; message: string }[] };
      expect(problem.errors[0]).toMatchObject({
        location: 'query',
        message: 'is not correctly percent-encoded',
      });
    },
  );

  test('When a browser opens /book/%E0%A4%A, then it gets a 400 HTML page, and an API client problem+json', async () => {
    const page = await fetch(`${stack.url}/book/%E0%A4%A`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await page.text();
    expect(text).toContain('<h1>Something in this request is not right</h1>');
    expect(text).toContain('not correctly percent-encoded');

    const api = await fetch(`${stack.url}/book/%E0%A4%A`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(400);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('A form with too many fields', () => {
  test('When an unauthenticated form post has 1,001 fields, then the answer is 413 problem+json', async () => {
    const res = await fetch(`${stack.url}/api/studies`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Array.from({ length: 1001 }, (_, at) => `f${at}=1`).join('&'),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 413,
      detail: 'The form has too many fields (more than 1000).',
    });
  });
});

describe('Text that PostgreSQL cannot store', () => {
  test('When a token name contains NUL, then 400 names the field and no token is made', async () => {
    const before = await count('api_tokens');
    const res = await post('/api/me/tokens', { name: 'laptop\u0000' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ location: 'body', path: 'name', message: 'must not contain the NUL character (U+0000)' }],
    });
    expect(await count('api_tokens')).toBe(before);
  });

  test('When a study title is a lone surrogate, then 400 names the field instead of storing U+FFFD', async () => {
    const before = await count('studies');
    const res = await post('/api/studies', { ...STUDY, title: 'Checkout \ud800' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toEqual([
      expect.objectContaining({ path: 'title', message: expect.stringMatching(/unpaired surrogate/) }),
    ]);
    expect(await count('studies')).toBe(before);
  });

  test('When a participant name, a description or a reason contains NUL, then each is refused with its path', async () => {
    const { studyId, invitees } = await studyWithParticipants(stack, researcher, ['Nora Null']);
    const participants = await post(`/api/studies/${studyId}/participants`, {
      participants: [{ name: 'Ann\u0000Lee', email: 'ann.lee@example.org' }],
    });
    expect(participants.status).toBe(400);
    expect(await participants.json()).toMatchObject({ errors: [{ path: 'participants.0.name' }] });

    const patch = await fetch(`${stack.url}/api/studies/${studyId}`, {
      method: 'PATCH',
      headers: { ...researcher.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ eventDescription: 'Hello\u0000' }),
    });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toMatchObject({ errors: [{ path: 'eventDescription' }] });

    const status = await post(`/api/participants/${invitees[0]!.id}/status`, {
      status: 'completed',
      reason: '\u0000',
    });
    expect(status.status).toBe(400);
    expect(await count('participants')).toBe(1);
  });

  test('When NUL hides in an object key or a query parameter, then it is refused too', async () => {
    const key = await post('/api/me/tokens', { ['na\u0000me']: 'x' });
    expect(key.status).toBe(400);
    expect(await key.json()).toMatchObject({
      errors: [{ message: expect.stringMatching(/^a field name must not/) }],
    });
    const query = await fetch(`${stack.url}/api/booking/some-token/slots?timeZone=Europe%2FBerlin%00`);
    expect(query.status).toBe(400);
    expect(await query.json()).toMatchObject({
      errors: [
        { location: 'query', path: 'timeZone', message: 'must not contain the NUL character (U+0000)' },
      ],
    });
  });
});
