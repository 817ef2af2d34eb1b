import {
  admin,
  authorizationCode,
  calendarClient,
  failureOf,
  oauthClient,
  SCOPES,
  startEmulator,
  type Harness,
} from './support';

const EVENTS = 'https://www.googleapis.com/auth/calendar.events';
const READONLY = 'https://www.googleapis.com/auth/calendar.readonly';
const SIGN_IN = [
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

let harness: Harness;
afterEach(() => harness.close());

const anEvent = {
  summary: 'Interview',
  start: { dateTime: '2030-01-10T09:00:00Z' },
  end: { dateTime: '2030-01-10T10:00:00Z' },
};

describe('Granular consent, as Google shows it', () => {
  test('When the consent page is shown, then each non-sign-in scope has its own checkbox, ticked, and sign-in scopes have none', async () => {
    harness = await startEmulator({ autoApprove: false });
    const url = oauthClient(harness.base).generateAuthUrl({ scope: SCOPES, access_type: 'offline' });
    const html = await (await fetch(url)).text();
    const boxes = [...html.matchAll(/<input\s+type="checkbox"[^>]*?value="([^"]+)"[^>]*>/g)];
    expect(boxes.map((match) => match[1])).toEqual([EVENTS, READONLY]);
    for (const box of boxes) expect(box[0]).toContain('checked');
  });

  test('When the user unticks calendar.events on the page, then the token lists only what was granted and an insert is 403 insufficientPermissions', async () => {
    harness = await startEmulator({ autoApprove: false });
    await admin(harness.base, '/users', { email: 'ada@example.com', name: 'Ada' });
    const client = oauthClient(harness.base);
    const url = new URL(client.generateAuthUrl({ scope: SCOPES, access_type: 'offline', state: 's' }));
    // What the browser posts: the request's hidden fields, the ticked boxes, the account button.
    const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), granular: '1' });
    form.append('grant', READONLY);
    form.append('email', 'ada@example.com');
    const chosen = await fetch(`${harness.base}/o/oauth2/v2/auth`, {
      method: 'POST',
      redirect: 'manual',
      body: form,
    });
    expect(chosen.status).toBe(303);
    const redirect = new URL(chosen.headers.get('location')!);
    expect(redirect.searchParams.get('scope')!.split(' ').sort()).toEqual([...SIGN_IN, READONLY].sort());

    const { tokens } = await client.getToken(redirect.searchParams.get('code')!);
    expect(tokens.scope!.split(' ').sort()).toEqual([...SIGN_IN, READONLY].sort());
    client.setCredentials(tokens);
    const calendar = calendarClient(harness.base, client);
    await expect(calendar.events.list({ calendarId: 'primary' })).resolves.toMatchObject({ status: 200 });
    const failure = await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: anEvent }));
    expect(failure).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
    expect(failure.body).toMatchObject({
      error: {
        code: 403,
        message: 'Request had insufficient authentication scopes.',
        errors: [expect.objectContaining({ reason: 'insufficientPermissions' })],
      },
    });
  });

  test('When the admin API says what the next auto-approved consent grants, then that consent grants only it, and the one after grants everything again', async () => {
    harness = await startEmulator();
    const answer = await admin(harness.base, '/users/Ada@Example.com/grant', { scopes: [READONLY] });
    expect(answer).toMatchObject({ status: 200, body: { nextConsentGrants: [READONLY] } });

    const client = oauthClient(harness.base);
    const { tokens } = await client.getToken(await authorizationCode(client, { email: 'ada@example.com' }));
    expect(tokens.scope!.split(' ')).not.toContain(EVENTS);
    client.setCredentials(tokens);
    expect(
      await failureOf(
        calendarClient(harness.base, client).events.insert({ calendarId: 'primary', requestBody: anEvent }),
      ),
    ).toMatchObject({ status: 403, reason: 'insufficientPermissions' });

    const again = oauthClient(harness.base);
    const second = await again.getToken(await authorizationCode(again, { email: 'ada@example.com' }));
    expect(second.tokens.scope!.split(' ')).toContain(EVENTS);
  });

  test('When the page’s create-account button is used with both boxes ticked, then the account exists and both scopes are granted', async () => {
    harness = await startEmulator({ autoApprove: false });
    const url = new URL(oauthClient(harness.base).generateAuthUrl({ scope: SCOPES, access_type: 'offline' }));
    const form = new URLSearchParams({
      ...Object.fromEntries(url.searchParams),
      granular: '1',
      new_email: 'fresh@example.com',
      new_name: 'Fresh Face',
      decision: 'create',
    });
    form.append('grant', EVENTS);
    form.append('grant', READONLY);
    const created = await fetch(`${harness.base}/o/oauth2/v2/auth`, {
      method: 'POST',
      redirect: 'manual',
      body: form,
    });
    expect(created.status).toBe(303);
    const scope = new URL(created.headers.get('location')!).searchParams.get('scope')!;
    expect(scope.split(' ')).toEqual(expect.arrayContaining([EVENTS, READONLY]));
    expect(harness.emulator.state.users['fresh@example.com']?.name).toBe('Fresh Face');
  });

  test('When the page posts without the granular marker (an old form or a script), then every requested scope is granted', async () => {
    harness = await startEmulator({ autoApprove: false });
    const url = new URL(oauthClient(harness.base).generateAuthUrl({ scope: SCOPES, access_type: 'offline' }));
    const chosen = await fetch(`${harness.base}/o/oauth2/v2/auth`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        ...Object.fromEntries(url.searchParams),
        decision: 'allow',
        email: 'new@example.com',
      }),
    });
    const scope = new URL(chosen.headers.get('location')!).searchParams.get('scope')!;
    expect(scope.split(' ')).toEqual(expect.arrayContaining([EVENTS, READONLY]));
  });
});
