import { formatMoment } from '../../src/web/format-time';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  // Workers on: adding participants queues their invitation emails.
  stack = await startStack();
});
afterAll(() => stack.close());

const page = (who: SignedIn, path: string) =>
  fetch(`${stack.url}${path}`, { headers: { cookie: who.cookie } });

function post(who: SignedIn, path: string, fields: Record<string, string>) {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The page a 303 leads to, with the flash cookie it set (as a browser would send it). */
async function follow(who: SignedIn, answer: Response): Promise<string> {
  const flash = answer.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const next = await fetch(`${stack.url}${answer.headers.get('location')}`, {
    headers: { cookie: `${who.cookie}; ${flash}` },
  });
  return next.text();
}

async function csrfOf(who: SignedIn): Promise<string> {
  const text = await (await page(who, '/settings')).text();
  return /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
}

async function createStudy(who: SignedIn, title: string): Promise<string> {
  const answer = await fetch(`${stack.url}/api/studies`, {
    method: 'POST',
    headers: { ...who.auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      durationMinutes: 45,
      timeZone: 'Europe/Berlin',
      availability: { weekly: {} },
    }),
  });
  return ((await answer.json()) as { id: string }).id;
}

async function participantsOf(who: SignedIn, studyId: string) {
  const answer = await fetch(`${stack.url}/api/studies/${studyId}/participants`, { headers: who.auth });
  return ((await answer.json()) as { participants: { id: string; email: string; name: string }[] })
    .participants;
}

describe('The studies page', () => {
  test('When signed out, then /studies, /studies/:id and /settings send the browser to sign in', async () => {
    for (const path of ['/studies', '/studies/00000000-0000-4000-8000-000000000000', '/settings']) {
      const answer = await fetch(`${stack.url}${path}`, { redirect: 'manual' });
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(`/?returnTo=${encodeURIComponent(path)}`);
    }
  });

  test('When a researcher has no study, then the page says so and links New study', async () => {
    const who = await signIn(stack, 'empty@example.com');
    const text = await (await page(who, '/studies')).text();
    expect(text).toContain('No studies yet');
    expect(text).toContain('<a class="button" href="/studies/new">New study</a>');
  });

  test('When a researcher has studies, then each shows its title as a link, open or closed, duration and counts by status', async () => {
    const who = await signIn(stack, 'cards@example.com');
    const id = await createStudy(who, 'Checkout <b>study</b>');
    await post(who, `/studies/${id}/participants`, {
      csrf: await csrfOf(who),
      participants: 'Ada <ada@example.com>\nBob <bob@example.com>',
    });

    const text = await (await page(who, '/studies')).text();

    expect(text).toContain(`<a href="/studies/${id}">Checkout &lt;b&gt;study&lt;/b&gt;</a>`);
    expect(text).toContain('Open');
    expect(text).toContain('45 minutes');
    expect(text).toMatch(/<dt>Invited<\/dt>\s*<dd>2<\/dd>/);
    expect(text).toMatch(/<dt>Interview Scheduled<\/dt>\s*<dd>0<\/dd>/);
    for (const label of ['Canceled Interview', 'No Show', 'Completed'])
      expect(text).toContain(`<dt>${label}</dt>`);
  });
});

describe('The study page', () => {
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    ada = await signIn(stack, 'researcher@example.com');
    studyId = await createStudy(ada, 'Onboarding');
  });

  test('When a researcher of another team (or a made-up id) asks for the study, then the 404 page; posting to it adds nothing', async () => {
    const eve = await signIn(stack, 'eve@example.com');
    const theirs = await page(eve, `/studies/${studyId}`);
    const nonsense = await page(eve, '/studies/not-an-id');
    const added = await post(eve, `/studies/${studyId}/participants`, {
      csrf: await csrfOf(eve),
      participants: 'Mallory <mallory@example.com>',
    });

    expect(theirs.status).toBe(404);
    expect(await theirs.text()).toContain('No such study in your team.');
    expect(nonsense.status).toBe(404);
    expect(added.status).toBe(404);
    expect(await participantsOf(ada, studyId)).toEqual([]);
  });

  test('When the form is posted without the CSRF token, then 403 and nobody is added', async () => {
    const answer = await post(ada, `/studies/${studyId}/participants`, {
      csrf: 'forged',
      participants: 'Ada <ada@example.com>',
    });
    expect(answer.status).toBe(403);
    expect(await participantsOf(ada, studyId)).toEqual([]);
  });

  test('When a line is wrong, then 400 with line-numbered errors beside the field and in a summary, the text kept, nobody added', async () => {
    const typed = 'Ada <ada@example.com>\nBob <bob@>\nCleo <ada@example.com>';
    const answer = await post(ada, `/studies/${studyId}/participants`, {
      csrf: await csrfOf(ada),
      participants: typed,
    });
    const text = await answer.text();

    expect(answer.status).toBe(400);
    expect(text).toContain('<title>Error: Onboarding');
    expect(text).toContain('class="error-summary"');
    expect(text).toContain('<a href="#participants">Line 2: “bob@” is not an email address</a>');
    expect(text).toContain('Line 3: ada@example.com is already on line 1');
    expect(text).toMatch(/id="participants-error"/);
    expect(text).toContain(
      'Ada &lt;ada@example.com&gt;\nBob &lt;bob@&gt;\nCleo &lt;ada@example.com&gt;</textarea',
    );
    expect(await participantsOf(ada, studyId)).toEqual([]);
  });

  test('When three participants are pasted, then they are added through the use case and each booking link is shown with a copy button', async () => {
    const answer = await post(ada, `/studies/${studyId}/participants`, {
      csrf: await csrfOf(ada),
      participants:
        'Ada Lovelace <ada@example.com>\n\n"Hopper, Grace" <grace@example.com>\nLinus <linus@example.com>',
    });
    const text = await answer.text();
    const added = await participantsOf(ada, studyId);

    expect(answer.status).toBe(200);
    expect(text).toContain('Added 3 participants');
    expect(added.map((person) => person.name).sort()).toEqual(['Ada Lovelace', 'Hopper, Grace', 'Linus']);
    const links = [...text.matchAll(/<code>(http[^<]+\/book\/[^<]+)<\/code>/g)].map((match) => match[1]);
    expect(links).toHaveLength(3);
    expect(text.match(/data-copy-text="http[^"]+\/book\//g)).toHaveLength(3);
    const booking = await fetch(`${stack.url}/api/booking/${links[0]?.split('/book/')[1]}`);
    expect(booking.status).toBe(200);
    for (const person of added) expect(text).toContain(`<a href="/participants/${person.id}">`);
  });

  test('When someone already in the study is pasted again, then 409 names them and nobody is added', async () => {
    const answer = await post(ada, `/studies/${studyId}/participants`, {
      csrf: await csrfOf(ada),
      participants: 'New Person <new@example.com>\nAda <ADA@example.com>',
    });
    const text = await answer.text();

    expect(answer.status).toBe(409);
    expect(text).toContain('Already in this study: ada@example.com.');
    expect(text).toContain('New Person &lt;new@example.com&gt;');
    expect(await participantsOf(ada, studyId)).toHaveLength(3);
  });

  test('When 500 participants (the most per request) are pasted, then the form takes them all', async () => {
    const bulk = await createStudy(ada, 'Survey follow-ups');
    const lines = Array.from(
      { length: 500 },
      (_, n) => `Participant Number ${n} <participant-${n}@example.org>`,
    );

    const answer = await post(ada, `/studies/${bulk}/participants`, {
      csrf: await csrfOf(ada),
      participants: lines.join('\n'),
    });

    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Added 500 participants');
    expect(await participantsOf(ada, bulk)).toHaveLength(500);
  });

  test('When the table is shown, then it has Name links, Email, Status labels and Interview; filter and search narrow it', async () => {
    const everyone = await (await page(ada, `/studies/${studyId}`)).text();
    const searched = await (await page(ada, `/studies/${studyId}?q=HOPPER`)).text();
    const scheduled = await (await page(ada, `/studies/${studyId}?status=scheduled&sort=interview`)).text();
    const nonsense = await page(ada, `/studies/${studyId}?status=nope&sort=sideways`);

    expect(everyone).toMatch(
      /<th scope="col">Name<\/th>\s*<th scope="col">Email<\/th>\s*<th scope="col">Status<\/th>\s*<th scope="col">Interview<\/th>/,
    );
    expect(everyone).toContain('Showing 3 of 3');
    expect(everyone).toContain('<span class="status-label">Invited</span>');
    expect(everyone).toContain('Interviews last 45 minutes');
    expect(everyone).toContain('Europe/Berlin');
    expect(searched).toContain('Showing 1 of 3');
    expect(searched).toContain('grace@example.com');
    expect(searched).not.toContain('linus@example.com');
    expect(scheduled).toContain('No participant matches.');
    expect(scheduled).toMatch(/<option value="scheduled"\s+selected/);
    expect(nonsense.status).toBe(200);
    expect(await nonsense.text()).toContain('Showing 3 of 3');
  });
});

describe('Your time zone (settings)', () => {
  test('When a researcher chooses a zone, then the console writes times in it; a wrong name is refused beside the field; empty clears it', async () => {
    const zoe = await signIn(stack, 'zoe.zone@example.com');
    const studyId = await createStudy(zoe, 'Zoned study');
    await post(zoe, `/studies/${studyId}/participants`, {
      csrf: await csrfOf(zoe),
      participants: 'Pia Zoned <pia.zoned@example.com>',
    });
    const [pia] = await participantsOf(zoe, studyId);
    const before = await (await page(zoe, `/studies/${studyId}`)).text();

    const wrong = await post(zoe, '/settings/time-zone', {
      csrf: await csrfOf(zoe),
      timeZone: 'Mars/Olympus',
    });
    const chosen = await post(zoe, '/settings/time-zone', {
      csrf: await csrfOf(zoe),
      timeZone: 'America/New_York',
    });
    const flash = await follow(zoe, chosen);
    const study = await (await page(zoe, `/studies/${studyId}`)).text();
    const person = await (await page(zoe, `/participants/${pia!.id}`)).text();
    const cleared = await post(zoe, '/settings/time-zone', { csrf: await csrfOf(zoe), timeZone: '' });
    const after = await (await page(zoe, `/studies/${studyId}`)).text();

    expect(before).toContain("Times in the study's time zone, Europe/Berlin");
    expect(wrong.status).toBe(400);
    const wrongText = await wrong.text();
    expect(wrongText).toContain('id="researcher-time-zone-error"');
    expect(wrongText).toContain('value="Mars/Olympus"');
    expect(chosen.status).toBe(303);
    expect(flash).toContain('Time zone saved: times are now shown in America/New_York.');
    expect(study).toContain('Times in your time zone, America/New_York');
    expect(person).toContain('your time zone, America/New_York');
    const [, at, shown] = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(person) ?? [];
    expect(shown).toBe(formatMoment(new Date(at!), 'America/New_York'));
    expect(cleared.status).toBe(303);
    expect(after).toContain("Times in the study's time zone, Europe/Berlin");
  });
});

describe("The study page's live updates", () => {
  let ada: SignedIn;
  let otto: SignedIn;
  beforeAll(async () => {
    ada = await signIn(stack, 'live@example.com');
    otto = await signIn(stack, 'otto.live@example.com');
  });

  async function live(who: SignedIn, studyId: string, query = '') {
    return fetch(`${stack.url}/studies/${studyId}/live${query}`, { headers: { cookie: who.cookie } });
  }

  test('When nothing changed, then 204; after a status change, the table as the page shows it, filter kept', async () => {
    const studyId = await createStudy(ada, 'Live table');
    await post(ada, `/studies/${studyId}/participants`, {
      csrf: await csrfOf(ada),
      participants: 'Ada Live <ada.live@example.com>\nBea Live <bea.live@example.com>',
    });
    const first = (await participantsOf(ada, studyId)).find((person) => person.name === 'Ada Live');
    const { version } = (await (await live(ada, studyId, '?status=invited')).json()) as { version: string };

    const unchanged = await live(ada, studyId, `?status=invited&since=${version}`);
    const cancel = await fetch(`${stack.url}/api/participants/${first!.id}/cancel`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Left the panel' }),
    });
    const changed = await live(ada, studyId, `?status=invited&since=${version}`);
    const everyone = await live(ada, studyId, `?since=${version}`);

    expect(unchanged.status).toBe(204);
    expect(cancel.status).toBe(200);
    expect(changed.status).toBe(200);
    const filtered = (await changed.json()) as { version: string; parts: { participants: string } };
    expect(filtered.version).not.toBe(version);
    expect(filtered.parts.participants).toContain('Showing 1 of 2');
    expect(filtered.parts.participants).toContain('Bea Live');
    expect(filtered.parts.participants).not.toContain('Ada Live');
    const all = (await everyone.json()) as { parts: { participants: string } };
    expect(all.parts.participants).toMatch(/Ada Live[\s\S]*Canceled Interview/);
  });

  test('When a researcher of another team (or a made-up id) polls a study, then 404 and nothing of it', async () => {
    const studyId = await createStudy(ada, 'Private live table');

    const foreign = await live(otto, studyId);
    const madeUp = await live(ada, 'not-an-id');

    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('Private live table');
    expect(madeUp.status).toBe(404);
  });
});

describe('The settings page', () => {
  test('When a token is created, then it is shown once and works; listed with its name; revoking it stops it', async () => {
    const who = await signIn(stack, 'settings@example.com');
    const csrf = await csrfOf(who);

    const created = await post(who, '/settings/tokens', { csrf, name: 'export script' });
    const text = await created.text();
    const token = /<code>(isk_[^<]+)<\/code>/.exec(text)?.[1] ?? '';
    expect(created.status).toBe(201);
    expect(text).toContain('Your new API token “export script”');
    expect(
      (await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);

    const listed = await (await page(who, '/settings')).text();
    expect(listed).toContain('<strong>export script</strong>');
    expect(listed).not.toContain(token);
    const id = new RegExp(`action="/settings/tokens/([^/]+)/revoke"[\\s\\S]*?token export script`).exec(
      listed,
    );
    const revokeId = [...listed.matchAll(/action="\/settings\/tokens\/([^/]+)\/revoke"/g)]
      .map((m) => m[1])
      .pop();
    expect(id).not.toBeNull();

    const forged = await post(who, `/settings/tokens/${revokeId}/revoke`, { csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(
      (await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);

    const revoked = await post(who, `/settings/tokens/${revokeId}/revoke`, { csrf });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/settings');
    expect(
      (await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    const after = await follow(who, revoked);
    expect(after).toContain('API token revoked');
    expect(after).not.toContain('<strong>export script</strong>');
  });

  test("When another researcher's token id is revoked, then the 404 page and the token still works", async () => {
    const owner = await signIn(stack, 'owner@example.com');
    const eve = await signIn(stack, 'eve2@example.com');
    const tokens = (await (await fetch(`${stack.url}/api/me/tokens`, { headers: owner.auth })).json()) as {
      tokens: { id: string }[];
    };
    const answer = await post(eve, `/settings/tokens/${tokens.tokens[0]?.id}/revoke`, {
      csrf: await csrfOf(eve),
    });
    expect(answer.status).toBe(404);
    expect((await fetch(`${stack.url}/api/me`, { headers: owner.auth })).status).toBe(200);
  });

  test('When Disconnect Google is confirmed, then the connection is revoked (as DELETE /api/me/google) and settings offers Reconnect', async () => {
    const who = await signIn(stack, 'disconnect@example.com');
    const before = await (await page(who, '/settings')).text();
    expect(before).toContain('href="/settings/google/disconnect"');
    const confirm = await (await page(who, '/settings/google/disconnect')).text();
    expect(confirm).toContain('<h1>Disconnect Google Calendar?</h1>');

    const forged = await post(who, '/settings/google/disconnect', { csrf: 'nope' });
    expect(forged.status).toBe(403);
    const me1 = (await (await fetch(`${stack.url}/api/me`, { headers: who.auth })).json()) as {
      google: { state: string };
    };
    expect(me1.google.state).toBe('connected');

    const answer = await post(who, '/settings/google/disconnect', { csrf: await csrfOf(who) });
    expect(answer.status).toBe(303);
    const me2 = (await (await fetch(`${stack.url}/api/me`, { headers: who.auth })).json()) as {
      google: { state: string };
    };
    expect(me2.google.state).toBe('revoked');
    const after = await follow(who, answer);
    expect(after).toContain('Google Calendar disconnected');
    expect(after).toContain('Reconnect Google Calendar');
  });
});
