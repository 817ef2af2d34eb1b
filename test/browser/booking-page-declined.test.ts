import type { Browser } from 'playwright-core';
import { eventIdForBooking } from '../../src/google';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import {
  bookThroughApi,
  freeSlots,
  participantStatus,
  studyWithParticipants,
} from './support/booking-fixtures';
import { messageIn, offeredTimes, openBookingPage } from './support/booking-page';
import { launchBrowser, type WatchedPage } from './support/browser';
import { checkConsolePage, DESKTOP } from './support/console';

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack({ nightly: false })]);
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
  expect(await messageIn(watched.page, 'status')).toBe(
    'Your interview was cancelled. You can pick a new time below if you like.',
  );
  expect(await offeredTimes(watched.page)).toContain(start);
  await watched.page.setViewportSize(DESKTOP.viewport);
  await checkConsolePage(watched.page, 'booking-page-cancelled');
  expect(watched.problems).toEqual([]);
});
