import type { Browser } from 'playwright-core';
import { eventIdForBooking } from '../../src/google';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import {
  bookThroughApi,
  freeSlots,
  participantStatus,
  studyWithParticipants,
} from './support/booking-fixtures';
import {
  checkBookingPage,
  localDate,
  offeredDays,
  offeredTimes,
  openBookingPage,
  VIEWER,
} from './support/booking-page';
import { launchBrowser, type WatchedPage } from './support/browser';

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  researcher = await signIn(stack, 'ruth@example.com', 'Ruth Research');
});
afterAll(async () => {
  await watched?.close();
  await browser?.close();
  await stack?.close();
});

test('When the participant declined the invitation in their calendar, then their booking page says the interview was cancelled and offers a new time', async () => {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Dee Clines']);
  const invitee = invitees[0]!;
  const start = (await freeSlots(stack, invitee))[0]!.start;
  const answer = await bookThroughApi(stack, invitee, start);
  expect(answer.status).toBe(201);
  const { booking } = (await answer.json()) as { booking: { id: string } };
  await stack.emulator.pushSettled();

  await fetch(
    `${stack.emulatorUrl}/_emulator/calendars/ruth%40example.com/events/${eventIdForBooking(booking.id)}/respond`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: invitee.email, responseStatus: 'declined' }),
    },
  );
  await eventually(async () => (await participantStatus(stack, researcher, invitee)) === 'canceled', 10_000);

  watched = await openBookingPage(browser, invitee.bookingUrl);
  const { page } = watched;
  const when = await page.locator('#cancelled-why').textContent();
  expect(when).toMatch(/^You declined the calendar invitation, so your interview on .+ was cancelled\.$/);
  expect(when).toContain('Eastern Time — New York');
  expect(await page.locator('#intro-next').textContent()).toBe('Your interview was cancelled.');
  // The news comes first: the cancelled card precedes the new times in the document.
  const order = await page.evaluate(
    () =>
      document.getElementById('cancelled')!.compareDocumentPosition(document.getElementById('picker')!) &
      Node.DOCUMENT_POSITION_FOLLOWING,
  );
  expect(order).toBeTruthy();
  expect(await page.locator('#cancelled').isVisible()).toBe(true);
  expect(await offeredTimes(page)).toContain(start);
  await checkBookingPage(page, 'booking-page-cancelled');
  expect(watched.problems).toEqual([]);
});

test('When the researcher cancelled the event in their calendar, then the German booking page says so, with the time, before offering new times', async () => {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Kai Kalender']);
  const invitee = invitees[0]!;
  const start = (await freeSlots(stack, invitee))[1]!.start;
  const answer = await bookThroughApi(stack, invitee, start);
  expect(answer.status).toBe(201);
  const { booking } = (await answer.json()) as { booking: { id: string } };
  await stack.emulator.pushSettled();

  await fetch(
    `${stack.emulatorUrl}/_emulator/calendars/ruth%40example.com/events/${eventIdForBooking(booking.id)}/cancel`,
    { method: 'POST' },
  );
  await eventually(async () => (await participantStatus(stack, researcher, invitee)) === 'canceled', 10_000);

  await watched?.close();
  watched = await openBookingPage(browser, invitee.bookingUrl, { ...VIEWER, locale: 'de-DE' });
  const { page } = watched;
  const day = new Intl.DateTimeFormat('de', {
    timeZone: 'America/New_York',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(start));
  expect(await page.locator('#cancelled-heading').textContent()).toBe('Ihr Interview wurde abgesagt');
  expect(await page.locator('#cancelled-why').textContent()).toMatch(
    /^Ihr Interview am .+ wurde im Kalender der Forscherin oder des Forschers abgesagt\.$/,
  );
  expect(await page.locator('#cancelled-why').textContent()).toContain(day);
  expect(await page.locator('#intro-next').textContent()).toBe('Ihr Interview wurde abgesagt.');
  // The page opens on the first day with times; the second free slot may be on a later one
  // (late in the day, today has one time left): its day is chosen as the participant would.
  const startDay = localDate(start, VIEWER.timezoneId);
  const days = await offeredDays(page);
  expect(days).toContain(startDay);
  await page.locator('#days label').nth(days.indexOf(startDay)).click();
  expect(await offeredTimes(page)).toContain(start);
  await checkBookingPage(page, 'booking-page-cancelled-in-calendar-de');
  expect(watched.problems).toEqual([]);
});
