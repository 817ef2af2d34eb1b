import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-test-server';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import {
  bookThroughApi,
  freeSlots,
  researcherCall,
  studyWithParticipants,
  type Invitee,
} from './support/booking-fixtures';
import {
  hasHorizontalScroll,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';

/**
 * The participant page's Timeline in real Chromium: a participant whose invitation the mail
 * server refused, who booked, whose interview was moved in Google Calendar, who answered
 * Maybe and then Yes, whose event got a location, and who did not show up. Read at 1280 and
 * 360 px with axe-core; the Yes arrives while the page is open (live update).
 */

const SCREENSHOTS = 'test-results/screenshots';

let browser: Browser;
let stack: Stack;
let smtp: TestSmtpServer;
let rita: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  smtp = await startSmtpServer();
  smtp.answer = () => ({ accept: false, code: 550, message: '5.1.1 Mailbox unavailable' });
  [browser, stack] = await Promise.all([launchBrowser(), startStack({ env: { SMTP_URL: smtp.url } })]);
  rita = await signIn(stack, 'rita.timeline@example.com', 'Rita Researcher');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await smtp?.close();
});
afterEach(async () => {
  const seen = watched;
  watched = undefined;
  if (!seen) return;
  await seen.close();
  expect(seen.problems).toEqual([]);
});

async function timelineKinds(invitee: Invitee): Promise<string[]> {
  const answer = await researcherCall(stack, rita, 'GET', `/api/participants/${invitee.id}/timeline`);
  return ((await answer.json()) as { items: { kind: string; details: { to?: unknown } }[] }).items.map(
    (item) => (item.kind === 'rsvp' ? `rsvp:${String(item.details.to)}` : item.kind),
  );
}

async function asGoogleUser(path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${stack.emulatorUrl}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status >= 400) throw new Error(`emulator ${path}: ${answer.status}`);
}

async function openSignedIn(path: string, viewport: { width: number; height: number }): Promise<Page> {
  watched = await openPage(browser, { viewport });
  const { page } = watched;
  await page.goto(`${stack.url}${path}`);
  await page.getByRole('link', { name: 'Connect with Google' }).click();
  await page.getByRole('button', { name: /Continue as Rita Researcher/ }).click();
  await page.waitForURL(`${stack.url}${path}`);
  await page.locator('#actions-button:not([hidden])').waitFor();
  return page;
}

describe("The participant page's timeline", () => {
  test('When a participant has been through a whole story, then the Timeline lists it newest first, readable and accessible at 1280 and 360 px, and a new answer appears without a reload', async () => {
    const tara = (await studyWithParticipants(stack, rita, ['Tara Timeline'])).invitees[0]!;
    await eventually(async () => (await timelineKinds(tara)).includes('email'), 10_000);
    await eventually(async () => {
      const items = await researcherCall(stack, rita, 'GET', `/api/participants/${tara.id}/timeline`);
      const body = (await items.json()) as { items: { details: { state?: string } }[] };
      return body.items.some((item) => item.details.state === 'failed');
    }, 10_000);
    const slot = (await freeSlots(stack, tara))[4]!;
    expect((await bookThroughApi(stack, tara, slot.start)).status).toBe(201);
    const { google_event_id: eventId } = await stack
      .knex('bookings')
      .where({ participant_id: tara.id })
      .first('google_event_id');
    const eventPath = (action: string) =>
      `/calendars/${encodeURIComponent(rita.email)}/events/${eventId}/${action}`;
    await stack.emulator.pushSettled();

    // Moved to an hour that has passed, so a verdict can be recorded.
    const movedStart = new Date(Date.now() - 3 * 3600_000);
    movedStart.setUTCMinutes(0, 0, 0);
    await asGoogleUser(eventPath('move'), {
      start: movedStart.toISOString(),
      end: new Date(movedStart.getTime() + 30 * 60_000).toISOString(),
    });
    await eventually(async () => (await timelineKinds(tara)).includes('moved'), 10_000);
    await stack.features.access.withCalendar(rita.researcherId, ({ client }) =>
      client.patchEvent(rita.email, eventId, { location: 'Lab room 2' }, { sendUpdates: 'all' }),
    );
    await eventually(async () => (await timelineKinds(tara)).includes('event_changed'), 10_000);
    await asGoogleUser(eventPath('respond'), { email: tara.email, responseStatus: 'tentative' });
    await eventually(async () => (await timelineKinds(tara)).includes('rsvp:tentative'), 10_000);
    const verdict = await researcherCall(stack, rita, 'POST', `/api/participants/${tara.id}/status`, {
      status: 'no_show',
      reason: 'Did not join the call',
    });
    expect(verdict.status).toBe(200);
    // Every email to Tara is refused: the invitation, and the booking's confirmation once its
    // attempt is over.
    const emails = await eventually(async () => {
      const rows = await stack
        .knex('email_outbox')
        .where({ participant_id: tara.id })
        .select('kind', 'state');
      return rows.length >= 2 && rows.every((row) => row.state !== 'pending') ? rows : undefined;
    }, 15_000);
    expect(emails.map((row) => `${row.kind} ${row.state}`).sort()).toEqual([
      'confirmation failed',
      'invitation failed',
    ]);

    const page = await openSignedIn(`/participants/${tara.id}`, { width: 1280, height: 900 });
    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
    const entries = timeline.getByRole('listitem');
    await expect(entries.first().textContent()).resolves.toMatch(
      /Status changed: Interview Scheduled → No Show, by Rita Researcher[\s\S]*Reason: Did not join the call/,
    );
    const text = (await timeline.textContent()) ?? '';
    expect(text).toMatch(/Interview moved by Google Calendar: .+\(Europe\/Berlin\) → .+\(Europe\/Berlin\)/);
    expect(text).toContain('Invitation email failed after 1 attempt');
    expect(text).toContain('Mailbox unavailable');
    expect(text).toContain('The participant answered Maybe (tentative) in Google Calendar');
    expect(text).toContain("The event's location changed in Google Calendar: none → “Lab room 2”");
    expect(text).toContain('Invited to the study');
    expect(await page.locator('.timeline .email-failed').count()).toBe(2);

    // The participant says Yes while the researcher looks: the page updates by itself.
    await asGoogleUser(eventPath('respond'), { email: tara.email, responseStatus: 'accepted' });
    await timeline.getByText('The participant answered Yes (accepted) again in Google Calendar').waitFor();
    expect(await entries.first().textContent()).toContain('Yes (accepted) again');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/participant-timeline-1280.png`, fullPage: true });
    await watched?.close();
    watched = undefined;

    const phone = await openSignedIn(`/participants/${tara.id}`, { width: 360, height: 740 });
    await phone.getByRole('heading', { name: 'Timeline', exact: true }).scrollIntoViewIfNeeded();
    expect(await seriousAxeViolations(phone)).toEqual([]);
    expect(await hasHorizontalScroll(phone)).toBe(false);
    await phone.screenshot({ path: `${SCREENSHOTS}/participant-timeline-360.png`, fullPage: true });
  });
});
