import fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookThroughApi, freeSlots, studyWithParticipants, type Invitee } from './support/booking-fixtures';
import {
  hasHorizontalScroll,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';
import { DESKTOP, PHONE, SHOTS, checkConsolePage, signInThroughEmulator } from './support/console';
import { pushesAndSyncsSettled } from '../sync/calendar-support';

/**
 * Upcoming and Past interviews in real Chromium: reached from the console navigation, the
 * rows in order, Copy link with its confirmation, Cancel interview behind its confirmation
 * dialog, Update Participant Status from the past list; axe-core and 360 px at each step,
 * and the same page without script.
 */

let browser: Browser;
let stack: Stack;
let rita: SignedIn;
let watched: WatchedPage | undefined;
let una: Invitee;
let ulla: Invitee;
let pam: Invitee;

const EMAIL = 'rita.interviews@example.com';

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  rita = await signIn(stack, EMAIL, 'Rita Researcher');
  fs.mkdirSync(SHOTS, { recursive: true });
  const { invitees } = await studyWithParticipants(stack, rita, [
    'Una Upcoming',
    'Ulla Upcoming',
    'Pam Past',
  ]);
  [una, ulla, pam] = invitees as [Invitee, Invitee, Invitee];
  const slots = await freeSlots(stack, una);
  for (const [invitee, slot] of [
    [una, 2],
    [ulla, 4],
    [pam, 6],
  ] as const) {
    expect((await bookThroughApi(stack, invitee, slots[slot]!.start)).status).toBe(201);
  }
  // Pam's interview took place yesterday. The syncs of the bookings' own events first: one
  // after this edit would undo it as a move.
  await pushesAndSyncsSettled(stack);
  const start = new Date(Date.now() - 86_400_000);
  await stack
    .knex('bookings')
    .where({ participant_id: pam.id })
    .update({
      during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, new Date(start.getTime() + 30 * 60_000)]),
    });
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

async function signedInPage(options: {
  viewport: { width: number; height: number };
  javaScriptEnabled?: boolean;
}) {
  watched = await openPage(browser, { ...options, permissions: ['clipboard-read', 'clipboard-write'] });
  await signInThroughEmulator(stack, watched.page, EMAIL);
  return watched.page;
}

const card = (page: Page, name: string): Locator => page.locator('li.interview-card', { hasText: name });
const rowNames = (page: Page) =>
  page
    .locator('.interview-who')
    .allTextContents()
    .then((all) => all.map((n) => n.trim()));
const flash = (page: Page) => page.locator('[data-flash]');

describe('The interviews pages in a browser', () => {
  test('When the researcher copies a link, cancels an upcoming interview and records a verdict on a past one, then each list shows it', async () => {
    const page = await signedInPage(DESKTOP);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Interviews' }).click();
    await page.waitForURL(`${stack.url}/interviews/upcoming`);
    await page.locator('[data-copy-link]:not([hidden])').first().waitFor();

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Upcoming interviews');
    expect(await rowNames(page)).toEqual(['Una Upcoming', 'Ulla Upcoming']);
    expect(await card(page, 'Una Upcoming').textContent()).toMatch(
      /\w{3} \d+ \w{3} \d{4}, \d\d:\d\d–\d\d:\d\d \(Europe\/Berlin\)[\s\S]*Checkout usability study[\s\S]*Interview Scheduled/,
    );
    await checkConsolePage(page, 'interviews-upcoming');

    // Copy link: on the clipboard, and said beside the button.
    const unaCard = card(page, 'Una Upcoming');
    await unaCard.getByRole('button', { name: 'Copy link' }).click();
    await unaCard.getByRole('status').getByText('Booking link copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(una.bookingUrl);

    // Cancel: the menu, a confirmation naming the interview, then back to this list.
    await card(page, 'Ulla Upcoming').getByRole('button', { name: 'Actions' }).click();
    expect(await page.getByRole('menu').count()).toBe(1);
    await page.getByRole('menuitem', { name: 'Cancel interview' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel interview' });
    await dialog.waitFor();
    expect((await dialog.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Cancel the interview with Ulla Upcoming on',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/interviews-cancel-dialog-1280.png` });
    await dialog.getByRole('button', { name: 'Cancel interview' }).click();
    await page.waitForURL(`${stack.url}/interviews/upcoming`);
    await flash(page).getByText('Interview canceled').waitFor();
    expect(await rowNames(page)).toEqual(['Una Upcoming']);

    // Past: newest first; Update Participant Status as on the participant page.
    await page.getByRole('navigation', { name: 'Interviews' }).getByRole('link', { name: 'Past' }).click();
    await page.waitForURL(`${stack.url}/interviews/past`);
    expect(await rowNames(page)).toEqual(['Pam Past']);
    expect(await card(page, 'Pam Past').getByRole('link', { name: 'Join Meet' }).count()).toBe(0);
    await card(page, 'Pam Past').getByRole('button', { name: 'Actions' }).click();
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Update Participant Status']);
    await page.getByRole('menuitem', { name: 'Update Participant Status' }).click();
    const status = page.getByRole('dialog', { name: 'Update Participant Status' });
    await status.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/interviews-status-dialog-1280.png` });
    await status.getByLabel('Status').selectOption({ label: 'Completed' });
    await status.getByLabel('Reason').fill('Went well');
    await status.getByRole('button', { name: 'Update status' }).click();
    await page.waitForURL(`${stack.url}/interviews/past`);
    await flash(page).getByText('Status updated to Completed').waitFor();
    expect(await card(page, 'Pam Past').locator('.status-label').textContent()).toBe('Completed');
    await checkConsolePage(page, 'interviews-past');
  });

  test('When a researcher on a phone opens the list without script, then the actions are plain forms and the link is shown on its own page', async () => {
    const page = await signedInPage({ ...PHONE, javaScriptEnabled: false });
    await page.goto(`${stack.url}/interviews/upcoming`);

    const unaCard = card(page, 'Una Upcoming');
    expect(await unaCard.getByRole('button', { name: 'Copy link' }).count()).toBe(0);
    await unaCard.locator('summary', { hasText: 'Actions' }).click();
    const form = unaCard.locator('form[action$="/status"]');
    expect(await form.getByLabel('Status').isVisible()).toBe(true);
    expect(await unaCard.getByRole('button', { name: 'Cancel interview' }).isVisible()).toBe(true);
    // (axe-core needs script in the page: the same markup is checked with script above.)
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/interviews-noscript-360.png`, fullPage: true });

    await unaCard.getByRole('link', { name: /Show booking link/ }).click();
    await page.waitForURL(`${stack.url}/participants/${una.id}/booking-link`);
    expect(await page.locator('.link-box code').textContent()).toBe(una.bookingUrl);
  });
});
