import { signIn, startStack, type Stack } from '../support/stack';

describe('The home page', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
  });
  afterAll(() => stack.close());

  test('When nobody is signed in, then it offers "Connect with Google"', async () => {
    const page = await (await fetch(`${stack.url}/`)).text();
    expect(page).toContain('href="/auth/google"');
  });

  test('When the console sent a signed-out visitor here, then "Connect with Google" brings them back to that page; a foreign returnTo is refused', async () => {
    const back = await (
      await fetch(`${stack.url}/?returnTo=${encodeURIComponent('/participants/abc')}`)
    ).text();
    const foreign = await fetch(`${stack.url}/?returnTo=${encodeURIComponent('//evil.example')}`);

    expect(back).toContain('href="/auth/google?returnTo=%2Fparticipants%2Fabc"');
    expect(foreign.status).toBe(400);
  });

  test('When a researcher lands there after connecting, then it shows them, the connection and their studies', async () => {
    const ada = await signIn(stack, 'ada@example.com', 'Ada <script>');
    await fetch(`${stack.url}/api/studies`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Study <b>one</b>',
        durationMinutes: 30,
        timeZone: 'UTC',
        availability: { weekly: {} },
      }),
    });

    const page = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();

    expect(page).toContain('ada@example.com');
    expect(page).toContain('<strong>connected</strong>');
    expect(page).toContain('Study &lt;b&gt;one&lt;/b&gt;');
    expect(page).not.toContain('<script>');
  });

  test('When the API token form is posted with its CSRF token, then a token is shown once; without it, 403', async () => {
    const ada = await signIn(stack, 'grace@example.com');
    const page = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const forged = await fetch(`${stack.url}/account/api-token`, {
      method: 'POST',
      headers: { cookie: ada.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=guess',
    });
    const made = await fetch(`${stack.url}/account/api-token`, {
      method: 'POST',
      headers: { cookie: ada.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });

    expect(forged.status).toBe(403);
    const token = /(isk_[A-Za-z0-9_-]+)/.exec(await made.text())?.[1] ?? '';
    expect(
      (await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
  });

  test('When the sign-out form is posted, then the session ends and the browser goes home', async () => {
    const ada = await signIn(stack, 'linus@example.com');
    const answer = await fetch(`${stack.url}/auth/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: ada.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(answer.status).toBe(303);
    expect((await fetch(`${stack.url}/api/me`, { headers: { cookie: ada.cookie } })).status).toBe(401);
  });
});
