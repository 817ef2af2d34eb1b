import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
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

async function csrfOf(who: SignedIn): Promise<string> {
  const text = await (await page(who, '/studies/new')).text();
  return /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
}

async function studiesOf(who: SignedIn) {
  const answer = await fetch(`${stack.url}/api/studies`, { headers: who.auth });
  return ((await answer.json()) as { studies: Record<string, unknown>[] }).studies;
}

async function studyOf(who: SignedIn, id: string) {
  const answer = await fetch(`${stack.url}/api/studies/${id}`, { headers: who.auth });
  return (await answer.json()) as Record<string, unknown>;
}

const form = (csrf: string): Record<string, string> => ({
  csrf,
  title: 'Checkout interviews',
  durationMinutes: '30',
  timeZone: 'Europe/Berlin',
  conflictHandling: 'strict',
  'weekly[mon][0][start]': '09:00',
  'weekly[mon][0][end]': '12:00',
  'weekly[mon][1][start]': '13:00',
  'weekly[mon][1][end]': '17:00',
  'weekly[mon][2][start]': '',
  'weekly[mon][2][end]': '',
  'weekly[wed][0][start]': '10:00',
  'weekly[wed][0][end]': '11:00',
  bufferBeforeMinutes: '5',
  bufferAfterMinutes: '10',
  minNoticeMinutes: '60',
  bookingWindow: 'rolling',
  horizonDays: '14',
  startDate: '',
  endDate: '',
  slotStepMinutes: '',
  dailyLimit: '3',
  guests: 'Obs@example.com\n\nsecond@example.com',
  eventTitle: '{{studyTitle}} with {{participantName}}',
  eventDescription: 'Hello {{participantName}}',
});

describe('The study form', () => {
  test('When a researcher opens New study, then the form has a Title field, every weekday and the time zones to pick from', async () => {
    const who = await signIn(stack, 'form-new@example.com');
    const answer = await page(who, '/studies/new');
    const text = await answer.text();
    expect(answer.status).toBe(200);
    expect(text).toContain('<label for="title">Title</label>');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
      expect(text).toContain(`<legend>${day}</legend>`);
    expect(text).toContain('<option value="Europe/Berlin"></option>');
    expect(text).toContain('name="weekly[mon][1][start]"'); // the spare empty row after 09:00–17:00
  });

  test('When the form is posted, then 303 to the new study with "Study created", and the study has the weekly windows and settings typed', async () => {
    const who = await signIn(stack, 'form-create@example.com');
    const answer = await post(who, '/studies', form(await csrfOf(who)));

    expect(answer.status).toBe(303);
    const location = answer.headers.get('location') ?? '';
    expect(location).toMatch(/^\/studies\/[0-9a-f-]{36}$/);
    const flash = answer.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const next = await (
      await fetch(`${stack.url}${location}`, { headers: { cookie: `${who.cookie}; ${flash}` } })
    ).text();
    expect(next).toContain('Study created');
    const [study] = await studiesOf(who);
    expect(study).toMatchObject({
      title: 'Checkout interviews',
      durationMinutes: 30,
      timeZone: 'Europe/Berlin',
      conflictHandling: 'strict',
      availability: {
        weekly: {
          mon: [
            { start: '09:00', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
          wed: [{ start: '10:00', end: '11:00' }],
        },
      },
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minNoticeMinutes: 60,
      horizonDays: 14,
      startDate: null,
      slotStepMinutes: null,
      dailyLimit: 3,
      guests: ['obs@example.com', 'second@example.com'],
      eventTitle: '{{studyTitle}} with {{participantName}}',
    });
    expect(location).toBe(`/studies/${String(study!.id)}`);
  });

  test('When the form has mistakes, then 400 with each error beside its field and in the summary, what was typed kept, nothing saved', async () => {
    const who = await signIn(stack, 'form-invalid@example.com');
    const answer = await post(who, '/studies', {
      ...form(await csrfOf(who)),
      title: '',
      durationMinutes: 'ten',
      timeZone: 'Mars/Olympus',
      'weekly[mon][1][start]': '18:00',
      'weekly[mon][1][end]': '17:00',
      guests: 'not-an-email',
      eventTitle: 'Hi {{participant}}',
    });
    const text = await answer.text();

    expect(answer.status).toBe(400);
    expect(text).toContain('There is a problem; nothing was saved');
    for (const field of [
      'title',
      'durationMinutes',
      'timeZone',
      'weekly-mon-1-end',
      'guests',
      'eventTitle',
    ]) {
      expect(text).toContain(`<a href="#${field}">`);
      expect(text).toContain(`id="${field.replace(/-(start|end)$/, '')}-error"`);
    }
    expect(text).toContain('Monday, time range 2: end must be later than start');
    expect(text).toContain('Interview length: enter a whole number');
    expect(text).toContain('value="Mars/Olympus"');
    expect(text).toContain('value="ten"');
    expect(text).toContain('Unknown placeholder {{participant}}');
    expect(await studiesOf(who)).toEqual([]);
  });

  test('When the edit form is saved, then the study changes and empty optional settings are cleared', async () => {
    const who = await signIn(stack, 'form-edit@example.com');
    const csrf = await csrfOf(who);
    const created = await post(who, '/studies', form(csrf));
    const id = (created.headers.get('location') ?? '').split('/').pop()!;

    const edit = await (await page(who, `/studies/${id}/edit`)).text();
    expect(edit).toContain('value="Checkout interviews"');
    expect(edit).toContain('Slots in the next 7 days');
    expect(edit).toMatch(/name="weekly\[mon\]\[1\]\[start\]"\s+value="13:00"/);

    const saved = await post(who, `/studies/${id}`, {
      ...form(csrf),
      title: 'Checkout, round 2',
      dailyLimit: '',
      'weekly[mon][1][start]': '',
      'weekly[mon][1][end]': '',
      bookingWindow: 'fixed',
      startDate: '2027-01-04',
      endDate: '2027-01-29',
    });

    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/studies/${id}`);
    expect(await studyOf(who, id)).toMatchObject({
      title: 'Checkout, round 2',
      dailyLimit: null,
      horizonDays: null,
      startDate: '2027-01-04',
      endDate: '2027-01-29',
      availability: { weekly: { mon: [{ start: '09:00', end: '12:00' }] } },
    });
  });

  test('When Close study and then Reopen study are posted, then the study is closed and open again', async () => {
    const who = await signIn(stack, 'form-close@example.com');
    const csrf = await csrfOf(who);
    const id = ((await post(who, '/studies', form(csrf))).headers.get('location') ?? '').split('/').pop()!;
    expect(await (await page(who, `/studies/${id}/edit`)).text()).toContain('Close study');

    const closed = await post(who, `/studies/${id}/status`, { csrf, status: 'closed' });
    expect(closed.status).toBe(303);
    expect((await studyOf(who, id)).status).toBe('closed');
    expect(await (await page(who, `/studies/${id}/edit`)).text()).toContain('Reopen study');

    await post(who, `/studies/${id}/status`, { csrf, status: 'open' });
    expect((await studyOf(who, id)).status).toBe('open');
  });

  test('When the form is posted without the CSRF token, then 403 and nothing is saved', async () => {
    const who = await signIn(stack, 'form-csrf@example.com');
    const { csrf: _csrf, ...fields } = form('');
    const answer = await post(who, '/studies', fields);
    expect(answer.status).toBe(403);
    expect(await studiesOf(who)).toEqual([]);
  });

  test("When a researcher of another team opens or posts to a study's edit form, then 404 and the study is unchanged", async () => {
    const ada = await signIn(stack, 'form-owner@example.com');
    const id = ((await post(ada, '/studies', form(await csrfOf(ada)))).headers.get('location') ?? '')
      .split('/')
      .pop()!;
    const eve = await signIn(stack, 'form-eve@example.com');
    const eveCsrf = await csrfOf(eve);

    expect((await page(eve, `/studies/${id}/edit`)).status).toBe(404);
    expect((await post(eve, `/studies/${id}`, { ...form(eveCsrf), title: 'Mine now' })).status).toBe(404);
    expect((await post(eve, `/studies/${id}/status`, { csrf: eveCsrf, status: 'closed' })).status).toBe(404);
    expect(await studyOf(ada, id)).toMatchObject({ title: 'Checkout interviews', status: 'open' });
  });
});

describe("The study form's slot preview", () => {
  const everyDay = (from: string, to: string) =>
    Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((day) => [
        [`weekly[${day}][0][start]`, from],
        [`weekly[${day}][0][end]`, to],
      ]),
    );
  const typed = (csrf: string, changes: Record<string, string>): Record<string, string> => ({
    ...form(csrf),
    ...everyDay('09:00', '10:00'),
    bufferBeforeMinutes: '0',
    bufferAfterMinutes: '0',
    minNoticeMinutes: '0',
    dailyLimit: '',
    ...changes,
  });

  test('When settings are typed, then the preview shows their slots by the same rules as saving, and nothing is saved', async () => {
    const who = await signIn(stack, 'preview@example.com');
    const csrf = await csrfOf(who);

    const half = await post(who, '/studies/preview', typed(csrf, { durationMinutes: '30' }));
    const hour = await post(who, '/studies/preview', typed(csrf, { durationMinutes: '60' }));

    expect(half.status).toBe(200);
    expect(half.headers.get('content-type')).toContain('text/html');
    const halfText = await half.text();
    expect(halfText).toContain('As typed (not saved yet), in Europe/Berlin');
    expect(halfText).toMatch(/<dd>09:00, 09:30<\/dd>/);
    expect(halfText).toMatch(/\d+ slots on \d+ days\./);
    const hourText = await hour.text();
    expect(hourText).toMatch(/<dd>09:00<\/dd>/);
    expect(hourText).not.toContain('09:30');
    expect(await studiesOf(who)).toEqual([]);
  });

  test('When the typed settings would be refused on saving, then the preview names what to change instead of slots', async () => {
    const who = await signIn(stack, 'preview-wrong@example.com');
    const csrf = await csrfOf(who);

    const answer = await post(
      who,
      '/studies/preview',
      typed(csrf, { title: '', timeZone: 'Mars/Olympus', 'weekly[tue][0][end]': '08:00' }),
    );

    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text).toContain('The preview shows once the settings are complete');
    expect(text).toContain('href="#timeZone"');
    expect(text).toContain('href="#weekly-tue-0-');
    expect(text).not.toContain('title');
    expect(text).not.toContain('<dl');
  });

  test('When the preview is asked for without the CSRF token, then 403', async () => {
    const who = await signIn(stack, 'preview-csrf@example.com');
    const { csrf: _csrf, ...fields } = typed('', {});

    expect((await post(who, '/studies/preview', fields)).status).toBe(403);
  });

  test('When a saved study is edited, then the page first previews it as saved', async () => {
    const who = await signIn(stack, 'preview-saved@example.com');
    const id = ((await post(who, '/studies', typed(await csrfOf(who), {}))).headers.get('location') ?? '')
      .split('/')
      .pop()!;

    const text = await (await page(who, `/studies/${id}/edit`)).text();

    expect(text).toContain('As saved, in Europe/Berlin');
    expect(text).toContain('data-preview-url="/studies/preview"');
  });
});
