import type { Browser } from 'playwright-core';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import {
  bookThroughApi,
  calendarEvents,
  freeSlots,
  participantStatus,
  studyWithParticipants,
  type Invitee,
} from './support/booking-fixtures';
import {
  focusedId,
  localDate,
  messageIn,
  offeredDays,
  offeredTimes,
  openBookingPage,
  VIEWER,
} from './support/booking-page';
import {
  hasHorizontalScroll,
  launchBrowser,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';
import { pushesAndSyncsSettled } from '../sync/calendar-support';

/**
 * The participant's booking page in real Chromium against the whole service (database,
 * job queue, Google emulator). Every step is checked for accessibility (axe-core), for a
 * 360 px wide window without horizontal scrolling, and for browser errors (a Content
 * Security Policy violation is one).
 */

const RESEARCHER = 'rita.researcher@example.com';

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  researcher = await signIn(stack, RESEARCHER, 'Rita Researcher');
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

async function open(invitee: Invitee): Promise<WatchedPage> {
  watched = await openBookingPage(browser, invitee.bookingUrl);
  return watched;
}

async function expectAccessibleAndNarrow(): Promise<void> {
  const page = watched!.page;
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(await hasHorizontalScroll(page)).toBe(false);
}

const eventOf = async (invitee: Invitee) =>
  (await calendarEvents(stack, RESEARCHER)).find((event) =>
    event.attendees?.some((attendee) => attendee.email === invitee.email),
  );

describe('The booking page', () => {
  test('When a participant picks a day and a time and confirms, then the page shows the Meet link and the researcher’s calendar holds the event', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Pat Doe']);
    const pat = invitees[0]!;
    const { page } = await open(pat);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Checkout usability study');
    expect(await page.locator('header').textContent()).toContain('30 minutes');
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('America/New_York');
    expect(await page.locator('#days-legend').textContent()).toContain('Eastern Time — New York (GMT-');
    await expectAccessibleAndNarrow();

    const days = await offeredDays(page);
    expect(days.length).toBeGreaterThan(1);
    await page.locator('#days label').nth(1).click();
    const times = await offeredTimes(page);
    // Grouped by the viewer's date: every time under the chosen day is on that day in New York.
    for (const start of times) expect(localDate(start, 'America/New_York')).toBe(days[1]);
    await page.locator('#times label').nth(1).click();
    const chosen = times[1]!;
    await page.getByRole('button', { name: 'Continue' }).click();

    const when = await page.locator('#confirm-when').textContent();
    const shownTime = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour: 'numeric',
      minute: '2-digit',
    }).format(new Date(chosen));
    expect(when).toContain(shownTime);
    expect(when).toContain('Eastern Time — New York (GMT-');
    await expectAccessibleAndNarrow();

    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor();
    const meetLink = page.locator('#booking-meet a');
    const meetUrl = await meetLink.getAttribute('href');
    expect(meetUrl).toMatch(/^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(await page.locator('#booking').textContent()).toContain(
      'A calendar invitation has been sent to you.',
    );
    expect(await focusedId(page)).toBe('booking-heading');
    await expectAccessibleAndNarrow();

    const event = await eventOf(pat);
    expect(event).toMatchObject({ status: 'confirmed', hangoutLink: meetUrl });
    expect(Date.parse(event!.start.dateTime)).toBe(Date.parse(chosen));
    expect(await participantStatus(stack, researcher, pat)).toBe('scheduled');
  });

  test('When the chosen time is taken by someone else before confirming, then the page says so and offers fresh times without it', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Sam Roe', 'Kim Poe']);
    const [sam, kim] = invitees as [Invitee, Invitee];
    const { page } = await open(sam);
    await page.locator('#times label').first().click();
    const chosen = (await offeredTimes(page))[0]!;
    await page.getByRole('button', { name: 'Continue' }).click();

    // Kim books the very same time from another browser meanwhile.
    expect((await bookThroughApi(stack, kim, chosen)).status).toBe(201);
    await page.getByRole('button', { name: 'Confirm booking' }).click();

    expect(await messageIn(page, 'alert')).toBe('That time was just taken — please pick another.');
    await page.locator('#picker:not([hidden])').waitFor();
    await page.waitForFunction(
      (taken) =>
        !Array.from(document.querySelectorAll<HTMLInputElement>('#times input')).some(
          (input) => input.value === taken,
        ),
      chosen,
    );
    expect(await offeredTimes(page)).not.toContain(chosen);
    expect(await focusedId(page)).toBe('picker-heading');
    expect(watched!.failedRequests).toEqual([expect.stringMatching(/^409 \/api\/booking\//)]);
    await expectAccessibleAndNarrow();

    // The participant simply picks another time.
    await page.locator('#times label').first().click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor();
    expect(await page.locator('#alert').textContent()).toBe('');
  });

  test('When a participant books with the keyboard only, then Tab, arrow keys, Space and Enter are enough and the focus follows each step', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Lee Key']);
    const lee = invitees[0]!;
    const { page } = await open(lee);
    const days = await offeredDays(page);

    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('time-zone');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('day-0');
    await page.keyboard.press('ArrowRight');
    expect(await focusedId(page)).toBe('day-1');
    expect(await page.locator('#day-1').isChecked()).toBe(true);
    const times = await offeredTimes(page);
    expect(localDate(times[0]!, 'America/New_York')).toBe(days[1]);

    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('time-0');
    await page.keyboard.press('Space');
    expect(await page.locator('#time-0').isChecked()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await focusedId(page)).toBe('time-1');
    expect(await page.locator('#time-1').isChecked()).toBe(true);
    // The focused choice is visibly marked.
    const outline = await page
      .locator('#time-1 + span')
      .evaluate((face) => getComputedStyle(face).outlineStyle);
    expect(outline).toBe('solid');

    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('continue-button');
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('confirm-heading');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('confirm-button');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor();
    expect(await focusedId(page)).toBe('booking-heading');
    expect(await page.locator('#booking-meet a').getAttribute('href')).toMatch(
      /^https:\/\/meet\.google\.com\//,
    );
    const event = await eventOf(lee);
    expect(Date.parse(event!.start.dateTime)).toBe(Date.parse(times[1]!));
  });

  test('When the participant already has an interview, then the page shows it on load and it can be cancelled', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Ada Early']);
    const ada = invitees[0]!;
    const slot = (await freeSlots(stack, ada))[2]!;
    expect((await bookThroughApi(stack, ada, slot.start)).status).toBe(201);
    const { page } = await open(ada);

    await page.locator('#booking:not([hidden])').waitFor();
    expect(await page.locator('#booking-heading').textContent()).toBe('Your interview');
    const when = await page.locator('#booking-when').textContent();
    expect(when).toContain(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        minute: '2-digit',
      }).format(new Date(slot.start)),
    );
    expect(await page.locator('#booking-meet a').getAttribute('href')).toMatch(
      /^https:\/\/meet\.google\.com\//,
    );
    expect(await page.locator('#picker').isHidden()).toBe(true);
    await expectAccessibleAndNarrow();

    await page.getByRole('button', { name: 'Cancel the interview' }).click();
    expect(await focusedId(page)).toBe('cancel-no');
    await expectAccessibleAndNarrow();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();

    expect(await messageIn(page, 'status')).toContain('Your interview is cancelled');
    await page.locator('#picker:not([hidden])').waitFor();
    expect(await page.locator('#booking').isHidden()).toBe(true);
    await page.waitForFunction(() => document.querySelectorAll('#times input').length > 0);
    await expectAccessibleAndNarrow();
    expect(await participantStatus(stack, researcher, ada)).toBe('canceled');
    await eventually(async () => (await eventOf(ada))?.status === 'cancelled', 10_000);
  });

  test('When the interview has started, then the page shows it with the reason and offers neither moving nor cancelling', async () => {
    // A researcher of its own: the interview "under way" now must not overlap the earlier
    // tests' bookings, which take the first free times (right now in Berlin's morning).
    const own = await signIn(stack, 'stella.started@example.com', 'Stella Started');
    const { invitees } = await studyWithParticipants(stack, own, ['Sam Started']);
    const sam = invitees[0]!;
    const slot = (await freeSlots(stack, sam))[4]!;
    const answer = await bookThroughApi(stack, sam, slot.start);
    expect(answer.status).toBe(201);
    const { booking } = (await answer.json()) as { booking: { id: string } };
    // Under way: started ten minutes ago (the service reads the real clock). The sync of the
    // booking's own event first: one after this edit would undo it as a move.
    await pushesAndSyncsSettled(stack);
    const start = new Date(Date.now() - 10 * 60_000);
    await stack
      .knex('bookings')
      .where({ id: booking.id })
      .update({
        during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, new Date(start.getTime() + 30 * 60_000)]),
      });
    const { page } = await open(sam);

    await page.locator('#booking:not([hidden])').waitFor();
    expect(await page.locator('#booking-locked').textContent()).toMatch(
      /has started.*only the research team can change it/,
    );
    expect(await page.locator('#booking-locked').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Pick another time' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Cancel the interview' }).isVisible()).toBe(false);
    expect(await page.locator('#picker').isHidden()).toBe(true);
    await expectAccessibleAndNarrow();
  });

  test('When the participant picks another time for a booked interview, then the same calendar event moves there', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Max Mover']);
    const max = invitees[0]!;
    const first = (await freeSlots(stack, max))[0]!;
    expect((await bookThroughApi(stack, max, first.start)).status).toBe(201);
    const before = await eventOf(max);
    const { page } = await open(max);

    await page.getByRole('button', { name: 'Pick another time' }).click();
    expect(await page.locator('#picker-heading').textContent()).toBe('Choose a new time');
    await page.waitForFunction(() => document.querySelectorAll('#times input').length > 0);
    await page.locator('#days label').last().click();
    await page.locator('#times label').last().click();
    const target = (await offeredTimes(page)).at(-1)!;
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('#confirm-heading').textContent()).toBe('Confirm your new time');
    await page.getByRole('button', { name: 'Move my interview' }).click();

    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor();
    const after = await eventOf(max);
    expect(after?.id).toBe(before?.id);
    expect(Date.parse(after!.start.dateTime)).toBe(Date.parse(target));
  });

  test('When the viewer changes the time zone, then days and times are shown again in that zone', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Yui Tanaka']);
    const { page } = await open(invitees[0]!);
    const zone = page.getByLabel('Your time zone');

    await zone.fill('Asia/Tokyo');
    await zone.press('Enter');
    expect(await messageIn(page, 'status')).toContain('Japan Standard Time — Tokyo (GMT+09:00)');
    await page.waitForFunction(() =>
      document.getElementById('days-legend')?.textContent?.includes('Japan Standard Time — Tokyo'),
    );
    const days = await offeredDays(page);
    const times = await offeredTimes(page);
    for (const start of times) expect(localDate(start, 'Asia/Tokyo')).toBe(days[0]);
    expect(await page.locator('#times-legend').textContent()).toContain('Tokyo (GMT+09:00)');
    await expectAccessibleAndNarrow();

    await zone.fill('Nowhere/Atlantis');
    await zone.press('Enter');
    expect(await zone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#time-zone-error').textContent()).toContain(
      'choose a time zone from the list',
    );
    await expectAccessibleAndNarrow();
  });

  test('When the booking page is opened in a narrow window with a large font, then nothing needs horizontal scrolling', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Wide Font']);
    watched = await openBookingPage(browser, invitees[0]!.bookingUrl, {
      ...VIEWER,
      viewport: { width: 320, height: 640 },
    });
    // As a browser's "larger text" setting would (CSSOM, which the CSP rightly allows).
    await watched.page.evaluate(() => (document.documentElement.style.fontSize = '125%'));
    expect(await hasHorizontalScroll(watched.page)).toBe(false);
  });
});
