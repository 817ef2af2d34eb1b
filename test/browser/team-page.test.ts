import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import {
  hasHorizontalScroll,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  type WatchedPage,
} from './support/browser';
import { DESKTOP, PHONE, SHOTS, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * Issue 15 in the console: a researcher invites a colleague from the Team page; the colleague
 * opens the link from the email, signs in with Google (the emulator) and lands on the team;
 * the researcher revokes an invitation and removes a member after a confirmation. The team
 * page and the public join page pass axe-core at 1280 and 360 px and are photographed.
 */

// Two people, two sign-ins with Google and eight pages checked at two widths.
jest.setTimeout(120_000);

let browser: Browser;
let stack: Stack;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});
afterEach(async () => {
  const pages = opened.splice(0);
  for (const seen of pages) await seen.close();
  for (const seen of pages) expect(seen.problems).toEqual([]);
});

async function open(): Promise<Page> {
  const watched = await openPage(browser, DESKTOP);
  opened.push(watched);
  return watched.page;
}

/** The link of the invitation email the development mailbox received for `email`. */
async function linkInMailbox(email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await stack
      .knex('dev_mailbox')
      .where({ to_email: email })
      .orderBy('id', 'desc')
      .first<{ text_body: string } | undefined>('text_body');
    const link = row ? /http\S+\/join\/\S+/.exec(row.text_body)?.[0] : undefined;
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no invitation email for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function submit(page: Page, button: string): Promise<number> {
  const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
  await page.getByRole('button', { name: button, exact: true }).click();
  const status = (await response).status();
  await page.waitForLoadState('load');
  return status;
}

/** A public page (no console layout): axe at both widths, no sideways scrolling, photographed. */
async function checkPublicPage(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize(PHONE.viewport);
  expect(await hasHorizontalScroll(page)).toBe(false);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/${name}-360.png`, fullPage: true });
  await page.setViewportSize(DESKTOP.viewport);
}

describe('The Team page and joining through an invitation', () => {
  test('When a researcher invites a colleague, then the colleague opens the link, signs in with Google and sees the team; the researcher sees them as a connected member', async () => {
    const ada = await open();
    await signInThroughEmulator(stack, ada, 'ada@example.com');
    await ada.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Team' }).click();
    await ada.getByRole('heading', { level: 1, name: "Ada Researcher's team" }).waitFor();
    await checkConsolePage(ada, 'team-alone');

    await ada.getByLabel('Team name').fill('Research Ops');
    expect(await submit(ada, 'Rename team')).toBe(303);
    await ada.getByRole('heading', { level: 1, name: 'Research Ops' }).waitFor();

    await ada.getByRole('textbox', { name: 'Email address' }).fill('not an address');
    expect(await submit(ada, 'Invite colleague')).toBe(400);
    await ada
      .getByRole('alert')
      .getByRole('link', { name: 'Enter an email address like name@example.com' })
      .waitFor();
    await checkConsolePage(ada, 'team-invite-error');

    await ada.getByRole('textbox', { name: 'Email address' }).fill('ben@example.com');
    expect(await submit(ada, 'Invite colleague')).toBe(303);
    await ada.getByRole('status').getByText('Invitation sent to ben@example.com').waitFor();
    await ada.getByRole('button', { name: 'Revoke invitation for ben@example.com' }).waitFor();
    await checkConsolePage(ada, 'team-invited');

    const link = await linkInMailbox('ben@example.com');
    const ben = await open();
    await ben.goto(link);
    await ben
      .getByRole('heading', {
        level: 1,
        name: 'Ada Researcher invited you to join Research Ops on Interview scheduler',
      })
      .waitFor();
    await checkPublicPage(ben, 'join-page');
    await ben.getByRole('link', { name: 'Sign in with Google to join' }).click();
    await ben.waitForURL(`${stack.url}/team`);
    await ben.getByRole('heading', { level: 1, name: 'Research Ops' }).waitFor();
    await ben.getByRole('status').getByText('Welcome to Research Ops.').waitFor();
    await checkConsolePage(ben, 'team-joined');

    await ada.reload();
    const members = ada.getByRole('region', { name: 'Members' });
    await members.getByText('ben@example.com').waitFor();
    expect(await members.getByText('connected', { exact: true }).count()).toBe(2);
    expect(await ada.getByRole('button', { name: 'Revoke invitation for ben@example.com' }).count()).toBe(0);
  });

  test('When the researcher revokes an invitation, then its link shows what happened and whom to ask', async () => {
    const ada = await open();
    await signInThroughEmulator(stack, ada, 'ada@example.com');
    await ada.goto(`${stack.url}/team`);
    await ada.getByRole('textbox', { name: 'Email address' }).fill('carl@example.com');
    expect(await submit(ada, 'Invite colleague')).toBe(303);
    const link = await linkInMailbox('carl@example.com');

    expect(await submit(ada, 'Revoke invitation for carl@example.com')).toBe(303);
    await ada.getByRole('status').getByText('Invitation for carl@example.com revoked').waitFor();

    const carl = await open();
    const answer = await carl.goto(link);
    expect(answer?.status()).toBe(410);
    await carl.getByRole('heading', { level: 1, name: 'This invitation was withdrawn' }).waitFor();
    await carl.getByText('ask Ada Researcher (ada@example.com) to invite you again').waitFor();
    await checkPublicPage(carl, 'join-revoked');
  });

  test('When the researcher removes a colleague, then a confirmation says what happens, and afterwards the colleague is gone from the team', async () => {
    const ada = await open();
    await signInThroughEmulator(stack, ada, 'ada@example.com');
    await ada.goto(`${stack.url}/team`);
    await ada.getByRole('link', { name: /^Remove Ben from the team$/ }).click();
    await ada.getByRole('heading', { level: 1, name: 'Remove Ben from the team?' }).waitFor();
    await ada.getByText('Their upcoming interviews stay as they are on their Google Calendar.').waitFor();
    await checkConsolePage(ada, 'team-remove-confirm');

    expect(await submit(ada, 'Remove Ben from the team')).toBe(303);
    await ada.getByRole('status').getByText('Ben was removed from the team.').waitFor();
    expect(await ada.getByRole('region', { name: 'Members' }).getByText('ben@example.com').count()).toBe(0);
    await checkConsolePage(ada, 'team-after-remove');
  });
});
