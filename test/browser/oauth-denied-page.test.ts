import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import {
  hasHorizontalScroll,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';

/**
 * The researcher clicks "Connect with Google", then Deny on the (emulated) consent screen:
 * the page they land on says what happened in their words and offers a way on.
 */

const PHONE = { viewport: { width: 360, height: 740 } };

let browser: Browser;
let stack: Stack;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  // The emulator shows its consent screen instead of approving at once.
  [browser, stack] = await Promise.all([
    launchBrowser(),
    startStack({ workers: false, emulator: { autoApprove: false } }),
  ]);
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

describe('The page after denying Google access', () => {
  test('When the researcher denies access on the consent screen, then a readable 400 page explains it, passes axe at 360 px, and Try again starts over', async () => {
    watched = await openPage(browser, PHONE);
    const { page } = watched;
    await page.goto(`${stack.url}/`);
    await page.getByRole('link', { name: 'Connect with Google' }).click();
    await page.getByRole('heading', { name: 'Choose an account' }).waitFor();

    const [answer] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/auth/google/callback'),
      page.getByRole('button', { name: 'Deny' }).click(),
    ]);

    expect(answer.status()).toBe(400);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You did not give access to your Google Calendar',
    );
    await expect(page.title()).resolves.toBe('You did not give access to your Google Calendar');
    expect(await page.locator('main p').first().textContent()).toMatch(/needs your Google Calendar/);
    expect(await hasHorizontalScroll(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/oauth-denied.png', fullPage: true });

    const home = page.getByRole('link', { name: 'Back to the home page' });
    expect(await home.getAttribute('href')).toBe('/');

    await page.getByRole('link', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Choose an account' }).waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(stack.emulatorUrl).origin);
  });
});
