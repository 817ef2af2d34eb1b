import http from 'node:http';
import type { Browser } from 'playwright-core';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { researcherCall, studyWithParticipants } from './support/booking-fixtures';
import { openBookingPage, VIEWER } from './support/booking-page';
import {
  hasHorizontalScroll,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';

/**
 * Links that cannot be used get a friendly page (and the right status for machines), and
 * the page's own files are served with the right types and caching.
 */

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  researcher = await signIn(stack, 'rhea@example.com', 'Rhea Search');
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

/** Opens a URL in Chromium; returns the HTTP status and the page's visible text. */
async function visit(url: string): Promise<{ status: number; text: string }> {
  watched = await openPage(browser, VIEWER);
  const response = await watched.page.goto(url);
  expect(await seriousAxeViolations(watched.page)).toEqual([]);
  expect(await hasHorizontalScroll(watched.page)).toBe(false);
  return { status: response?.status() ?? 0, text: await watched.page.locator('body').innerText() };
}

/**
 * A browser's revalidation. Not fetch: with a conditional header, fetch also sends
 * `Cache-Control: no-cache`, which (rightly) makes any server answer in full.
 */
function revalidationStatus(url: string, etag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'if-none-match': etag } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('Booking links that cannot be used', () => {
  test('When a link is unknown, then a friendly 404 page says the link is not valid', async () => {
    const unknown = await visit(`${stack.url}/book/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This booking link is not valid');
    expect(unknown.text).toContain('invitation email');

    const malformed = await visit(`${stack.url}/book/not%20a%20token`);
    expect(malformed.status).toBe(404);
    expect(malformed.text).toContain('This booking link is not valid');
  });

  test('When a link has expired, then a friendly 410 page says so', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Old Link']);
    await stack
      .knex('participants')
      .where({ id: invitees[0]!.id })
      .update({ token_expires_at: new Date(Date.now() - 60_000) });
    const page = await visit(invitees[0]!.bookingUrl);
    expect(page.status).toBe(410);
    expect(page.text).toContain('This booking link has expired');
  });

  test('When the study is closed, then a friendly 410 page says it takes no more bookings', async () => {
    const { studyId, invitees } = await studyWithParticipants(stack, researcher, ['Late Comer']);
    const closed = await researcherCall(stack, researcher, 'PATCH', `/api/studies/${studyId}`, {
      status: 'closed',
    });
    expect(closed.status).toBe(200);
    const page = await visit(invitees[0]!.bookingUrl);
    expect(page.status).toBe(410);
    expect(page.text).toContain('This study is no longer taking bookings');
  });
});

describe('Text that people typed', () => {
  test('When a study title and a participant name carry markup, then the page shows them as text and runs no script of theirs', async () => {
    const title = 'Study <script>alert(1)</script> & "quotes"';
    const name = '</script><img src=x id=injected>';
    const { invitees } = await studyWithParticipants(stack, researcher, [name], { title });
    watched = await openBookingPage(browser, invitees[0]!.bookingUrl);
    const { page } = watched;
    expect(await page.locator('h1').textContent()).toBe(title);
    expect(await page.locator('header').textContent()).toContain(`Hello ${name}.`);
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    // The data block survived: the script found the API and shows times.
    expect(await page.locator('#times input').count()).toBeGreaterThan(0);
  });
});

describe('The booking page as HTTP', () => {
  test('When the page is fetched, then it is personal (no-store), under the CSP, with no inline script and the token only in the API path', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Head Ers']);
    const invitee = invitees[0]!;
    const answer = await fetch(invitee.bookingUrl);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await answer.text();
    // Every script is either external or data (type="application/json" is never run).
    for (const tag of html.match(/<script[^>]*>/g) ?? []) {
      expect(tag).toMatch(/src="\/assets\/booking-page\.js\?v=|type="application\/json"/);
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html.split(invitee.token).length - 1).toBe(1);
    expect(html).toContain(`"api":"/api/booking/${invitee.token}"`);
  });

  test('When the script and stylesheet are fetched, then they have their content types, an ETag, and a year of caching only for the current version', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Cache Less']);
    const html = await (await fetch(invitees[0]!.bookingUrl)).text();
    for (const [pattern, type] of [
      [/src="(\/assets\/booking-page\.js\?v=[^"]+)"/, /^text\/javascript/],
      [/href="(\/assets\/booking-page\.css\?v=[^"]+)"/, /^text\/css/],
    ] as const) {
      const versioned = pattern.exec(html)?.[1];
      expect(versioned).toBeDefined();
      const current = await fetch(`${stack.url}${versioned}`);
      expect(current.status).toBe(200);
      expect(current.headers.get('content-type')).toMatch(type);
      expect(current.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(current.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = current.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]+"$/);

      const bare = await fetch(`${stack.url}${versioned!.split('?')[0]}`);
      expect(bare.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
      expect(await revalidationStatus(`${stack.url}${versioned!.split('?')[0]}`, etag!)).toBe(304);
    }

    // The modules the script imports are preloaded and always revalidated.
    const modules = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((match) => match[1]!);
    expect(modules.length).toBeGreaterThan(0);
    for (const module of modules) {
      const answer = await fetch(`${stack.url}${module}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(answer.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    }
  });
});
