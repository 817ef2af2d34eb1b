import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { createStudy } from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { hoursFromNow } from '../sync/booked-interview';
import { bookCollective, joinTeam, type CollectiveInterview } from '../sync/collective-interview';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { checkConsolePage, DESKTOP, SHOTS, signInThroughEmulator } from './support/console';

/**
 * Issue 15: a collective interview whose second host declined in Google Calendar. The
 * researcher reads it on the participant page (a warning beside the interview, an entry in
 * the timeline) and on Upcoming interviews, in real Chromium at 1280 and 360 px with axe-core.
 */
let browser: Browser;
let stack: Stack;
let ada: SignedIn;
let ben: SignedIn;
let interview: CollectiveInterview;
let watched: WatchedPage | undefined;
const WARNING = 'Warning: Ben Host declined: the interview goes ahead without them unless you move it';

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  ada = await signIn(stack, 'ada.collective@example.com', 'Ada Researcher');
  ben = await signIn(stack, 'ben.collective@example.com', 'Ben Host');
  await joinTeam(stack, ada, ben);
  const study = await createStudy(stack, ada);
  interview = await bookCollective(stack, ada, [ben], { start: hoursFromNow(30), studyId: study.id });
  await stack.emulator.pushSettled();
  await fetch(
    `${stack.emulatorUrl}/_emulator/calendars/${encodeURIComponent(ben.email)}/events/${interview.eventId}/respond`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ben.email, responseStatus: 'declined' }),
    },
  );
  await eventually(
    async () =>
      (
        await stack
          .knex('participant_activity')
          .where({ participant_id: interview.participantId, kind: 'host_response' })
      ).length === 1,
    10_000,
  );
  fs.mkdirSync(SHOTS, { recursive: true });
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

describe('A collective interview whose other host declined', () => {
  test('When the researcher opens the participant page, then a warning beside the interview and a timeline entry say the host declined, and the status is still Interview Scheduled', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, ada.email);
    await page.goto(`${stack.url}/participants/${interview.participantId}`);

    const card = page.getByRole('region', { name: 'Interview', exact: true });
    await expect(
      card.getByRole('listitem').filter({ hasText: 'Ben Host declined' }).textContent(),
    ).resolves.toBe(WARNING);
    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
    await expect(timeline.getByText('Ben Host declined the interview invitation').count()).resolves.toBe(1);
    await expect(
      page.getByRole('region', { name: 'Overview' }).getByText('Interview Scheduled').count(),
    ).resolves.toBe(1);
    await checkConsolePage(page, 'participant-host-declined');
  });

  test('When the researcher opens Upcoming interviews, then the interview’s card carries the same warning', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, ada.email);
    await page.goto(`${stack.url}/interviews/upcoming`);

    const card = page.locator(`[data-booking="${interview.bookingId}"]`);
    await expect(card.getByText('Ben Host declined:').textContent()).resolves.toContain(
      'the interview goes ahead without them unless you move it',
    );
    await checkConsolePage(page, 'upcoming-host-declined');
  });
});
