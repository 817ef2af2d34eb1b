import type { Browser, Page } from 'playwright-core';
import { eventIdForBooking } from '../../src/google';
import { ALWAYS_OPEN, book, slotTomorrow } from '../bookings/support';
import { eventually, startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * A researcher signs in through the (emulated) Google consent, sees their studies, pastes
 * three participants into a study, filters the table, and makes and revokes an API token.
 * Every page is checked with axe-core and at 360 px, and photographed.
 */

let browser: Browser;
let stack: Stack;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
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

async function createStudy(page: Page, title: string): Promise<string> {
  const answer = await page.request.post(`${stack.url}/api/studies`, {
    data: { title, durationMinutes: 30, timeZone: 'Europe/Berlin', availability: { weekly: {} } },
  });
  return ((await answer.json()) as { id: string }).id;
}

/** Accessible, no sideways scroll at 360 px, and a picture at both widths. */

describe('The researcher console in a browser', () => {
  test('When a researcher signs in, then Home links Studies; there each study is a card with its counts, and New study is offered', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'cards@example.com');
    await createStudy(page, 'Checkout redesign: first-time buyers on mobile');
    await createStudy(page, 'Onboarding');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Home');
    expect(await page.getByRole('link', { name: 'Studies' }).getAttribute('href')).toBe('/studies');
    await checkConsolePage(page, 'home');

    await page.goto(`${stack.url}/studies`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Studies');
    expect(await page.getByRole('link', { name: 'New study' }).getAttribute('href')).toBe('/studies/new');
    expect(await page.getByRole('link', { name: 'Onboarding' }).count()).toBe(1);
    expect(await page.getByText('Interview Scheduled').count()).toBe(2);
    await checkConsolePage(page, 'studies');
  });

  test('When three participants are pasted, then they are in the table with their links and copy buttons, and the filter narrows it', async () => {
    watched = await openPage(browser, { ...DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] });
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'paste@example.com');
    const id = await createStudy(page, 'Checkout redesign');
    await page.goto(`${stack.url}/studies/${id}`);
    await checkConsolePage(page, 'study-empty');

    await page
      .getByLabel('Participants')
      .fill('Ada Lovelace <ada@example.com>\nGrace Hopper <grace@example.com>\nnot an address');
    await page.getByRole('button', { name: 'Add participants' }).click();
    await page.getByRole('heading', { name: 'There is a problem; nobody was added' }).waitFor();
    expect(
      await page.getByRole('link', { name: 'Line 3: “not an address” is not an email address' }).count(),
    ).toBe(1);
    await checkConsolePage(page, 'study-error');

    await page
      .getByLabel('Participants')
      .fill(
        'Ada Lovelace <ada@example.com>\nGrace Hopper <grace@example.com>\nLinus Torvalds <linus@example.com>',
      );
    await page.getByRole('button', { name: 'Add participants' }).click();
    await page.getByRole('heading', { name: 'Added 3 participants' }).waitFor();

    const rows = page.locator('table.participants tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await page.getByRole('link', { name: 'Grace Hopper' }).first().getAttribute('href')).toMatch(
      /^\/participants\/[0-9a-f-]{36}$/,
    );
    const links = await page.locator('.booking-links code').allTextContents();
    expect(links).toHaveLength(3);
    await page.getByRole('button', { name: 'Copy booking link for Grace Hopper' }).click();
    await page.getByRole('status').getByText('Booking link copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(links[1]);
    await checkConsolePage(page, 'study-added');

    await page.getByLabel('Search by name or email').fill('grace');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('Showing 1 of 3').waitFor();
    await page.getByLabel('Search by name or email').fill('');
    await page.getByLabel('Filter by status').selectOption({ label: 'Interview Scheduled' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No participant matches.').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('scheduled');
    await page.getByLabel('Filter by status').selectOption({ label: 'Invited' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('Showing 3 of 3').waitFor();
  });

  test('When a token is created in Settings, then it is shown once with a copy button, listed, and revoking removes it', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'tokens@example.com');
    await page.goto(`${stack.url}/settings`);
    await checkConsolePage(page, 'settings');

    await page.getByLabel('Token name').fill('weekly export');
    await page.getByRole('button', { name: 'Create API token' }).click();
    await page.getByRole('heading', { name: 'Your new API token “weekly export”' }).waitFor();
    const token = (await page.locator('.new-token code').textContent()) ?? '';
    expect(token).toMatch(/^isk_/);
    expect(await page.getByRole('button', { name: 'Copy API token' }).isVisible()).toBe(true);
    await checkConsolePage(page, 'settings-token');

    await page.getByRole('button', { name: 'Revoke token weekly export' }).click();
    await page.getByRole('status').getByText('API token revoked').waitFor();
    expect(await page.getByText('weekly export', { exact: true }).count()).toBe(0);
    const answer = await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(401);
  });

  test('When an interview is cancelled in Google while the study page is open, then "Canceled Interview" appears in its row without a reload', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    const email = 'live-study@example.com';
    await signInThroughEmulator(stack, page, email);
    const created = await page.request.post(`${stack.url}/api/studies`, {
      data: { title: 'Live study', ...ALWAYS_OPEN },
    });
    const studyId = ((await created.json()) as { id: string }).id;
    const added = await page.request.post(`${stack.url}/api/studies/${studyId}/participants`, {
      data: {
        participants: [
          { name: 'Ada Booked', email: 'ada.booked@example.com' },
          { name: 'Bea Waiting', email: 'bea.waiting@example.com' },
        ],
      },
    });
    const [ada] = ((await added.json()) as { participants: { id: string; bookingUrl: string }[] })
      .participants;
    const token = ada!.bookingUrl.split('/book/')[1]!;
    const booked = await book(stack, token, (await slotTomorrow(stack, token, 9)).start);
    const bookingId = ((await booked.json()) as { booking: { id: string } }).booking.id;
    await eventually(async () => {
      const row = await stack.knex('participants').where({ id: ada!.id }).first('status');
      return row.status === 'scheduled';
    });
    await page.goto(`${stack.url}/studies/${studyId}`);
    const adaRow = page.getByRole('row', { name: /Ada Booked/ });
    await adaRow.getByText('Interview Scheduled').waitFor();
    const loaded = await page.evaluate(() => performance.timeOrigin);

    const cancelled = await fetch(
      `${stack.emulatorUrl}/_emulator/calendars/${encodeURIComponent(email)}/events/${eventIdForBooking(bookingId)}/cancel`,
      { method: 'POST' },
    );
    expect(cancelled.status).toBe(200);

    await adaRow.getByText('Canceled Interview').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
    expect(
      await page
        .getByRole('row', { name: /Bea Waiting/ })
        .getByText('Invited')
        .count(),
    ).toBe(1);
    expect(await page.getByRole('status').textContent()).toMatch(/participants table was updated/);
    await checkConsolePage(page, 'study-live');
  });

  test('When the researcher meets the pages around the actions (not found, expired form, disconnect confirmation, a stored booking link), then each is readable and accessible', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'around@example.com');
    const created = await page.request.post(`${stack.url}/api/studies`, {
      data: { title: 'Around the actions', ...ALWAYS_OPEN },
    });
    const studyId = ((await created.json()) as { id: string }).id;
    const added = await page.request.post(`${stack.url}/api/studies/${studyId}/participants`, {
      data: { participants: [{ name: 'Lena Link', email: 'lena.link@example.com' }] },
    });
    const [lena] = ((await added.json()) as { participants: { id: string; bookingUrl: string }[] })
      .participants;

    const missing = await page.goto(`${stack.url}/studies/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This page does not exist' }).waitFor();
    await checkConsolePage(page, 'not-found');

    // A form whose token no longer matches (another tab signed out and in again, say).
    await page.goto(`${stack.url}/settings`);
    await page.evaluate(() => {
      document.querySelectorAll<HTMLInputElement>('input[name="csrf"]').forEach((field) => {
        field.value = 'stale';
      });
    });
    await page.getByRole('button', { name: 'Create API token' }).click();
    await page.getByRole('heading', { name: 'This form has expired' }).waitFor();
    expect(watched.failedRequests).toEqual([
      '404 /studies/00000000-0000-4000-8000-000000000000',
      '403 /settings/tokens',
    ]);
    watched.failedRequests.length = 0;
    await checkConsolePage(page, 'form-expired');

    await page.goto(`${stack.url}/settings/google/disconnect`);
    await page.getByRole('heading', { name: 'Disconnect Google Calendar?' }).waitFor();
    await checkConsolePage(page, 'disconnect-confirm');

    await page.goto(`${stack.url}/participants/${lena!.id}/booking-link`);
    expect(await page.locator('code').first().textContent()).toBe(lena!.bookingUrl);
    await checkConsolePage(page, 'booking-link');
  });
});
