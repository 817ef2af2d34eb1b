import type { Browser, Page } from 'playwright-core';
import { openPage, type WatchedPage } from './browser';

/** A phone-sized window in New York: the study is in Berlin, so zones really differ. */
export const VIEWER = { viewport: { width: 360, height: 740 }, timezoneId: 'America/New_York' };

/** Opens a booking link and waits until the script shows the loaded times or the booking. */
export async function openBookingPage(
  browser: Browser,
  url: string,
  options: Parameters<typeof openPage>[1] = VIEWER,
): Promise<WatchedPage> {
  const watched = await openPage(browser, options);
  await watched.page.goto(url);
  await watched.page
    .locator('#picker:not([hidden]):not([aria-busy]), #booking:not([hidden]), #fatal:not([hidden])')
    .waitFor();
  return watched;
}

export const focusedId = (page: Page): Promise<string> =>
  page.evaluate(() => document.activeElement?.id ?? '');

/** The slots on offer right now: the values (ISO starts) of the time radios. */
export const offeredTimes = (page: Page): Promise<string[]> =>
  page
    .locator('#times input[name="time"]')
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));

export const offeredDays = (page: Page): Promise<string[]> =>
  page
    .locator('#days input[name="day"]')
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));

/** Waits for the live region to say something and returns it. */
export async function messageIn(page: Page, id: 'alert' | 'status'): Promise<string> {
  const region = page.locator(`#${id}`);
  await page.waitForFunction((regionId) => (document.getElementById(regionId)?.textContent ?? '') !== '', id);
  return (await region.textContent()) ?? '';
}

/** The date of an instant in a zone, YYYY-MM-DD: how the page groups slots into days. */
export function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}
