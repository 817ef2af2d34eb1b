import { minutesOf, reminderInputOf, reminderTextOf } from '../../src/console/study-form-reminders';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

describe('The study form reminder field (pure)', () => {
  test.each([
    ['24h', 1440],
    ['1h', 60],
    ['30m', 30],
    ['2d', 2880],
    ['1h 30m', 90],
    ['90 minutes', 90],
    ['2 hours', 120],
    ['1 day', 1440],
  ])('"%s" is %i minutes', (typed, minutes) => {
    expect(minutesOf(typed)).toBe(minutes);
  });

  test.each(['', '60', 'soon', '1w', 'h'])('"%s" is not a time', (typed) => {
    expect(minutesOf(typed)).toBeUndefined();
  });

  test('A line of times becomes the API list; what cannot be read stays text for the schema to report', () => {
    expect(reminderInputOf('24h, 1h')).toEqual([1440, 60]);
    expect(reminderInputOf(' ')).toEqual([]);
    expect(reminderInputOf('24h, soon')).toEqual([1440, 'soon']);
  });

  test('Saved times are written back the way people type them', () => {
    expect(reminderTextOf([2880, 1440, 90])).toBe('2d, 24h, 1h 30m');
    expect(reminderTextOf([30])).toBe('30m');
    expect(reminderTextOf([])).toBe('');
  });
});

describe('The study form with reminder times', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    ada = await signIn(stack, 'ada@example.com');
  });
  afterAll(() => stack.close());

  const page = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: ada.cookie } });
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: ada.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  async function fields(reminders: string): Promise<Record<string, string>> {
    const text = await (await page('/studies/new')).text();
    return {
      csrf: /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '',
      title: 'Reminder study',
      durationMinutes: '30',
      timeZone: 'Europe/Berlin',
      conflictHandling: 'busy',
      'weekly[mon][0][start]': '09:00',
      'weekly[mon][0][end]': '12:00',
      bufferBeforeMinutes: '0',
      bufferAfterMinutes: '0',
      minNoticeMinutes: '60',
      bookingWindow: 'rolling',
      horizonDays: '14',
      eventTitle: '{{studyTitle}}',
      eventDescription: '',
      reminderMinutesBefore: reminders,
    };
  }

  test('When a new study form opens, then the reminder field offers 24h, the default', async () => {
    const text = await (await page('/studies/new')).text();

    expect(text).toContain('<label for="reminderMinutesBefore">Reminders before the interview</label>');
    expect(text).toMatch(
      /id="reminderMinutesBefore"\s+name="reminderMinutesBefore"\s+type="text"\s+value="24h"/,
    );
  });

  test('When the form is saved with "24h, 1h", then the study reminds 1440 and 60 minutes before and the edit form shows it again', async () => {
    const answer = await post('/studies', await fields('24h, 1h'));

    expect(answer.status).toBe(303);
    const id = /\/studies\/([0-9a-f-]{36})/.exec(answer.headers.get('location') ?? '')?.[1];
    const study = await (await fetch(`${stack.url}/api/studies/${id}`, { headers: ada.auth })).json();
    expect(study.reminderMinutesBefore).toEqual([1440, 60]);
    expect(await (await page(`/studies/${id}/edit`)).text()).toMatch(/value="24h, 1h"/);
  });

  test('When the form has a time that cannot be read, then it comes back 400 with the message beside the field and nothing is saved', async () => {
    const before = await stack.knex('studies').count<{ count: string }[]>('* as count');

    const answer = await post('/studies', await fields('24h, soon'));

    expect(answer.status).toBe(400);
    const text = await answer.text();
    expect(text).toContain('id="reminderMinutesBefore-error"');
    expect(text).toContain('Reminders: “soon” is not a time like 24h, 1h or 30m');
    expect(text).toContain('href="#reminderMinutesBefore"');
    expect(await stack.knex('studies').count<{ count: string }[]>('* as count')).toEqual(before);
  });

  test('When the form asks for four reminders, then it says at most 3', async () => {
    const answer = await post('/studies', await fields('2d, 24h, 1h, 30m'));

    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('Reminders: at most 3 reminders');
  });
});
