import type { Browser } from 'playwright-core';
import { renderBookingEmail, type BookingEmailFacts } from '../../src/mail/booking-email';
import { hasHorizontalScroll, launchBrowser, openPage, seriousAxeViolations } from './support/browser';

const SCREENSHOTS = 'test-results/screenshots';

/** A long name, a long title and a long link: what could push the email wider than a phone. */
const facts: BookingEmailFacts = {
  kind: 'confirmation',
  participantName: 'Maximiliane Wolkenstein-Rodeneck <script>alert(1)</script>',
  studyTitle: 'Checkout redesign for the Verbraucherzentralenbundesverband & partners',
  researcherName: 'Grace Hopper',
  start: new Date('2026-12-08T15:00:00Z'),
  end: new Date('2026-12-08T15:45:00Z'),
  timeZone: 'America/Argentina/Buenos_Aires',
  meetUrl: 'https://meet.google.com/abc-defg-hij',
  bookingUrl: `https://scheduler.example/book/${'Abc123_-'.repeat(6)}`,
  previous: { start: new Date('2026-12-07T15:00:00Z'), end: new Date('2026-12-07T15:45:00Z') },
  studyOpen: true,
  calendar: { uid: 'e@google.com', sequence: 1, summary: 'Interview', description: '', stamp: new Date() },
};

describe('The emails about an interview, as a mail program shows them', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  for (const kind of ['confirmation', 'update', 'cancellation'] as const) {
    for (const width of [1280, 360]) {
      test(`When the ${kind} email is opened at ${width} px, then it passes axe-core, fits the width and shows names as text`, async () => {
        const watched = await openPage(browser, { viewport: { width, height: 900 } });
        const { page } = watched;
        await page.setContent(renderBookingEmail({ ...facts, kind }).html);

        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(await hasHorizontalScroll(page)).toBe(false);
        expect(await page.locator('script').count()).toBe(0);
        await expect(page.getByText('<script>alert(1)</script>', { exact: false }).count()).resolves.toBe(1);
        if (kind === 'cancellation') {
          expect(await page.getByRole('link', { name: 'Book a new time' }).count()).toBe(1);
        } else {
          expect(await page.getByRole('link', { name: 'Reschedule' }).getAttribute('href')).toMatch(
            /\?step=reschedule$/,
          );
          expect(await page.getByRole('link', { name: 'Cancel' }).getAttribute('href')).toMatch(
            /\?step=cancel$/,
          );
        }
        await page.screenshot({ path: `${SCREENSHOTS}/email-${kind}-${width}.png`, fullPage: true });
        expect(watched.problems).toEqual([]);
        await watched.close();
      });
    }
  }
});
