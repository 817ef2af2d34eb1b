import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, SHOTS, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * The researcher turns consent on in the study form (and is told when the text is missing),
 * then sees on the participant page the consent given when booking. Each state passes
 * axe-core at 1280 and 360 px and is photographed.
 */

const RESEARCHER = 'consent@example.com';
const TEXT = 'I agree that this interview is recorded.\nThe recording is deleted after 90 days.';
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

describe('Consent in the researcher console', () => {
  test('When consent is ticked without text, then the form says so at the field; with text it is saved, and the participant page shows the consent given', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, RESEARCHER);
    const everyDay = [{ start: '09:00', end: '17:00' }];
    const created = await page.request.post(`${stack.url}/api/studies`, {
      data: {
        title: 'Checkout redesign',
        durationMinutes: 30,
        timeZone: 'UTC',
        minNoticeMinutes: 0,
        availability: {
          weekly: Object.fromEntries(
            ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, everyDay]),
          ),
        },
      },
    });
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${stack.url}/studies/${id}/edit`);

    await page.getByLabel('Participants must agree to the consent text before booking').check();
    await page.getByRole('button', { name: 'Save study' }).click();

    await page.getByRole('alert').waitFor();
    expect(
      await page
        .getByRole('link', { name: 'Write the consent text participants agree to, or turn off consent' })
        .count(),
    ).toBe(1);
    expect(
      await page.getByLabel('Participants must agree to the consent text before booking').isChecked(),
    ).toBe(true);
    await checkConsolePage(page, 'study-form-consent-error');
    await page
      .locator('section', { has: page.getByRole('heading', { name: 'Consent', exact: true }) })
      .screenshot({ path: `${SHOTS}/study-form-consent-section.png` });

    await page.getByLabel('Consent text', { exact: true }).fill(TEXT);
    // The form posts to /studies/:id, the page it then shows: wait for the study page itself.
    await page.getByRole('button', { name: 'Save study' }).click();
    await page.getByRole('heading', { name: 'Participants', exact: true }).waitFor();
    const study = await (await page.request.get(`${stack.url}/api/studies/${id}`)).json();
    expect(study).toMatchObject({ consentRequired: true, consentText: TEXT });

    const added = await page.request.post(`${stack.url}/api/studies/${id}/participants`, {
      data: { participants: [{ name: 'Pat Participant', email: 'pat@example.org' }] },
    });
    const [pat] = ((await added.json()) as { participants: { id: string; bookingUrl: string }[] })
      .participants;
    const token = pat!.bookingUrl.split('/book/')[1]!;
    const view = await (await fetch(`${stack.url}/api/booking/${token}`)).json();
    const start = new Date(Date.now() + 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    const booked = await fetch(`${stack.url}/api/booking/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        start: start.toISOString(),
        consent: { version: view.consent.version, accepted: true },
      }),
    });
    expect(booked.status).toBe(201);

    await page.goto(`${stack.url}/participants/${pat!.id}`);
    await page.getByText(/^Consent given on .* \(version 1\)$/).waitFor();
    await page.getByText('Consent text they agreed to').click();
    expect(await page.locator('.consent-text').textContent()).toBe(TEXT);
    await checkConsolePage(page, 'participant-consent');

    // Cancelled and booked again by the researcher: the consent was for the earlier interview.
    expect(
      (await page.request.post(`${stack.url}/api/participants/${pat!.id}/cancel`, { data: {} })).status(),
    ).toBe(200);
    const again = new Date(start.getTime() + 86_400_000);
    const rebooked = await page.request.post(`${stack.url}/api/participants/${pat!.id}/booking`, {
      data: { start: again.toISOString() },
    });
    expect(rebooked.status()).toBe(201);
    await page.goto(`${stack.url}/participants/${pat!.id}`);
    await page.getByText(/^Consent given on .* for an earlier interview \(version 1\)$/).waitFor();
    await page.getByText('No consent recorded for this interview.').waitFor();
    await checkConsolePage(page, 'participant-consent-earlier');
  });
});
