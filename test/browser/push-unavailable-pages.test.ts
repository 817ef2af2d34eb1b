import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * Issue 13: where Google refuses the webhook address (it must be https), the researcher is
 * told on Home and Settings that push is not active, why, and that changes arrive by polling.
 */

let browser: Browser;
let stack: Stack;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([
    launchBrowser(),
    // As strict as Google: the stack's http webhook address is refused.
    startStack({ emulator: { allowHttpPushOnLoopback: false } }),
  ]);
});
afterAll(async () => {
  await watched?.close();
  await browser?.close();
  await stack?.close();
});

test('When Google refuses the push address, then Home and Settings say push is not active, why, and how often the calendar is polled', async () => {
  watched = await openPage(browser, DESKTOP);
  const { page } = watched;
  await signInThroughEmulator(stack, page, 'polled@example.com');

  const onHome = page.locator('[data-push-state="unavailable"]');
  await onHome.waitFor();
  expect(await onHome.textContent()).toMatch(/not active[\s\S]*https[\s\S]*within 5 minutes/i);
  await checkConsolePage(page, 'home-push-unavailable');

  await page.goto(`${stack.url}/settings`);
  expect(await page.locator('[data-push-state="unavailable"]').textContent()).toMatch(/not active/i);
  await checkConsolePage(page, 'settings-push-unavailable');
  expect(watched.problems).toEqual([]);
});
