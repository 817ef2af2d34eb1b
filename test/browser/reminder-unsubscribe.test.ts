import type { Browser } from 'playwright-core';
import { sendDueReminders } from '../../src/reminders/send-due-reminders';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookThroughApi, freeSlots, studyWithParticipants } from './support/booking-fixtures';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { checkConsolePage, DESKTOP } from './support/console';

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

test('When a participant opens the unsubscribe link of a reminder and confirms, then the page says no more reminders come for this study, with no axe violations at 1280 and 360 px', async () => {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Rhea Minder'], {
    reminderMinutesBefore: [1440, 60],
  });
  const invitee = invitees[0]!;
  // Booked through the participant's API: the real booking flow plans the reminders.
  const start = (await freeSlots(stack, invitee)).find(
    (slot) => Date.parse(slot.start) > Date.now() + 26 * 3600_000,
  )!.start;
  expect((await bookThroughApi(stack, invitee, start)).status).toBe(201);
  const plannedFor = () =>
    stack
      .knex('booking_reminders as r')
      .join('bookings as b', 'b.id', 'r.booking_id')
      .where({ 'b.participant_id': invitee.id, 'r.state': 'planned' })
      .pluck('r.minutes_before');
  expect((await plannedFor()).sort()).toEqual([1440, 60].sort());

  // The 24-hour reminder comes due (the sweep runs with the test's clock) and is delivered.
  await sendDueReminders(
    { knex: stack.knex, queue: stack.features.queue, logger: stack.features.logger },
    new Date(Date.parse(start) - 1439 * 60_000),
  );
  const reminder = await eventually(
    async () =>
      (await stack
        .knex('dev_mailbox')
        .where({ to_email: invitee.email })
        .andWhere('subject', 'like', 'Reminder:%')
        .first('text_body')) as { text_body: string } | undefined,
    10_000,
  );
  const link = /(http:\/\/\S+\/reminders\/unsubscribe\/\S+)/.exec(reminder.text_body)![1]!;

  watched = await openPage(browser, DESKTOP);
  const { page } = watched;
  await page.goto(link);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Stop interview reminders?');
  expect(await plannedFor()).toEqual([60]);
  await checkConsolePage(page, 'reminder-unsubscribe-question');

  await page.getByRole('button', { name: 'Unsubscribe from reminders' }).click();

  await page.getByRole('status').waitFor();
  expect(await page.getByRole('status').textContent()).toBe('You will get no more reminders for this study.');
  expect(await page.getByText('Study: Checkout usability study').count()).toBe(1);
  await checkConsolePage(page, 'reminder-unsubscribe-done');
  expect(await plannedFor()).toEqual([]);
  expect(watched.problems).toEqual([]);
});
