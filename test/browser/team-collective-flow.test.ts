import type { Browser, Page } from 'playwright-core';
import { eventIdForBooking } from '../../src/google';
import { emulatorEvents, type EmulatorEvent } from '../bookings/support';
import { startStack, type Stack } from '../support/stack';
import { checkBookingPage, offeredDays, offeredTimes, openBookingPage } from './support/booking-page';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * Issue 15 from end to end, every step through the pages its people use: Ada invites Ben
 * from the Team page, Ben joins through the link in the email by signing in with Google
 * (which connects his calendar), Ada makes her study collective with Ben, and a participant
 * books from their link a time both are free. Google (the emulator) then holds one event on
 * Ada's calendar inviting Ben and the participant, with one Meet, and Ben's copy of it.
 */

// Three people, three sign-ins and a booking, with pages checked at two widths.
jest.setTimeout(180_000);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ADA = 'ada@example.com';
const BEN = 'ben@example.com';
const PAT = 'pat.doe@example.com';
// A zone at UTC all year: the study's hours and Ben's meetings are the same instants everywhere.
const ZONE = 'Atlantic/Reykjavik';

let browser: Browser;
let stack: Stack;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
});
afterAll(async () => {
  const pages = opened.splice(0);
  for (const seen of pages) await seen.close();
  await browser?.close();
  await stack?.close();
  for (const seen of pages) expect(seen.problems).toEqual([]);
});

async function open(): Promise<Page> {
  const watched = await openPage(browser, DESKTOP);
  opened.push(watched);
  return watched.page;
}

async function emulator(path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${stack.emulatorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
}

/** The link of the newest email the development mailbox holds for `email` that matches. */
async function linkInMailbox(email: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await stack
      .knex('dev_mailbox')
      .where({ to_email: email })
      .orderBy('id', 'desc')
      .pluck<string[]>('text_body');
    const link = rows.map((text) => pattern.exec(text)?.[0]).find(Boolean);
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no email with a link for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Midnight UTC of the day `days` from today. */
function dayFrom(days: number): number {
  const date = new Date(Date.now() + days * DAY_MS);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime();
}

describe('A team’s collective interview, from the invitation to the calendar event', () => {
  test('When Ada invites Ben, makes him a host of a collective study and a participant books, then one event on Ada’s calendar invites Ben and the participant with one Meet', async () => {
    // 1. Ada invites Ben from the Team page; Ben joins from the email by signing in with Google.
    const ada = await open();
    await signInThroughEmulator(stack, ada, ADA);
    await ada.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Team' }).click();
    await ada.getByRole('heading', { level: 1, name: "Ada Researcher's team" }).waitFor();
    await ada.getByRole('textbox', { name: 'Email address' }).fill(BEN);
    await ada.getByRole('button', { name: 'Invite colleague', exact: true }).click();
    await ada.getByRole('status').getByText(`Invitation sent to ${BEN}`).waitFor();

    await emulator('/_emulator/users', { email: BEN, name: 'Ben Okafor' });
    const ben = await open();
    await ben.goto(await linkInMailbox(BEN, /http\S+\/join\/\S+/));
    await ben
      .getByRole('heading', { level: 1, name: /^Ada Researcher invited you to join Ada Researcher's team/ })
      .waitFor();
    await ben.getByRole('link', { name: 'Sign in with Google to join' }).click();
    await ben.waitForURL(`${stack.url}/team`);
    await ben.getByRole('status').getByText("Welcome to Ada Researcher's team.").waitFor();

    await ada.reload();
    const members = ada.getByRole('region', { name: 'Members' });
    const benRow = members.getByRole('listitem').filter({ hasText: BEN });
    // Signing in with Google connected Ben's calendar: he can host.
    expect(await benRow.getByText('connected', { exact: true }).count()).toBe(1);
    await checkConsolePage(ada, 'collective-flow-team');

    // Ben has a meeting at 10:00 UTC every day of the next three weeks, Ada has none.
    for (let day = 0; day < 21; day += 1) {
      const start = dayFrom(day) + 10 * HOUR_MS;
      await emulator(`/_emulator/calendars/${BEN}/events`, {
        summary: 'Ben’s stand-up',
        start: { dateTime: new Date(start).toISOString() },
        end: { dateTime: new Date(start + HOUR_MS / 2).toISOString() },
      });
    }

    // 2. Ada creates a study, then edits it: Ben as a second host, collective.
    await ada.goto(`${stack.url}/studies/new`);
    await ada.getByLabel('Title', { exact: true }).fill('Checkout interviews in pairs');
    await ada.getByLabel('Time zone').fill(ZONE);
    await ada.getByRole('button', { name: 'Create study' }).click();
    await ada.waitForURL(/\/studies\/[0-9a-f-]{36}$/);
    const studyUrl = ada.url();
    await ada.getByRole('link', { name: 'Edit study' }).click();
    const hosts = ada.getByRole('group', { name: 'Who holds the interviews' });
    await hosts.getByRole('checkbox', { name: /^Ben Okafor/ }).check();
    await ada.getByRole('radio', { name: 'Collective: every host attends' }).check();
    await ada.getByRole('button', { name: 'Save study' }).click();
    await ada.waitForURL(studyUrl);
    const panel = ada.getByRole('region', { name: 'Hosts' });
    const panelText = (await panel.textContent())!.replace(/\s+/g, ' ');
    expect(panelText).toContain('Ada Researcher (ada@example.com) · organizes the calendar event');
    expect(panelText).toContain('Ben Okafor (ben@example.com)');
    expect(panelText).toContain('Collective: every host attends');
    expect(panelText).not.toContain('takes no new bookings');
    await checkConsolePage(ada, 'collective-flow-study');

    // 3. Ada adds a participant, who books from the link in their invitation.
    await ada.getByLabel('Participants').fill(`Pat Doe <${PAT}>`);
    await ada.getByRole('button', { name: 'Add participants' }).click();
    await ada.getByRole('heading', { name: 'Added 1 participant' }).waitFor();
    const bookingUrl = (await ada.locator('.booking-links code').first().textContent())!.trim();

    const watched = await openBookingPage(browser, bookingUrl, { ...DESKTOP, timezoneId: ZONE });
    opened.push(watched);
    const pat = watched.page;
    // Every host attends a collective interview: the participant is told whom to expect.
    expect(await pat.locator('.intro').textContent()).toContain(
      'Ada Researcher and Ben Okafor would like to talk with you for 45 minutes by video call.',
    );
    const [firstDay] = await offeredDays(pat);
    await pat.locator('#days input[name="day"]').first().check();
    const times = await offeredTimes(pat);
    const at = (hour: number, minute = 0) =>
      new Date(Date.parse(`${firstDay!}T00:00:00Z`) + hour * HOUR_MS + minute * 60_000).toISOString();
    // Ada is free all day; Ben's stand-up (10:00–10:30) takes away the 45-minute interviews
    // overlapping it, the times around it stay.
    expect(times).toEqual(expect.arrayContaining([at(9), at(10, 30)]));
    expect(times).not.toContain(at(9, 30));
    expect(times).not.toContain(at(10));
    await pat.locator(`#times input[value="${at(10, 30)}"]`).check();
    await pat.getByRole('button', { name: 'Continue' }).click();
    await pat.getByRole('button', { name: 'Confirm booking' }).click();
    await pat.getByRole('heading', { name: 'Your interview is booked' }).waitFor();
    const meetUrl = await pat.locator('#booking-meet a').getAttribute('href');
    expect(meetUrl).toMatch(/^https:\/\/meet\.google\.com\//);
    await checkBookingPage(pat, 'collective-flow-booked');

    // 4. Google holds one event, organised on Ada's calendar, with Ben's copy and the invitations.
    const { events, invitations } = await emulatorEvents(stack, ADA);
    const interviews = events.filter((event) => event.status !== 'cancelled');
    expect(interviews).toHaveLength(1);
    const [event] = interviews;
    const eventId = event!.id;
    expect(eventId).toBe(eventIdForBooking(event!.extendedProperties!.private!.bookingId!));
    expect(event!.attendees?.map((attendee) => attendee.email).sort()).toEqual([ADA, BEN, PAT].sort());
    expect(Date.parse(event!.start.dateTime!)).toBe(Date.parse(at(10, 30)));
    expect(event!.hangoutLink).toBe(meetUrl);
    expect(
      event!.conferenceData?.entryPoints?.filter((entry) => entry.entryPointType === 'video'),
    ).toHaveLength(1);

    const bens = (await emulatorEvents(stack, BEN)).events.filter(
      (copy): copy is EmulatorEvent & { organizer: { email: string } } => copy.id === eventId,
    );
    expect(bens).toHaveLength(1);
    expect(bens[0]!.organizer.email).toBe(ADA);
    expect(bens[0]!.hangoutLink).toBe(meetUrl);
    const invited = invitations.filter((invitation) => invitation.eventId === eventId).map((i) => i.to);
    expect(invited).toEqual(expect.arrayContaining([BEN, PAT]));

    // The console's participant page shows the interview.
    await ada.goto(studyUrl);
    await ada.getByRole('link', { name: 'Pat Doe' }).first().click();
    await ada.getByRole('heading', { level: 1, name: 'Pat Doe' }).waitFor();
    const interview = ada.getByRole('region', { name: 'Interview' });
    expect(await interview.getByRole('link', { name: meetUrl! }).count()).toBe(1);
    expect((await interview.textContent())!.replace(/\s+/g, ' ')).toContain(
      'Hosts Ada Researcher (organizer), Ben Okafor',
    );
    expect(await ada.locator('.status-label').first().textContent()).toBe('Interview Scheduled');
    await checkConsolePage(ada, 'collective-flow-participant');
  });
});
