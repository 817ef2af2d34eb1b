import type { Browser, Page } from 'playwright-core';
import { resolveWallTime } from '../../src/availability/local-time';
import { startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, seriousAxeViolations, type WatchedPage } from './support/browser';
import { DESKTOP, SHOTS, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * Issue 15 in the console: from the participant page's Actions menu a researcher books an
 * interview at a time the study does not offer (with a reason, and despite a calendar
 * event once they tick the box), and logs an interview held elsewhere as a No Show. Each
 * state passes axe-core at 1280 and 360 px and is photographed.
 */

const ZONE = 'Europe/Berlin';
let browser: Browser;
let stack: Stack;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});
afterEach(async () => {
  const seen = watched;
  watched = undefined;
  if (!seen) return;
  await seen.close();
  expect(seen.problems).toEqual([]);
});

const dateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const berlin = (date: string, hour: number) =>
  new Date(resolveWallTime(ZONE, Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`)).instant);

/** A study open 09:00–17:00 in Berlin with one participant, made through the API with the page's session. */
async function participantOfNewStudy(page: Page, name: string): Promise<string> {
  const hours = [{ start: '09:00', end: '17:00' }];
  const study = await page.request.post(`${stack.url}/api/studies`, {
    data: {
      title: 'Checkout redesign',
      durationMinutes: 30,
      timeZone: ZONE,
      minNoticeMinutes: 0,
      availability: {
        weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, hours])),
      },
    },
  });
  const { id } = (await study.json()) as { id: string };
  const added = await page.request.post(`${stack.url}/api/studies/${id}/participants`, {
    data: { participants: [{ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }] },
  });
  return ((await added.json()) as { participants: { id: string }[] }).participants[0]!.id;
}

async function openFromActions(page: Page, participantId: string, item: string): Promise<void> {
  await page.goto(`${stack.url}/participants/${participantId}`);
  await page.locator('#actions-button:not([hidden])').waitFor();
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menu').waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/manual-menu-1280.png` });
  await page.getByRole('menuitem', { name: item }).click();
  await page.getByRole('heading', { level: 1, name: item }).waitFor();
}

async function submit(page: Page, button: string): Promise<number> {
  const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
  await page.getByRole('button', { name: button, exact: true }).click();
  const status = (await response).status();
  await page.waitForLoadState('load');
  return status;
}

describe('Book interview and Log past interview on the participant page', () => {
  test('When the researcher books an evening time over a calendar event, then the page says why it is not offered, asks for a reason and the overlap, and books it', async () => {
    const email = 'book-by-hand@example.com';
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, email);
    const participantId = await participantOfNewStudy(page, 'Nora Evening');
    const day = dateIn(3);
    await fetch(`${stack.emulatorUrl}/_emulator/calendars/${email}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summary: 'Choir rehearsal',
        start: { dateTime: berlin(day, 18).toISOString() },
        end: { dateTime: berlin(day, 19).toISOString() },
      }),
    });

    await openFromActions(page, participantId, 'Book interview');
    await checkConsolePage(page, 'manual-book');

    await page.getByLabel('Date', { exact: true }).fill(day);
    await page.getByLabel(`Time (${ZONE})`).fill('18:00');
    expect(await submit(page, 'Check time')).toBe(200);
    const answer = page.getByRole('status').filter({ hasText: 'Not offered' });
    expect(await answer.textContent()).toContain('outside');
    expect(await answer.textContent()).toContain('Choir rehearsal');
    await checkConsolePage(page, 'manual-book-checked');

    expect(await submit(page, 'Book interview')).toBe(409);
    expect(
      await page
        .getByRole('link', { name: 'This time is not offered: give a reason to book it anyway' })
        .count(),
    ).toBe(1);
    expect(await page.getByLabel('Override reason').getAttribute('aria-invalid')).toBe('true');
    await checkConsolePage(page, 'manual-book-needs-reason');

    await page.getByLabel('Override reason').fill('Works night shifts');
    expect(await submit(page, 'Book interview')).toBe(409);
    expect(await page.getByText('“Choir rehearsal”').count()).toBeGreaterThan(0);
    await checkConsolePage(page, 'manual-book-overlap');

    await page.getByLabel('Book anyway despite the calendar overlap').check();
    expect(await submit(page, 'Book interview')).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/participants/${participantId}`);
    await page
      .getByRole('status')
      .getByText(/Interview booked for/)
      .waitFor();
    expect(await page.locator('.status-label').first().textContent()).toBe('Interview Scheduled');
    expect(await page.locator('.timeline').textContent()).toContain('Reason: Works night shifts');
    const state = (await (await fetch(`${stack.emulatorUrl}/_emulator/state`)).json()) as {
      events: Record<string, { start: { dateTime: string }; hangoutLink?: string; status: string }[]>;
    };
    const booked = (state.events[email] ?? []).filter(
      (event) => event.hangoutLink && event.status !== 'cancelled',
    );
    expect(booked.map((event) => Date.parse(event.start.dateTime))).toEqual([berlin(day, 18).getTime()]);
    await checkConsolePage(page, 'manual-book-done');
  });

  test('When the researcher logs a past interview as a No Show, then the status and the timeline show it; a future time is refused at the field', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'log-by-hand@example.com');
    const participantId = await participantOfNewStudy(page, 'Omar Phone');

    // By keyboard this time: the menu opens on Enter, arrows move, Enter follows the link.
    await page.goto(`${stack.url}/participants/${participantId}`);
    await page.locator('#actions-button:not([hidden])').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    while (
      (await page.evaluate(() => document.activeElement?.textContent?.trim())) !== 'Log past interview'
    ) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Log past interview' }).waitFor();
    expect(await page.getByLabel('Duration in minutes').inputValue()).toBe('30');
    await checkConsolePage(page, 'manual-log');

    await page.getByLabel('Date', { exact: true }).fill(dateIn(2));
    await page.getByLabel(`Start time (${ZONE})`).fill('10:00');
    expect(await submit(page, 'Log interview')).toBe(400);
    expect(
      await page.getByRole('link', { name: 'The interview must have started in the past' }).count(),
    ).toBe(1);
    await checkConsolePage(page, 'manual-log-error');

    await page.getByLabel('Date', { exact: true }).fill(dateIn(-1));
    await page.getByLabel('No Show').check();
    await page.getByLabel('Note').fill('Phone call, did not pick up');
    expect(await submit(page, 'Log interview')).toBe(303);
    await page.getByRole('status').getByText('Interview logged: No Show.').waitFor();
    expect(await page.locator('.status-label').first().textContent()).toBe('No Show');
    expect(await page.getByRole('heading', { name: 'Interviews held elsewhere (logged)' }).count()).toBe(1);
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Interview held elsewhere logged by');
    expect(timeline).toContain('Reason: Phone call, did not pick up');
    await checkConsolePage(page, 'manual-log-done');

    await page.goto(`${stack.url}/interviews/past`);
    expect(await page.getByText('(held elsewhere, logged)').count()).toBe(1);
  });
});
