import type { Browser, Page } from 'playwright-core';
import { hasHorizontalScroll, openPage, seriousAxeViolations, type WatchedPage } from './browser';
import { SHOTS } from './console';

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
    // A move shows the booking and the picker together: any one of them will do.
    .first()
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

/**
 * Words the layout broke across two lines without a hyphen of their own: each run of
 * letters between spaces and dashes whose text box spans more than one line. A URL (the
 * Meet link) may break anywhere and is left out.
 */
export function midWordBreaks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[hidden], script, .meet a, noscript, datalist')) continue;
      if (parent.getClientRects().length === 0) continue;
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/[^\s\-‐–—/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}

/**
 * The booking page as it stands, at 1280 px and at 360 px: no serious axe-core finding, no
 * sideways scrolling, no word broken in the middle, and a full-page screenshot of each.
 */
export async function checkBookingPage(page: Page, name: string): Promise<void> {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    expect(await midWordBreaks(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}
