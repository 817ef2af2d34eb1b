import {
  bookThroughApi,
  freeSlots,
  researcherCall,
  studyWithParticipants,
  type Invitee,
} from '../browser/support/booking-fixtures';
import { setStudyHosts } from '../bookings/hosts-support';
import {
  eventually,
  participantEmailsSent,
  signIn,
  startStack,
  type SignedIn,
  type Stack,
} from '../support/stack';
import { pushesAndSyncsSettled } from '../sync/calendar-support';

/** The researcher console's participant page over HTTP: session, CSRF, the forms and their use cases. */
describe('The participant page', () => {
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
  const post = (who: SignedIn, path: string, fields: Record<string, string>, cookie = who.cookie) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const csrfOf = async (who: SignedIn, path: string) =>
    /name="csrf" value="([^"]+)"/.exec(await (await page(who, path)).text())?.[1] ?? '';
  const detail = async (invitee: Invitee) =>
    (await (await researcherCall(stack, rita, 'GET', `/api/participants/${invitee.id}`)).json()) as {
      status: string;
      history: { to: string; source: string; actor: string; reason: string | null }[];
      scheduledStart: string | null;
    };
  /** Cookies the redirect set (the flash message), as the browser would send them next. */
  const withCookies = (who: SignedIn, answer: Response) =>
    [who.cookie, ...answer.headers.getSetCookie().map((cookie) => cookie.split(';')[0])].join('; ');

  async function participant(name: string): Promise<Invitee> {
    return (await studyWithParticipants(stack, rita, [name])).invitees[0]!;
  }

  // Interviews that have started are put in the past, each at its own time (one calendar).
  let pastSlots = 0;
  async function booked(name: string, started?: 'started'): Promise<Invitee> {
    const invitee = await participant(name);
    const slot = (await freeSlots(stack, invitee))[3]!;
    const answer = await bookThroughApi(stack, invitee, slot.start);
    expect(answer.status).toBe(201);
    if (started) {
      // The sync the booking's own event causes must be over first: one that ran after this
      // change would see the event at another time than the booking and apply it as a move.
      await pushesAndSyncsSettled(stack);
      pastSlots += 1;
      const start = new Date(Date.now() - (10 + pastSlots * 40) * 60_000);
      await stack
        .knex('bookings')
        .where({ participant_id: invitee.id })
        .update({
          during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, new Date(start.getTime() + 30 * 60_000)]),
        });
    }
    return invitee;
  }

  test('When nobody is signed in, then the page sends the browser to sign in, keeping the way back', async () => {
    const pat = await participant('Pat Signedout');
    const answer = await fetch(`${stack.url}/participants/${pat.id}`, { redirect: 'manual' });

    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(
      `/?returnTo=${encodeURIComponent(`/participants/${pat.id}`)}`,
    );
  });

  test('When a form is posted after the session ended, then nothing changes and the browser goes to sign in', async () => {
    const pat = await booked('Pat Expired', 'started');

    const answer = await fetch(`${stack.url}/participants/${pat.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=no_show&csrf=x',
      redirect: 'manual',
    });

    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/');
    expect((await detail(pat)).status).toBe('scheduled');
  });

  test("When an invitation could not be delivered, then the page says so with the mail server's reason", async () => {
    const pat = await participant('Pat Bounced');
    await eventually(
      async () => (await stack.knex('email_outbox').where({ participant_id: pat.id }).first())?.id,
    );
    await stack.knex('email_outbox').where({ participant_id: pat.id }).update({
      state: 'failed',
      attempts: 3,
      last_error: '550 5.1.1 mailbox unavailable',
      booking_url_ciphertext: null,
      booking_url_key_id: null,
    });

    const text = await (await page(rita, `/participants/${pat.id}`)).text();

    expect(text.replace(/\s+/g, ' ')).toContain(
      '<li class="email-failed"> Invitation: not delivered after 3 attempts — 550 5.1.1 mailbox unavailable </li>',
    );
  });

  test("When a researcher of another team opens a participant's page, or an id that is no id, then it is the 404 page", async () => {
    const pat = await participant('Pat Private');
    const foreign = await page(otto, `/participants/${pat.id}`);
    const malformed = await page(rita, '/participants/not-an-id');

    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('text/html');
    const text = await foreign.text();
    expect(text).toContain('This page does not exist');
    expect(text).not.toContain('Pat Private');
    expect(malformed.status).toBe(404);
    const own = (await studyWithParticipants(stack, otto, ['Olga Own'])).invitees[0]!;
    const post404 = await post(otto, `/participants/${pat.id}/status`, {
      csrf: await csrfOf(otto, `/participants/${own.id}`),
      status: 'canceled',
    });
    expect(post404.status).toBe(404);
    expect((await detail(pat)).status).toBe('invited');
  });

  test('When the page is opened, then it shows name, email, status label, study, emails and the history', async () => {
    const pat = await booked('Pat <b>Shown</b>');

    const answer = await page(rita, `/participants/${pat.id}`);
    const text = await answer.text();

    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(text).toContain('<h1>Pat &lt;b&gt;Shown&lt;/b&gt;</h1>');
    expect(text).toContain(pat.email);
    expect(text).toContain('Interview Scheduled');
    expect(text).toMatch(/href="\/studies\/[0-9a-f-]+">Checkout usability study/);
    expect(text).toMatch(/\d\d:\d\d–\d\d:\d\d \(Europe\/Berlin\)/);
    expect(text).toContain('<h2 id="timeline-heading">Timeline</h2>');
    expect(text).toContain('Interview booked for');
    expect(text).toContain('aria-haspopup="menu"');
    for (const item of ['Update Participant Status', 'Cancel interview', 'Re-invite', 'Copy booking link']) {
      expect(text).toMatch(new RegExp(`role="menuitem"[^>]*>\\s*${item}`));
    }
  });

  test('When an interview has one host, then the page names them; a collective one names every host, the organizer first', async () => {
    const alone = await booked('Pat Alone');
    const aloneText = await (await page(rita, `/participants/${alone.id}`)).text();
    expect(aloneText).toMatch(/<dt>Host<\/dt>\s*<dd>Rita Researcher<\/dd>/);

    const ben = await signIn(stack, 'ben.host@example.com', 'Ben <i>Okafor</i>');
    const team = stack.knex('researchers').select('team_id').where({ id: rita.researcherId });
    await stack.knex('researchers').where({ id: ben.researcherId }).update({ team_id: team });
    const { studyId, invitees } = await studyWithParticipants(stack, rita, ['Pat Pair']);
    await setStudyHosts(stack, studyId, 'collective', [rita.researcherId, ben.researcherId]);
    const pair = invitees[0]!;
    expect((await bookThroughApi(stack, pair, (await freeSlots(stack, pair))[2]!.start)).status).toBe(201);

    const text = await (await page(rita, `/participants/${pair.id}`)).text();

    expect(text).toMatch(
      /<dt>Hosts<\/dt>\s*<dd>Rita Researcher \(organizer\), Ben &lt;i&gt;Okafor&lt;\/i&gt;<\/dd>/,
    );
  });

  test('When a form is posted without the CSRF token or with a wrong one, then 403 and nothing changes', async () => {
    const pat = await booked('Pat Forged', 'started');

    const without = await post(rita, `/participants/${pat.id}/status`, { status: 'no_show' });
    const wrong = await post(rita, `/participants/${pat.id}/status`, { status: 'no_show', csrf: 'guess' });
    const own = (await studyWithParticipants(stack, otto, ['Olga Forger'])).invitees[0]!;
    const otherSession = await post(rita, `/participants/${pat.id}/cancel`, {
      csrf: await csrfOf(otto, `/participants/${own.id}`),
    });

    expect([without.status, wrong.status, otherSession.status]).toEqual([403, 403, 403]);
    expect(await wrong.text()).toContain('This form has expired');
    const after = await detail(pat);
    expect(after.status).toBe('scheduled');
    expect(after.history).toHaveLength(2);
  });

  test('When the status form is posted, then the use case records it with the reason and the page says so once', async () => {
    const pat = await booked('Pat Noshow', 'started');
    const csrf = await csrfOf(rita, `/participants/${pat.id}`);

    const answer = await post(rita, `/participants/${pat.id}/status`, {
      csrf,
      status: 'no_show',
      reason: 'Did not join the call',
    });

    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/participants/${pat.id}`);
    const after = await detail(pat);
    expect(after.status).toBe('no_show');
    expect(after.history.at(-1)).toMatchObject({
      to: 'no_show',
      source: 'researcher',
      actor: rita.researcherId,
      reason: 'Did not join the call',
    });
    const cookie = withCookies(rita, answer);
    const shown = await (await fetch(`${stack.url}/participants/${pat.id}`, { headers: { cookie } })).text();
    expect(shown).toContain('Status updated to No Show');
    expect(shown).toContain('Reason: Did not join the call');
    expect(shown).toContain('Status changed: Interview Scheduled → No Show, by Rita Researcher');
    const again = await (
      await fetch(`${stack.url}/participants/${pat.id}`, { headers: { cookie: rita.cookie } })
    ).text();
    expect(again).not.toContain('Status updated to No Show');
  });

  test('When the use case refuses the status (the interview has not started), then the page shows why beside Status and in the summary, and nothing changes', async () => {
    const pat = await booked('Pat Early');
    const csrf = await csrfOf(rita, `/participants/${pat.id}`);

    const answer = await post(rita, `/participants/${pat.id}/status`, {
      csrf,
      status: 'no_show',
      reason: 'x',
    });

    expect(answer.status).toBe(409);
    const text = await answer.text();
    expect(text).toContain('There is a problem');
    expect(text).toMatch(/<a href="#status">[^<]*the interview has not started/);
    expect(text).toMatch(/<p class="field-error" id="status-error">[^<]*the interview has not started/);
    expect(text).toContain('<title>Error: Pat Early');
    expect(text).toContain('The status cannot be &quot;No Show&quot; yet');
    expect(text).toMatch(/<option value="no_show"\s+selected/);
    const after = await detail(pat);
    expect(after.status).toBe('scheduled');
    expect(after.history).toHaveLength(2);
  });

  test('When the posted status is none of the five, then 400 with "Choose a status" and nothing changes', async () => {
    const pat = await participant('Pat Invalid');
    const csrf = await csrfOf(rita, `/participants/${pat.id}`);

    const answer = await post(rita, `/participants/${pat.id}/status`, { csrf, status: 'gone' });

    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('<a href="#status">Choose a status</a>');
    expect((await detail(pat)).status).toBe('invited');
  });

  test('When the cancel form is confirmed, then the interview is cancelled and leaves the calendar', async () => {
    const pat = await booked('Pat Cancel');
    const before = await (await page(rita, `/participants/${pat.id}`)).text();
    expect(before.replace(/\s+/g, ' ')).toMatch(
      /Cancel the interview with Pat Cancel on \w{3} \d+ \w{3} \d{4}, \d\d:\d\d–\d\d:\d\d \(Europe\/Berlin\)\? The participant and guests are told by Google\./,
    );
    const csrf = /name="csrf" value="([^"]+)"/.exec(before)?.[1] ?? '';

    const answer = await post(rita, `/participants/${pat.id}/cancel`, { csrf });

    expect(answer.status).toBe(303);
    const after = await detail(pat);
    expect(after.status).toBe('canceled');
    expect(after.history.at(-1)).toMatchObject({ to: 'canceled', source: 'researcher' });
    expect(after.scheduledStart).toBeNull();
    const shown = await (await page(rita, `/participants/${pat.id}`)).text();
    expect(shown).toMatch(/id="menu-cancel"[^>]*aria-disabled="true"/);
  });

  test('When a cancel form names an interview that is no longer the live one, then nothing is cancelled and the page says why; the API answers 409 booking-changed', async () => {
    const pat = await booked('Pat Stale');
    const before = await (await page(rita, `/participants/${pat.id}`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(before)?.[1] ?? '';
    const liveId = /name="bookingId" value="([^"]+)"/.exec(before)?.[1];
    const listed = await (await page(rita, '/interviews/upcoming')).text();
    expect(listed).toContain(`name="bookingId" value="${liveId}"`);
    const staleId = '00000000-0000-4000-8000-000000000000';

    const answer = await post(rita, `/participants/${pat.id}/cancel`, { csrf, bookingId: staleId });

    expect(answer.status).toBe(409);
    expect((await answer.text()).replace(/\s+/g, ' ')).toContain(
      'This interview changed since the page was loaded (it was moved, cancelled or rebooked), so nothing was cancelled.',
    );
    const api = await researcherCall(stack, rita, 'POST', `/api/participants/${pat.id}/cancel`, {
      bookingId: staleId,
    });
    expect(api.status).toBe(409);
    expect((await api.json()).type).toMatch(/booking-changed$/);
    const after = await detail(pat);
    expect(after.status).toBe('scheduled');
    expect(after.scheduledStart).not.toBeNull();
    expect(await stack.knex('bookings').where({ id: liveId, state: 'confirmed' })).toHaveLength(1);

    const current = await post(rita, `/participants/${pat.id}/cancel`, { csrf, bookingId: liveId! });
    expect(current.status).toBe(303);
    expect((await detail(pat)).status).toBe('canceled');
  });

  test('When re-invite is posted, then the new link is shown once and works; while an interview is booked it is refused with the reason', async () => {
    const pat = await participant('Pat Again');
    const csrf = await csrfOf(rita, `/participants/${pat.id}`);

    const answer = await post(rita, `/participants/${pat.id}/reinvite`, { csrf });

    expect(answer.status).toBe(303);
    const shown = await (
      await fetch(`${stack.url}/participants/${pat.id}`, { headers: { cookie: withCookies(rita, answer) } })
    ).text();
    const newUrl = /<code>(http[^<]+\/book\/[^<]+)<\/code>/.exec(shown)?.[1] ?? '';
    expect(newUrl).not.toBe('');
    expect(newUrl).not.toBe(pat.bookingUrl);
    const token = newUrl.split('/book/')[1];
    expect((await fetch(`${stack.url}/api/booking/${token}`)).status).toBe(200);
    expect((await fetch(`${stack.url}/api/booking/${pat.token}`)).status).toBe(410);

    const busy = await booked('Pat Busy');
    const refused = await post(rita, `/participants/${busy.id}/reinvite`, {
      csrf: await csrfOf(rita, `/participants/${busy.id}`),
    });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(
      /<a href="#reinvite-submit">This participant has an interview booked/,
    );
    expect((await detail(busy)).status).toBe('scheduled');
  });

  test('When the booking link is asked for, then it decrypts to the working link; a participant from before has none', async () => {
    const pat = await participant('Pat Copy');

    const json = await fetch(`${stack.url}/participants/${pat.id}/booking-link`, {
      headers: { cookie: rita.cookie, accept: 'application/json' },
    });
    const htmlPage = await (await page(rita, `/participants/${pat.id}/booking-link`)).text();

    expect(json.status).toBe(200);
    const { bookingUrl } = (await json.json()) as { bookingUrl: string };
    expect(bookingUrl).toBe(pat.bookingUrl);
    expect((await fetch(`${stack.url}/api/booking/${bookingUrl.split('/book/')[1]}`)).status).toBe(200);
    expect(htmlPage).toContain(`<code>${pat.bookingUrl}</code>`);
    const row = await stack.knex('participants').where({ id: pat.id }).first();
    expect(JSON.stringify(row)).not.toContain(pat.token);

    const old = await participant('Pat Before');
    await stack
      .knex('participants')
      .where({ id: old.id })
      .update({ booking_link_ciphertext: null, booking_link_key_id: null });
    const none = await (await page(rita, `/participants/${old.id}`)).text();
    expect(none).toMatch(/id="menu-copy"[^>]*aria-disabled="true"/);
    expect(none).toContain('No link stored: re-invite to make a new one');
    const foreign = await fetch(`${stack.url}/participants/${pat.id}/booking-link`, {
      headers: { cookie: otto.cookie, accept: 'application/json' },
      redirect: 'manual',
    });
    expect(foreign.status).toBe(404);
  });

  test('When the page polls for live updates, then it gets nothing while nothing changed and the new parts after a change', async () => {
    const pat = await booked('Pat Live', 'started');
    // The emails the booking sends are part of the page: out first, so nothing changes meanwhile.
    await participantEmailsSent(stack, pat.id);
    const first = await fetch(`${stack.url}/participants/${pat.id}/live`, {
      headers: { cookie: rita.cookie },
    });
    const { version } = (await first.json()) as { version: string };

    const unchanged = await fetch(`${stack.url}/participants/${pat.id}/live?since=${version}`, {
      headers: { cookie: rita.cookie },
    });
    await researcherCall(stack, rita, 'POST', `/api/participants/${pat.id}/status`, { status: 'completed' });
    const changed = await eventually(async () => {
      const answer = await fetch(`${stack.url}/participants/${pat.id}/live?since=${version}`, {
        headers: { cookie: rita.cookie },
      });
      return answer.status === 200 ? ((await answer.json()) as { parts: Record<string, string> }) : undefined;
    });

    expect(unchanged.status).toBe(204);
    expect(changed.parts.overview).toContain('Completed');
    expect(changed.parts.timeline).toContain('Interview Scheduled → Completed');
  });
});
