import request from 'supertest';
import { createGoogleEmulator, type GoogleEmulator } from '../../src/emulator';

const OWNER = 'researcher@example.com';
const NOW = new Date('2030-01-10T06:00:00Z');
let emulator: GoogleEmulator;

beforeEach(async () => {
  emulator = createGoogleEmulator({ now: () => NOW });
  await request(emulator.app)
    .post('/_emulator/users')
    .send({ email: OWNER, name: 'Rita Researcher' })
    .expect(201);
});
afterEach(() => emulator.close());

async function addEvent(summary: string, hour: number, attendees: string[] = []) {
  const response = await request(emulator.app)
    .post(`/_emulator/calendars/${OWNER}/events`)
    .send({
      summary,
      start: { dateTime: `2030-01-10T${String(hour).padStart(2, '0')}:00:00Z` },
      end: { dateTime: `2030-01-10T${String(hour + 1).padStart(2, '0')}:00:00Z` },
      attendees: attendees.map((email) => ({ email })),
    })
    .expect(201);
  return response.body as { id: string };
}

async function page(): Promise<string> {
  const response = await request(emulator.app).get('/_emulator/').expect(200).expect('content-type', /html/);
  return response.text;
}

const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The form holding the button with this accessible label, as a browser would submit it. */
function formFor(html: string, label: string) {
  const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((candidate) => unescape(candidate).includes(`aria-label="${label}"`));
  if (!form) throw new Error(`no form with a button labelled ${label}`);
  const action = unescape(/action="([^"]*)"/.exec(form)![1]!);
  const fields: Record<string, string> = {};
  for (const input of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    const value = /value="([^"]*)"/.exec(input)?.[1];
    if (name) fields[name] = unescape(value ?? '');
  }
  return { action, fields };
}

function submit(html: string, label: string, overrides: Record<string, string> = {}) {
  const { action, fields } = formFor(html, label);
  return request(emulator.app)
    .post(action)
    .type('form')
    .send({ ...fields, ...overrides });
}

const eventOf = (id: string) => emulator.state.calendars[OWNER]!.events[id]!.resource;

describe('The admin page', () => {
  test('When it is opened, then each account shows its upcoming events with time, title, status and responses', async () => {
    await addEvent('Interview with Pat', 9, [OWNER, 'pat@example.org']);
    await addEvent('Yesterday', 3);
    const html = await page();
    expect(html).toContain('Rita Researcher &lt;researcher@example.com&gt;');
    expect(html).toContain('Interview with Pat');
    expect(html).toContain('2030-01-10 09:00');
    expect(html).toContain('confirmed');
    expect(html).toMatch(/pat@example\.org: <strong>needsAction<\/strong>/);
    expect(html).not.toContain('Yesterday');
  });

  test('When titles or names carry markup, then it is escaped', async () => {
    await request(emulator.app)
      .post('/_emulator/users')
      .send({ email: 'x@example.com', name: '<img src=x onerror=alert(1)>' });
    await addEvent('<script>alert("t")</script>', 9);
    const html = await page();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
  });

  test('When every input is looked at, then each has a label and the page needs no script', async () => {
    await addEvent('Labelled', 9, ['pat@example.org']);
    const html = await page();
    const ids = [...html.matchAll(/<input id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(html).toContain(`<label for="${id}">`);
    expect(html).not.toContain('<script');
    expect(html).toContain('<html lang="en">');
  });

  test('When “+1 h” is pressed, then the event moves an hour later and the browser returns to the page', async () => {
    const event = await addEvent('Movable', 9);
    const response = await submit(await page(), 'Move “Movable” one hour later');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/_emulator/');
    expect(eventOf(event.id)).toMatchObject({ start: { dateTime: '2030-01-10T10:00:00Z' }, sequence: 1 });
  });

  test('When a new start is picked, then the event moves there (UTC) keeping its length', async () => {
    const event = await addEvent('Picked', 9);
    await submit(await page(), 'Move “Picked” to the chosen time', { start: '2030-01-12T14:30' }).expect(303);
    expect(eventOf(event.id)).toMatchObject({
      start: { dateTime: '2030-01-12T14:30:00Z' },
      end: { dateTime: '2030-01-12T15:30:00Z' },
    });
  });

  test('When “Cancel event” is pressed, then the event is cancelled and shown so', async () => {
    const event = await addEvent('Doomed', 9);
    await submit(await page(), 'Cancel “Doomed”').expect(303);
    expect(eventOf(event.id).status).toBe('cancelled');
    expect(await page()).toMatch(/class="status-cancelled"/);
  });

  test('When an attendee’s Accept or Decline is pressed, then their response changes', async () => {
    const event = await addEvent('Answer me', 9, [OWNER, 'pat@example.org']);
    await submit(await page(), 'Decline “Answer me” as pat@example.org').expect(303);
    expect(eventOf(event.id).attendees![1]).toMatchObject({
      email: 'pat@example.org',
      responseStatus: 'declined',
    });
    await submit(await page(), 'Accept “Answer me” as pat@example.org').expect(303);
    expect(eventOf(event.id).attendees![1]!.responseStatus).toBe('accepted');
    // The organizer answers nothing: no buttons for them.
    const html = await page();
    expect(() => formFor(html, `Decline “Answer me” as ${OWNER}`)).toThrow();
    expect(() => formFor(html, 'Decline “Answer me” as pat@example.org')).not.toThrow();
  });

  test('When the create-account form is posted, then the account appears on the page', async () => {
    await request(emulator.app)
      .post('/_emulator/users')
      .type('form')
      .send({ email: 'fresh@example.com', name: 'Fresh Face' })
      .expect(303)
      .expect('location', '/_emulator/');
    expect(await page()).toContain('Fresh Face &lt;fresh@example.com&gt;');
  });

  test('When the add-event form is posted, then the busy event is in that calendar', async () => {
    await request(emulator.app)
      .post(`/_emulator/calendars/${OWNER}/events`)
      .type('form')
      .send({ summary: 'Dentist', start: '2030-01-10T15:00', end: '2030-01-10T16:00' })
      .expect(303);
    const events = Object.values(emulator.state.calendars[OWNER]!.events).map((stored) => stored.resource);
    expect(events).toEqual([
      expect.objectContaining({
        summary: 'Dentist',
        start: { dateTime: '2030-01-10T15:00:00Z', timeZone: 'UTC' },
      }),
    ]);
  });

  test('When the add-event form is posted as weekly out of office, then a weekly out-of-office series is in that calendar', async () => {
    const html = await page();
    expect(html).toContain('name="eventType"');
    expect(html).toContain('name="recurrence"');
    await request(emulator.app)
      .post(`/_emulator/calendars/${OWNER}/events`)
      .type('form')
      .send({
        summary: 'Parental leave',
        start: '2030-01-10T09:00',
        end: '2030-01-10T17:00',
        eventType: 'outOfOffice',
        recurrence: 'RRULE:FREQ=WEEKLY',
      })
      .expect(303);
    const events = Object.values(emulator.state.calendars[OWNER]!.events).map((stored) => stored.resource);
    expect(events).toEqual([
      expect.objectContaining({ eventType: 'outOfOffice', recurrence: ['RRULE:FREQ=WEEKLY'] }),
    ]);
  });

  test('When a form post fails, then the page shows the error', async () => {
    const response = await request(emulator.app)
      .post(`/_emulator/calendars/${OWNER}/events/nosuchevent/cancel`)
      .type('form')
      .send({})
      .expect(303);
    const location = response.headers.location as string;
    expect(location).toMatch(/^\/_emulator\/\?error=/);
    const shown = await request(emulator.app).get(location).expect(200);
    expect(shown.text).toContain('role="alert"');
    expect(shown.text).toContain('Not Found');
  });
});
