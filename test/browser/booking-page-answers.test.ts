import type { Browser, Page, Route } from 'playwright-core';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookThroughApi, freeSlots, studyWithParticipants, type Invitee } from './support/booking-fixtures';
import { focusedId, messageIn, offeredTimes, openBookingPage, VIEWER } from './support/booking-page';
import { launchBrowser, openPage, seriousAxeViolations, type WatchedPage } from './support/browser';

/**
 * What the page does with each answer of the booking API. The page and the first requests
 * are real; the answers that are hard to bring about on purpose (Google slow, rate limits,
 * a calendar not connected, a lost connection) are put in the browser's way with
 * `page.route`, so the page's own handling is what is tested.
 */

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  researcher = await signIn(stack, 'ruth@example.com', 'Ruth Research');
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

const problem = (status: number, type: string, detail: string) => ({
  status,
  contentType: 'application/problem+json',
  body: JSON.stringify({ type: `urn:interview-scheduler:problem:${type}`, title: 'x', status, detail }),
});

/** Opens the page of a fresh participant and goes as far as the confirm step. */
async function atConfirmStep(): Promise<{ page: Page; invitee: Invitee; apiPath: string; start: string }> {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Ann Swer']);
  const invitee = invitees[0]!;
  watched = await openBookingPage(browser, invitee.bookingUrl);
  const { page } = watched;
  await page.locator('#times label').first().click();
  const start = (await offeredTimes(page))[0]!;
  await page.getByRole('button', { name: 'Continue' }).click();
  return { page, invitee, apiPath: `/api/booking/${invitee.token}`, start };
}

/** Intercepts the booking POST (not the slots, not the cancel). */
async function onBookingPost(
  page: Page,
  apiPath: string,
  handle: (route: Route) => Promise<void>,
): Promise<void> {
  await page.route(
    (url) => url.pathname === apiPath,
    async (route) => {
      if (route.request().method() === 'POST') await handle(route);
      else await route.fallback();
    },
  );
}

describe('The booking page’s answers', () => {
  test('When Google is slow (202 pending), then the page says it is finishing, polls every 2 s and shows the Meet link once confirmed', async () => {
    const { page, apiPath, start } = await atConfirmStep();
    const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
    const booking = {
      id: '6f1c2f8e-0a7b-4c47-9a55-3b1d8c2e9f10',
      start,
      end,
      meetUrl: null,
      status: 'pending',
    };
    await onBookingPost(page, apiPath, (route) =>
      route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify({ booking }) }),
    );
    const polls: number[] = [];
    await page.route(
      (url) => url.pathname === apiPath,
      async (route) => {
        if (route.request().method() !== 'GET') return route.fallback();
        polls.push(Date.now());
        const real = (await (await route.fetch()).json()) as Record<string, unknown>;
        const confirmed = {
          ...booking,
          status: 'confirmed',
          meetUrl: 'https://meet.google.com/abc-defg-hij',
        };
        const now = polls.length >= 2 ? confirmed : booking;
        await route.fulfill({ json: { ...real, booking: now } });
      },
    );

    await page.getByRole('button', { name: 'Confirm booking' }).click();
    expect(await messageIn(page, 'status')).toContain('We are finishing your booking');
    expect(await page.locator('#booking-heading').textContent()).toBe('Finishing your booking');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#booking-meet a').getAttribute('href')).toBe(
      'https://meet.google.com/abc-defg-hij',
    );
    expect(polls).toHaveLength(2);
    expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(1900);
  });

  test.each([
    [429, 'about:blank', 'Too many attempts — please wait a moment and try again.'],
    [
      503,
      'google-not-connected',
      'The researcher’s calendar is not available right now. Please try again later.',
    ],
    [502, 'calendar-refused', 'detail'],
  ])(
    'When booking answers %d, then the page explains it and stays at the confirm step',
    async (status, type, message) => {
      const { page, apiPath } = await atConfirmStep();
      await onBookingPost(page, apiPath, (route) => route.fulfill(problem(status, type, 'detail')));
      await page.getByRole('button', { name: 'Confirm booking' }).click();
      expect(await messageIn(page, 'alert')).toBe(message);
      expect(await page.locator('#confirm').isVisible()).toBe(true);
      expect(
        await page.getByRole('button', { name: 'Confirm booking' }).getAttribute('aria-disabled'),
      ).toBeNull();
      expect(await seriousAxeViolations(page)).toEqual([]);
    },
  );

  test('When the last booking was refused by the calendar, then the page says so on opening and offers that time again', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Away Ann']);
    const invitee = invitees[0]!;
    const start = (await freeSlots(stack, invitee))[0]!.start;
    await fetch(`${stack.emulatorUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'quotaExceeded', count: 1, operation: 'events.insert' }),
    });
    const refused = await bookThroughApi(stack, invitee, start);
    expect(refused.status).toBe(502);
    const { detail } = (await refused.json()) as { detail: string };

    watched = await openBookingPage(browser, invitee.bookingUrl);
    const { page } = watched;

    expect(await messageIn(page, 'alert')).toBe(detail);
    expect(await offeredTimes(page)).toContain(start);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('When no time is free, then the page says so instead of showing empty lists', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['No Luck']);
    const invitee = invitees[0]!;
    watched = await openPage(browser, VIEWER);
    const { page } = watched;
    await page.route(
      (url) => url.pathname === `/api/booking/${invitee.token}/slots`,
      (route) => route.fulfill({ json: { timeZone: 'America/New_York', slots: [] } }),
    );
    await page.goto(invitee.bookingUrl);
    await page.locator('#no-slots:not([hidden])').waitFor();
    expect(await page.locator('#no-slots').textContent()).toContain('There are no free times left right now');
    expect(await page.locator('#days-field').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Continue' }).isHidden()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('When the link expired meanwhile (410), then the page ends with the expiry message and nothing to click', async () => {
    const { page, apiPath } = await atConfirmStep();
    await onBookingPost(page, apiPath, (route) =>
      route.fulfill(
        problem(410, 'link-expired', 'This booking link has expired. Ask the research team for a new one.'),
      ),
    );
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.locator('#fatal:not([hidden])').waitFor();
    expect(await page.locator('#fatal-heading').textContent()).toBe('This booking link has expired');
    expect(await page.locator('#fatal-message').textContent()).toContain(
      'ask the research team for a new link',
    );
    expect(await focusedId(page)).toBe('fatal-heading');
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('When a confirm click gets no answer and is retried, then the retry reuses its Idempotency-Key, while a new click after a definite answer gets a new one', async () => {
    const { page, apiPath } = await atConfirmStep();
    const keys: string[] = [];
    let call = 0;
    await onBookingPost(page, apiPath, async (route) => {
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      call += 1;
      if (call === 1) return route.fulfill(problem(429, 'about:blank', 'slow down'));
      if (call === 2) return route.abort('connectionfailed');
      return route.fallback();
    });
    const confirm = page.getByRole('button', { name: 'Confirm booking' });

    await confirm.click();
    expect(await messageIn(page, 'alert')).toContain('Too many attempts');
    await confirm.click();
    expect(await messageIn(page, 'alert')).toContain('will not book you twice');
    await confirm.click();
    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor();

    expect(keys).toHaveLength(3);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe(keys[1]);
    expect(watched!.failedRequests).toEqual([`429 ${apiPath}`, `ERR_CONNECTION_FAILED ${apiPath}`]);
  });
});
