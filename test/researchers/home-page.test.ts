import { book, createStudy, invite, slotTomorrow } from '../bookings/support';
import { signIn, startStack, type Stack } from '../support/stack';

describe('The home page', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Workers on: inviting and booking queue emails and finish the calendar event.
    stack = await startStack();
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

  test('When the old API token form post (/account/api-token, now replaced by Settings) comes with the CSRF token, then a token is shown once; without it, 403', async () => {
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

  test('When signed in, then the home page is in the console layout, links Settings for API tokens and has no token form', async () => {
    const ada = await signIn(stack, 'layout@example.com');
    const page = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();

    expect(page).toMatch(/<a href="\/"\s+aria-current="page"\s*>Home<\/a/);
    expect(page).toMatch(/<a href="\/studies"\s*>Studies<\/a/);
    expect(page).toContain('<a href="/settings">Manage API tokens</a>');
    expect(page).not.toContain('action="/account/api-token"');
    expect(page).toContain('No interviews booked in the next 7 days.');
  });

  test('When an interview is booked for tomorrow, then it is listed with its time in the study zone, the participant, the study and the Meet link', async () => {
    const ada = await signIn(stack, 'upcoming@example.com');
    const study = await createStudy(stack, ada, { title: 'Pricing interviews' });
    const [person] = await invite(stack, ada, study.id, 1, 'up');
    const slot = await slotTomorrow(stack, person?.token ?? '', 10);
    expect((await book(stack, person?.token ?? '', slot.start)).status).toBe(201);

    const page = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();

    expect(page).toContain('10:00 (UTC)');
    expect(page).toContain(`<a href="/participants/${person?.id}">Participant up0</a>`);
    expect(page).toContain(`<a href="/studies/${study.id}">Pricing interviews</a>`);
    expect(page).toMatch(/<a href="https:\/\/meet[^"]+">Meet link<\/a>/);
  });

  test('When Google was disconnected, then the home page says so and offers Reconnect Google Calendar', async () => {
    const ada = await signIn(stack, 'revoked@example.com');
    await fetch(`${stack.url}/api/me/google`, { method: 'DELETE', headers: ada.auth });

    const page = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();

    expect(page).toContain('<strong>Disconnected</strong>');
    expect(page).toContain('<a class="button" href="/auth/google">Reconnect Google Calendar</a>');
  });

  test('When the push channel is not active, then the home page says so and why', async () => {
    const ada = await signIn(stack, 'nochannel@example.com');
    const listening = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();
    await stack
      .knex('calendar_channels')
      .where({ researcher_id: ada.researcherId })
      .update({ state: 'stopped' });

    const page = await (await fetch(`${stack.url}/`, { headers: { cookie: ada.cookie } })).text();

    expect(listening).toContain('Push notifications are active');
    expect(page).toContain('<strong>Push notifications are not active</strong>');
    expect(page).toContain('No push channel is open for this calendar.');
    expect(page).toMatch(/reach your studies\s+within 5 minutes instead/);
  });
});
