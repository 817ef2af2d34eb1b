import type { Page } from 'playwright-core';
import type { Stack } from '../../support/stack';
import { hasHorizontalScroll, seriousAxeViolations } from './browser';

/** Where the browser run leaves its screenshots (gitignored; a few are copied to docs/). */
export const SHOTS = 'test-results/screenshots';
export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = { viewport: { width: 360, height: 740 } };

/** Signs a researcher in as a person would: the emulator's consent approves the login hint. */
export async function signInThroughEmulator(stack: Stack, page: Page, email: string): Promise<void> {
  await fetch(`${stack.emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Ada Researcher' }),
  });
  await page.goto(`${stack.url}/auth/google?login_hint=${encodeURIComponent(email)}`);
  await page.waitForURL(`${stack.url}/`);
}

/**
 * Every console page, as it stands: no serious axe-core finding at 1280 px and at 360 px,
 * no sideways scrolling on the phone, and a full-page screenshot of each width.
 */
export async function checkConsolePage(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize(PHONE.viewport);
  expect(await hasHorizontalScroll(page)).toBe(false);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/${name}-360.png`, fullPage: true });
  await page.setViewportSize(DESKTOP.viewport);
}
