import type { Browser } from 'playwright-core';
import { createGoogleEmulator, type GoogleEmulator } from '../../src/emulator';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';

/**
 * The emulator's admin page in a real browser: what a developer or a demo does by hand to
 * play the people who use Google Calendar directly. Every click must change the emulator's
 * state exactly as the admin API would, and the page must show it.
 */

const OWNER = 'rita@example.com';
const ATTENDEE = 'pat@example.org';
const NOW = new Date('2030-01-10T06:00:00Z');

interface StateEvent {
  id: string;
  summary: string;
  status: string;
  sequence: number;
  start: { dateTime: string };
  end: { dateTime: string };
  attendees?: { email: string; responseStatus: string }[];
}
interface StateView {
  users: { email: string; name: string }[];
  events: Record<string, StateEvent[]>;
}

let browser: Browser;
let emulator: GoogleEmulator;
let base: string;
let watched: WatchedPage;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

beforeEach(async () => {
  emulator = createGoogleEmulator({ now: () => NOW });
  base = (await emulator.listen(0, '127.0.0.1')).url;
  await admin('/users', { email: OWNER, name: 'Rita Researcher' });
  watched = await openPage(browser);
});
afterEach(async () => {
  await watched.close();
  await emulator.close();
});

async function admin(path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${base}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

function addEvent(summary: string, hour: number, attendees: string[]) {
  const at = (h: number) => `2030-01-10T${String(h).padStart(2, '0')}:00:00Z`;
  return admin(`/calendars/${OWNER}/events`, {
    summary,
    start: { dateTime: at(hour) },
    end: { dateTime: at(hour + 1) },
    attendees: attendees.map((email) => ({ email })),
  });
}

async function state(): Promise<StateView> {
  return (await (await fetch(`${base}/_emulator/state`)).json()) as StateView;
}

async function eventInState(id: string): Promise<StateEvent> {
  const event = (await state()).events[OWNER]?.find((candidate) => candidate.id === id);
  if (!event) throw new Error(`event ${id} is not in the state`);
  return event;
}

describe('The emulator admin page in Chromium', () => {
  test('When a person creates an account, moves an event, declines as an attendee and cancels an event by clicking, then the page and the state follow each step', async () => {
    const interview = await addEvent('Interview with Pat', 9, [OWNER, ATTENDEE]);
    const standup = await addEvent('Team standup', 11, [OWNER]);
    const { page } = watched;

    await page.goto(`${base}/_emulator/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Google emulator');
    const interviewRow = page.locator(`#event-${interview.id}`);
    expect(await interviewRow.textContent()).toContain('2030-01-10 09:00');
    expect(await interviewRow.textContent()).toContain(`${ATTENDEE}: needsAction`);

    // Create an account through the form.
    await page.getByLabel('Email').fill('fresh@example.com');
    await page.getByLabel('Name', { exact: true }).fill('Fresh Face');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/_emulator/`);
    await page.getByRole('heading', { name: 'Fresh Face <fresh@example.com>' }).waitFor();
    expect((await state()).users).toContainEqual(
      expect.objectContaining({ email: 'fresh@example.com', name: 'Fresh Face' }),
    );

    // Move the interview an hour later, then to a picked time.
    await page.getByRole('button', { name: 'Move “Interview with Pat” one hour later' }).click();
    await page.waitForURL(`${base}/_emulator/`);
    expect(await interviewRow.textContent()).toContain('2030-01-10 10:00');
    expect(await eventInState(interview.id)).toMatchObject({
      start: { dateTime: '2030-01-10T10:00:00Z' },
      end: { dateTime: '2030-01-10T11:00:00Z' },
      sequence: 1,
    });
    await page.getByLabel('New start (UTC) for “Interview with Pat”').fill('2030-01-12T14:30');
    await page.getByRole('button', { name: 'Move “Interview with Pat” to the chosen time' }).click();
    await page.waitForURL(`${base}/_emulator/`);
    expect(await interviewRow.textContent()).toContain('2030-01-12 14:30');
    expect(await eventInState(interview.id)).toMatchObject({
      start: { dateTime: '2030-01-12T14:30:00Z' },
      end: { dateTime: '2030-01-12T15:30:00Z' },
      sequence: 2,
    });

    // Answer as the attendee: decline.
    await page.getByRole('button', { name: `Decline “Interview with Pat” as ${ATTENDEE}` }).click();
    await page.waitForURL(`${base}/_emulator/`);
    expect(await interviewRow.textContent()).toContain(`${ATTENDEE}: declined`);
    const declined = await eventInState(interview.id);
    expect(declined.status).toBe('confirmed');
    expect(declined.attendees).toContainEqual({ email: ATTENDEE, responseStatus: 'declined' });

    // Cancel the standup.
    await page.getByRole('button', { name: 'Cancel “Team standup”' }).click();
    await page.waitForURL(`${base}/_emulator/`);
    const standupRow = page.locator(`#event-${standup.id}`);
    expect(await standupRow.getAttribute('class')).toBe('status-cancelled');
    expect(await page.getByRole('button', { name: 'Cancel “Team standup”' }).count()).toBe(0);
    expect((await eventInState(standup.id)).status).toBe('cancelled');
    // The interview was left alone.
    expect((await eventInState(interview.id)).status).toBe('confirmed');

    expect(watched.problems).toEqual([]);
  });

  test('When a click fails (an event that is gone), then the page shows the error instead of a JSON answer', async () => {
    const event = await addEvent('Vanishing', 9, [OWNER]);
    const { page } = watched;
    await page.goto(`${base}/_emulator/`);
    // Someone else cancels it and the calendar forgets it between page load and the click.
    delete emulator.state.calendars[OWNER]!.events[event.id];
    await page.getByRole('button', { name: 'Cancel “Vanishing”' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Not Found');
    expect(page.url()).toMatch(/\/_emulator\/\?error=/);
  });
});
