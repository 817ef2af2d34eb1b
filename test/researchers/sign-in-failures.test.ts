import { signIn, startStack, type Stack } from '../support/stack';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: false });
});
afterAll(() => stack?.close());

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');

/** The start of "Connect with Google" as a browser does it: the state Google will send back, the nonce cookie. */
async function startSignIn(query = ''): Promise<{ state: string; cookie: string }> {
  const start = await fetch(`${stack.url}/auth/google${query}`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  return { state, cookie: cookiesOf(start) };
}

const callback = (query: string, headers: Record<string, string>) =>
  fetch(`${stack.url}/auth/google/callback?${query}`, { redirect: 'manual', headers });

describe('When the Google sign-in does not succeed', () => {
  test('When the researcher clicks Cancel on the consent screen, then the browser gets a 400 page that says so, with Try again and Back home', async () => {
    const { state, cookie } = await startSignIn();

    const answer = await callback(`error=access_denied&state=${encodeURIComponent(state)}`, {
      cookie,
      accept: BROWSER_ACCEPT,
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.getSetCookie().some((line) => line.startsWith('scheduler_session='))).toBe(false);
    const page = await answer.text();
    expect(page).toContain('<h1>You did not give access to your Google Calendar</h1>');
    expect(page).toContain('<a class="button" href="/auth/google">Try again</a>');
    expect(page).toContain('<a href="/">Back to the home page</a>');
  });

  test('When the denied sign-in had started from another page, then Try again leads back to it', async () => {
    const { state, cookie } = await startSignIn('?returnTo=%2Fstudies%3Fopen%3D1');

    const answer = await callback(`error=access_denied&state=${encodeURIComponent(state)}`, {
      cookie,
      accept: BROWSER_ACCEPT,
    });

    expect(await answer.text()).toContain('href="/auth/google?returnTo=%2Fstudies%3Fopen%3D1"');
  });

  test('When an API client (Accept: application/json) gets the denial, then it stays a 400 problem+json', async () => {
    const { state, cookie } = await startSignIn();

    const answer = await callback(`error=access_denied&state=${encodeURIComponent(state)}`, {
      cookie,
      accept: 'application/json',
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await answer.json()) as { detail: string }).detail).toContain('access_denied');
  });

  test('When Google answers another error, then the page names it, escaped, and offers Try again', async () => {
    const { state, cookie } = await startSignIn();

    const answer = await callback(`error=%3Cb%3Eserver_error&state=${encodeURIComponent(state)}`, {
      cookie,
      accept: BROWSER_ACCEPT,
    });

    expect(answer.status).toBe(400);
    const page = await answer.text();
    expect(page).toContain('<h1>Google did not connect your calendar</h1>');
    expect(page).toContain('&lt;b&gt;server_error');
    expect(page).toContain('href="/auth/google">Try again</a>');
  });

  test.each([
    ['a forged state', 'code=abc&state=forged.123.sig'],
    ['no state at all', 'error=access_denied'],
  ])(
    'When the callback comes with %s, then the browser gets the 400 "expired" page and an API client problem+json',
    async (_case, query) => {
      const page = await callback(query, { accept: BROWSER_ACCEPT });
      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('<h1>This sign-in has expired</h1>');

      const api = await callback(query, {});
      expect(api.status).toBe(400);
      expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await api.json()) as { detail: string }).detail).toMatch(/invalid or has expired/);
    },
  );

  test('When a browser starts the sign-in with a returnTo on another site, then it gets a 400 HTML page, not JSON', async () => {
    const answer = await fetch(`${stack.url}/auth/google?returnTo=${encodeURIComponent('//evil.example/')}`, {
      redirect: 'manual',
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await answer.text()).toContain('must be a path on this site');
  });
});

describe('Other pages that can fail in a browser', () => {
  test('When the home page form is posted with a wrong CSRF token, then the browser gets a 403 page', async () => {
    const researcher = await signIn(stack, 'form@example.com');
    const answer = await fetch(`${stack.url}/account/api-token`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: researcher.cookie,
        accept: BROWSER_ACCEPT,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'csrf=wrong',
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await answer.text();
    expect(page).toContain('<h1>You cannot do this here</h1>');
    expect(page).toContain('This form has expired');
  });

  test('When a browser opens a booking link that does not exist, then it gets the 404 page; an unknown API path stays problem+json', async () => {
    const page = await fetch(`${stack.url}/book/no-such-token`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('This booking link is not valid');

    const api = await fetch(`${stack.url}/api/nothing-here`, { headers: { accept: BROWSER_ACCEPT } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
