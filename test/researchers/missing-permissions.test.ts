import { signIn, startStack, type Stack } from '../support/stack';

const EVENTS = 'https://www.googleapis.com/auth/calendar.events';
const FREEBUSY = 'https://www.googleapis.com/auth/calendar.freebusy';

/** Issue 13, granular consent: the researcher may untick a calendar permission at Google. */
describe('When the researcher unticks a calendar permission on Google’s consent screen', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const nextConsentGrants = (email: string, scopes: string[]) =>
    fetch(`${stack.emulatorUrl}/_emulator/users/${encodeURIComponent(email)}/grant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scopes }),
    });

  /** The browser's way through "Connect with Google", up to the callback's answer. */
  async function callbackAnswer(email: string): Promise<Response> {
    const start = await fetch(`${stack.url}/auth/google?login_hint=${encodeURIComponent(email)}`, {
      redirect: 'manual',
    });
    const cookie = start.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    return fetch(consent.headers.get('location')!, {
      redirect: 'manual',
      headers: { cookie, accept: 'text/html' },
    });
  }

  const researchers = async () =>
    Number(((await stack.knex('researchers').count({ count: '*' }).first()) as { count: string }).count);

  test('then the browser gets a page naming the missing permission with a way to try again, and nothing is stored', async () => {
    await nextConsentGrants('ada@lab.example', [FREEBUSY]);
    const answer = await callbackAnswer('ada@lab.example');
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/text\/html/);
    const page = await answer.text();
    expect(page).toContain('A Google Calendar permission is missing');
    expect(page).toContain('See, create, change and delete events on your Google calendars');
    expect(page).not.toContain('See when you are busy');
    expect(page).toMatch(/href="\/auth\/google"[^>]*>\s*Try again/);
    expect(await researchers()).toBe(0);
  });

  test('then an API client gets a 400 problem naming it, and a second consent with every box ticked connects', async () => {
    await nextConsentGrants('grace@lab.example', [EVENTS]);
    await expect(signIn(stack, 'grace@lab.example')).rejects.toThrow(
      /sign-in failed: 400 .*See when you are busy/s,
    );
    expect(await researchers()).toBe(0);

    const signedIn = await signIn(stack, 'grace@lab.example');
    const me = (await (await fetch(`${stack.url}/api/me`, { headers: signedIn.auth })).json()) as {
      google: { state: string } | null;
    };
    expect(me.google?.state).toBe('connected');
  });
});
