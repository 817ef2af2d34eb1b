import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH points elsewhere on other machines. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Real headless Chromium. The flags keep it from calling home (updates, sync, safe browsing
 * lists): the tests talk to 127.0.0.1 only, and the browser should too.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  /**
   * Requests that failed, as Chromium reports them on the console ("Failed to load
   * resource: … status of 409", "… net::ERR_FAILED"), as `409 /path` or `ERR_FAILED /path`:
   * expected when a test provokes them, so kept apart from `problems`.
   */
  failedRequests: string[];
  close(): Promise<void>;
}

/**
 * A page in a fresh context (own cookies, viewport, time zone) that records everything the
 * browser complains about; a test ends with `expect(watched.problems).toEqual([])`.
 * Chromium reports a blocked inline script or style as a console error, so a Content
 * Security Policy violation fails the test too.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    // Chromium asks every origin for a favicon on its own; a 404 there is no page problem.
    if (url.endsWith('/favicon.ico')) return;
    const failed =
      /^Failed to load resource: (?:the server responded with a status of (\d+)|net::(\w+))/.exec(
        message.text(),
      );
    if (failed) failedRequests.push(`${failed[1] ?? failed[2]} ${new URL(url).pathname}`);
    else problems.push(`console: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems, failedRequests, close: () => context.close() };
}

/** Whether the content is wider than the window (a horizontal scroll bar). */
export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

const AXE_SCRIPT = path.join(__dirname, '../../../node_modules/axe-core/axe.min.js');
let axeSource: string | undefined;

/**
 * axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA).
 * axe is evaluated through the DevTools protocol rather than `page.addScriptTag`: the tag
 * is an inline script, which the pages' Content Security Policy rightly blocks.
 */
export async function seriousAxeViolations(
  page: Page,
): Promise<{ id: string; help: string; targets: string[] }[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate((axeSource ??= fs.readFileSync(AXE_SCRIPT, 'utf8')));
  const violations = await page.evaluate(async () => {
    // axe-core is a global added by the script tag above; its types are not on `window`.
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
}
