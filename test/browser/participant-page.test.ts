import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { participantEmailsSent, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookThroughApi, freeSlots, studyWithParticipants, type Invitee } from './support/booking-fixtures';
import {
  hasHorizontalScroll,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';
import { pushesAndSyncsSettled } from '../sync/calendar-support';

/**
 * The researcher console's participant page in real Chromium against the whole service:
 * signing in through the (emulated) Google consent screen, the Actions menu by mouse and by
 * keyboard, the dialogs, axe-core at every step, and a 360 px wide window.
 */

const SCREENSHOTS = 'test-results/screenshots';
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 360, height: 740 } };

let browser: Browser;
let stack: Stack;
let rita: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  rita = await signIn(stack, 'rita.researcher@example.com', 'Rita Researcher');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
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

// Interviews that have started are moved into the past, each at its own time (one calendar).
let pastSlots = 0;
async function participant(name: string, interview: 'none' | 'upcoming' | 'started'): Promise<Invitee> {
  const invitee = (await studyWithParticipants(stack, rita, [name])).invitees[0]!;
  if (interview === 'none') return invitee;
  const slots = await freeSlots(stack, invitee);
  const answer = await bookThroughApi(stack, invitee, slots[2 + pastSlots]!.start);
  expect(answer.status).toBe(201);
  // The confirmation email takes its place in the timeline when sent: out before the page is read.
  await participantEmailsSent(stack, invitee.id);
  if (interview === 'started') {
    // The sync of the booking's own event first: one after this edit would undo it as a move.
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

/** Opens a console page signed out: the sign-in page, Google's consent screen, and back. */
async function openSignedIn(
  path: string,
  options: { viewport: { width: number; height: number }; javaScriptEnabled?: boolean } = DESKTOP,
): Promise<Page> {
  watched = await openPage(browser, { ...options, permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = watched;
  await page.goto(`${stack.url}${path}`);
  expect(new URL(page.url()).pathname).toBe('/');
  await page.getByRole('link', { name: 'Connect with Google' }).click();
  await page.getByRole('button', { name: /Continue as Rita Researcher/ }).click();
  await page.waitForURL(`${stack.url}${path}`);
  if (options.javaScriptEnabled !== false) await page.locator('#actions-button:not([hidden])').waitFor();
  return page;
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
/** A dialog gives focus back in its `close` event, a moment after it is hidden. */
const focusReturnsTo = (page: Page, id: string) =>
  page.waitForFunction((expected) => document.activeElement?.id === expected, id, { timeout: 2000 });
const menu = (page: Page) => page.getByRole('menu');

describe('The participant page', () => {
  test('When the researcher records a No Show with a reason through Actions, then the status and the history show it', async () => {
    const pat = await participant('Pat Started', 'started');
    const page = await openSignedIn(`/participants/${pat.id}`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pat Started');
    expect(await page.locator('.status-label').textContent()).toBe('Interview Scheduled');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-1280.png`, fullPage: true });

    await page.getByRole('button', { name: 'Actions' }).click();
    await menu(page).waitFor();
    expect(await page.getByRole('button', { name: 'Actions' }).getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-menu-1280.png` });

    await page.getByRole('menuitem', { name: 'Update Participant Status' }).click();
    const dialog = page.getByRole('dialog', { name: 'Update Participant Status' });
    await dialog.waitFor();
    expect(await focusedId(page)).toBe('status');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-dialog-1280.png` });

    await dialog.getByLabel('Status').selectOption({ label: 'No Show' });
    await dialog.getByLabel('Reason').fill('Did not join the call');
    await dialog.getByRole('button', { name: 'Update status' }).click();

    await page.getByRole('status').getByText('Status updated to No Show').waitFor();
    expect(await page.locator('.status-label').textContent()).toBe('No Show');
    const newest = page.locator('.timeline li').first();
    expect(await newest.textContent()).toMatch(
      /Interview Scheduled → No Show[\s\S]*Rita Researcher[\s\S]*Reason: Did not join the call/,
    );
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-after-1280.png`, fullPage: true });
  });

  test('When the Actions menu is used by keyboard only, then arrows move, Escape closes and focus returns to the button', async () => {
    const pat = await participant('Kim Keyboard', 'upcoming');
    const page = await openSignedIn(`/participants/${pat.id}`);

    for (let presses = 0; presses < 30 && (await focusedId(page)) !== 'actions-button'; presses += 1) {
      await page.keyboard.press('Tab');
    }
    expect(await focusedId(page)).toBe('actions-button');

    await page.keyboard.press('Enter');
    expect(await menu(page).isVisible()).toBe(true);
    expect(await focusedId(page)).toBe('menu-status');
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).toBe('menu-cancel');
    await page.keyboard.press('End');
    expect(await focusedId(page)).toBe('menu-copy');
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).toBe('menu-status');
    await page.keyboard.press('ArrowUp');
    expect(await focusedId(page)).toBe('menu-copy');
    await page.keyboard.press('Home');
    expect(await focusedId(page)).toBe('menu-status');

    await page.keyboard.press('Escape');
    expect(await menu(page).isVisible()).toBe(false);
    expect(await focusedId(page)).toBe('actions-button');
    expect(await page.locator('#actions-button').getAttribute('aria-expanded')).toBe('false');

    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).toBe('menu-status');
    await page.keyboard.press('Tab');
    expect(await menu(page).isVisible()).toBe(false);

    await page.locator('#actions-button').focus();
    await page.keyboard.press(' ');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Update Participant Status' });
    await dialog.waitFor();
    expect(await focusedId(page)).toBe('status');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(page, 'actions-button');

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.mouse.click(5, 400);
    expect(await menu(page).isVisible()).toBe(false);
  });

  test('When the researcher cancels an interview, then a confirmation names it, "Keep the interview" changes nothing, and confirming cancels it', async () => {
    const pat = await participant('Chris Cancel', 'upcoming');
    const page = await openSignedIn(`/participants/${pat.id}`);

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Cancel interview' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel interview' });
    await dialog.waitFor();
    expect((await dialog.textContent())?.replace(/\s+/g, ' ')).toMatch(
      /Cancel the interview with Chris Cancel on \w{3} \d+ \w{3} \d{4}, \d\d:\d\d–\d\d:\d\d \(Europe\/Berlin\)\? The participant and guests are told by Google\./,
    );
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-cancel-1280.png` });

    await dialog.getByRole('button', { name: 'Keep the interview' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(page, 'actions-button');
    expect(await page.locator('.status-label').textContent()).toBe('Interview Scheduled');

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Cancel interview' }).click();
    await dialog.getByRole('button', { name: 'Cancel interview' }).click();

    await page
      .getByRole('status')
      .getByText(/Interview canceled/)
      .waitFor();
    expect(await page.locator('.status-label').textContent()).toBe('Canceled Interview');
    await page.getByRole('button', { name: 'Actions' }).click();
    const item = page.getByRole('menuitem', { name: 'Cancel interview', exact: true });
    expect(await item.getAttribute('aria-disabled')).toBe('true');
    expect(await item.evaluate((element) => element.getAttribute('aria-describedby'))).toBe(
      'menu-cancel-note',
    );
    expect(await page.locator('#menu-cancel-note').textContent()).toBe('No interview booked');
    await expectAccessible(page);
  });

  test('When the researcher copies the booking link, then the clipboard holds the working link and the page says so', async () => {
    const pat = await participant('Cory Copy', 'none');
    const page = await openSignedIn(`/participants/${pat.id}`);

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Copy booking link' }).click();

    await page.getByRole('status').getByText('Booking link copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pat.bookingUrl);
    expect(await focusedId(page)).toBe('actions-button');
  });

  test('When the page is 360 px wide, then nothing scrolls sideways and it stays accessible, menu and dialog included', async () => {
    const pat = await participant('Maximiliane Wolkenstein-Übermuth von Langenamen', 'started');
    const page = await openSignedIn(`/participants/${pat.id}`, PHONE);

    expect(await hasHorizontalScroll(page)).toBe(false);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-360.png`, fullPage: true });

    await page.getByRole('button', { name: 'Actions' }).click();
    expect(await hasHorizontalScroll(page)).toBe(false);
    const box = (await menu(page).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-menu-360.png` });
    await page.getByRole('menuitem', { name: 'Update Participant Status' }).click();
    await page.getByRole('dialog').waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-dialog-360.png` });
  });

  test('When the status is refused (the interview has not started), then the page says why at the top and beside Status, with focus on the summary', async () => {
    const pat = await participant('Erin Early', 'upcoming');
    const page = await openSignedIn(`/participants/${pat.id}`);

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Update Participant Status' }).click();
    const dialog = page.getByRole('dialog', { name: 'Update Participant Status' });
    await dialog.getByLabel('Status').selectOption({ label: 'Completed' });
    await dialog.getByRole('button', { name: 'Update status' }).click();

    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/the interview has not started/);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    expect(await page.locator('#status-error').textContent()).toMatch(/the interview has not started/);
    expect(await page.locator('.status-label').textContent()).toBe('Interview Scheduled');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-refused-1280.png`, fullPage: true });
    await summary.getByRole('link').click();
    expect(await focusedId(page)).toBe('status');
  });

  test('When the status changes elsewhere while the page is open, then the page shows it without a reload', async () => {
    const pat = await participant('Lou Live', 'started');
    const page = await openSignedIn(`/participants/${pat.id}`);
    const loaded = await page.evaluate(() => performance.timeOrigin);

    const answer = await fetch(`${stack.url}/api/participants/${pat.id}/status`, {
      method: 'POST',
      headers: { ...rita.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'completed', reason: 'Went well' }),
    });
    expect(answer.status).toBe(200);

    await page.locator('.status-label', { hasText: 'Completed' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.timeline li').first().textContent()).toMatch(
      /Interview Scheduled → Completed/,
    );
    expect(await page.getByRole('status').textContent()).toMatch(/Lou Live is Completed/);
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
  });

  test('When the participant books while the page is open, then Cancel interview becomes available in the Actions menu without a reload', async () => {
    const pat = await participant('Mo Menu', 'none');
    const page = await openSignedIn(`/participants/${pat.id}`);
    expect(await page.locator('#menu-cancel').getAttribute('aria-disabled')).toBe('true');

    const slots = await freeSlots(stack, pat);
    expect((await bookThroughApi(stack, pat, slots[0]!.start)).status).toBe(201);

    await page.locator('#menu-cancel:not([aria-disabled])').waitFor({ state: 'attached', timeout: 15_000 });
    await page.getByRole('button', { name: 'Actions' }).click();
    await menu(page).getByRole('menuitem', { name: 'Cancel interview' }).click();
    expect(await page.getByRole('dialog').getByRole('heading', { level: 2 }).first().textContent()).toMatch(
      /Cancel/,
    );
  });

  test('When the browser runs no script, then the actions are plain forms on the page and still work', async () => {
    const pat = await participant('Nora Noscript', 'started');
    const page = await openSignedIn(`/participants/${pat.id}`, { ...DESKTOP, javaScriptEnabled: false });

    expect(await page.getByRole('button', { name: 'Actions' }).isVisible()).toBe(false);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'No Show' });
    await page.getByLabel('Reason', { exact: true }).fill('No answer');
    await page.getByRole('button', { name: 'Update status' }).click();

    await page.getByRole('status').getByText('Status updated to No Show').waitFor();
    expect(await page.locator('.status-label').textContent()).toBe('No Show');
    // (axe-core needs script in the page, so this page is checked with script in the other tests.)
  });
});
