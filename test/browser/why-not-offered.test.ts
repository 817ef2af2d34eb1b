import type { Browser, Page } from 'playwright-core';
import { resolveWallTime } from '../../src/availability/local-time';
import { startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * A researcher asks, on the study page, why a time is not on the booking page: the answer
 * names the calendar event by its title, says when a time is offered, and a date left out
 * is reported at the field. Each state passes axe-core at 1280 and 360 px and is photographed.
 */

const RESEARCHER = 'why@example.com';
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

/** A date three days ahead, and an instant on it at a Berlin wall-clock time. */
const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const berlin = (hour: number) =>
  new Date(resolveWallTime(ZONE, Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`)).instant);

async function studyWithBusyMorning(page: Page): Promise<string> {
  const everyDay = [{ start: '09:00', end: '17:00' }];
  const answer = await page.request.post(`${stack.url}/api/studies`, {
    data: {
      title: 'Checkout redesign',
      durationMinutes: 30,
      timeZone: ZONE,
      minNoticeMinutes: 0,
      availability: {
        weekly: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, everyDay]),
        ),
      },
    },
  });
  await fetch(`${stack.emulatorUrl}/_emulator/calendars/${RESEARCHER}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      summary: 'Dentist appointment',
      start: { dateTime: berlin(10).toISOString() },
      end: { dateTime: berlin(11).toISOString() },
    }),
  });
  return ((await answer.json()) as { id: string }).id;
}

async function ask(page: Page, date: string, time: string): Promise<void> {
  await page.getByLabel('Date', { exact: true }).fill(date);
  await page.getByLabel(`Time (${ZONE})`).fill(time);
  await page.getByRole('button', { name: 'Explain' }).click();
  await page.waitForLoadState('load');
}

describe('"Why is this time not offered?" on the study page', () => {
  test('When the researcher asks about a time in a calendar event, then the page names the event; a free time is offered', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, RESEARCHER);
    const id = await studyWithBusyMorning(page);
    await page.goto(`${stack.url}/studies/${id}`);
    await page.getByRole('heading', { name: 'Why is this time not offered?' }).waitFor();
    expect(await page.getByText(`Pick a date and time in the study's time zone, ${ZONE}`).count()).toBe(1);

    await ask(page, day, '10:30');

    const answer = page.getByRole('status').filter({ hasText: 'Not offered' });
    await answer.waitFor();
    expect(await answer.textContent()).toContain('The calendar is busy: “Dentist appointment”');
    expect(await page.getByLabel('Date', { exact: true }).inputValue()).toBe(day);
    await checkConsolePage(page, 'why-not-offered');

    await ask(page, day, '10:10');
    expect(await page.getByRole('status').filter({ hasText: 'Not offered' }).textContent()).toMatch(
      /Not a start time: interviews start every 30 minutes/,
    );

    await ask(page, day, '14:00');
    expect(await page.getByRole('status').filter({ hasText: 'Offered.' }).textContent()).toContain(
      'Participants can book',
    );
    await checkConsolePage(page, 'why-offered');
  });

  test('When the date is left out, then the page says so at the field and in the summary', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'why-empty@example.com');
    const answer = await page.request.post(`${stack.url}/api/studies`, {
      data: { title: 'Onboarding', durationMinutes: 30, timeZone: ZONE, availability: { weekly: {} } },
    });
    const { id } = (await answer.json()) as { id: string };
    await page.goto(`${stack.url}/studies/${id}`);

    await page.getByLabel(`Time (${ZONE})`).fill('10:00');
    const response = page.waitForResponse((candidate) => candidate.url().includes('whyDate='));
    await page.getByRole('button', { name: 'Explain' }).click();

    expect((await response).status()).toBe(400);
    await page.getByRole('heading', { name: 'There is a problem with the time to explain' }).waitFor();
    expect(await page.getByRole('link', { name: 'Enter a date, for example 2026-12-08' }).count()).toBe(1);
    expect(await page.getByLabel('Date', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await checkConsolePage(page, 'why-error');
  });
});
