import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

describe('Sessions and API tokens', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    researcher = await signIn(stack, 'ida@example.com');
  });
  afterAll(() => stack.close());

  const me = (headers: Record<string, string>) => fetch(`${stack.url}/api/me`, { headers });

  test('When nothing identifies the caller, then researcher routes answer 401 problem+json', async () => {
    for (const path of [
      '/api/me',
      '/api/studies',
      '/api/participants/00000000-0000-4000-8000-000000000000',
    ]) {
      const answer = await fetch(`${stack.url}${path}`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  test('When the session cookie is signed, httpOnly and SameSite=Lax, then it identifies the researcher', async () => {
    const start = await fetch(`${stack.url}/auth/google?login_hint=ida@example.com`, { redirect: 'manual' });
    const nonce = start.headers.getSetCookie()[0] ?? '';
    expect(nonce).toMatch(/HttpOnly/i);
    expect(nonce).toMatch(/SameSite=Lax/i);
    expect((await me({ cookie: researcher.cookie })).status).toBe(200);
  });

  test('When the cookie value is altered, then it is refused before any lookup', async () => {
    const [name, value] = researcher.cookie.split('=');
    const tampered = `${name}=${value?.slice(0, -2)}xx`;
    expect((await me({ cookie: tampered })).status).toBe(401);
  });

  test('When a bearer token is used, then it works; a wrong one is a 401', async () => {
    expect((await me(researcher.auth)).status).toBe(200);
    expect((await me({ authorization: 'Bearer isk_not-a-real-token' })).status).toBe(401);
    expect((await me({ authorization: 'Basic abc' })).status).toBe(401);
  });

  test('When an API token is created, then only its hash is stored and it is shown once', async () => {
    const created = await (
      await fetch(`${stack.url}/api/me/tokens`, {
        method: 'POST',
        headers: { ...researcher.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'export script' }),
      })
    ).json();
    expect(created.token).toMatch(/^isk_/);

    const rows = await stack.knex('api_tokens').where({ researcher_id: researcher.researcherId });
    expect(JSON.stringify(rows)).not.toContain(created.token);
    const listed = await (await fetch(`${stack.url}/api/me/tokens`, { headers: researcher.auth })).json();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.tokens.map((token: { name: string }) => token.name)).toContain('export script');
  });

  test('When an API token is revoked, then it stops working at once', async () => {
    const created = await (
      await fetch(`${stack.url}/api/me/tokens`, {
        method: 'POST',
        headers: { ...researcher.auth, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json();
    const headers = { authorization: `Bearer ${created.token}` };
    expect((await me(headers)).status).toBe(200);

    const revoked = await fetch(`${stack.url}/api/me/tokens/${created.id}`, {
      method: 'DELETE',
      headers: researcher.auth,
    });

    expect(revoked.status).toBe(204);
    expect((await me(headers)).status).toBe(401);
  });

  test('When a cookie-authenticated write is not JSON (a cross-site form), then it is refused with 415 and changes nothing', async () => {
    const answer = await fetch(`${stack.url}/api/studies`, {
      method: 'POST',
      headers: { cookie: researcher.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=x',
    });
    expect(answer.status).toBe(415);
    expect(await stack.knex('studies').where({ researcher_id: researcher.researcherId })).toHaveLength(0);
  });

  test('When the researcher signs out, then the session cookie no longer works', async () => {
    const other = await signIn(stack, 'ida@example.com');
    const out = await fetch(`${stack.url}/auth/logout`, {
      method: 'POST',
      headers: { cookie: other.cookie },
    });
    expect(out.status).toBe(204);
    expect((await me({ cookie: other.cookie })).status).toBe(401);
    expect((await me({ cookie: researcher.cookie })).status).toBe(200);
  });
});
