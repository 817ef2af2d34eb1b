import type { Browser, Page } from 'playwright-core';
import { signIn, startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * Issue 15 in the console: a logged interview on the participant page has Edit (the log
 * form, prefilled) and Delete (a confirmation page saying what happens to the status). Each
 * state passes axe-core at 1280 and 360 px and is photographed.
 */

const ZONE = 'Europe/Berlin';
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

const HOUR_MS = 3_600_000;

/** A participant with one interview logged (Completed, yesterday) through the API, with the page's session. */
async function participantWithLogged(
  page: Page,
  name: string,
): Promise<{ participantId: string; start: Date }> {
  const hours = [{ start: '09:00', end: '17:00' }];
  const study = await page.request.post(`${stack.url}/api/studies`, {
    data: {
      title: 'Checkout redesign',
      durationMinutes: 30,
      timeZone: ZONE,
      availability: { weekly: { mon: hours } },
    },
  });
  const { id } = (await study.json()) as { id: string };
  const added = await page.request.post(`${stack.url}/api/studies/${id}/participants`, {
    data: { participants: [{ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }] },
  });
  const participantId = ((await added.json()) as { participants: { id: string }[] }).participants[0]!.id;
  // Whole minutes, a day ago: what the form shows is what was logged.
  const start = new Date(Math.floor((Date.now() - 26 * HOUR_MS) / 60_000) * 60_000);
  const logged = await page.request.post(`${stack.url}/api/participants/${participantId}/logged-interview`, {
    data: {
      start: start.toISOString(),
      end: new Date(start.getTime() + 45 * 60_000).toISOString(),
      status: 'completed',
      note: 'Lab session',
    },
  });
  expect(logged.status()).toBe(201);
  return { participantId, start };
}

async function submit(page: Page, button: string): Promise<number> {
  const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
  await page.getByRole('button', { name: button, exact: true }).click();
  const status = (await response).status();
  await page.waitForLoadState('load');
  return status;
}

describe('Edit and Delete of a logged interview on the participant page', () => {
  test('When the researcher edits a logged interview, then the form is prefilled, a future time is refused at its field, and the saved outcome becomes the status and shows in the timeline and past interviews', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'edit-logged@example.com');
    const { participantId } = await participantWithLogged(page, 'Lena Lab');
    // A colleague in the researcher's team, who held the interview in fact.
    const me = await stack
      .knex('researchers')
      .where({ email: 'edit-logged@example.com' })
      .first('id', 'team_id');
    const ben = await signIn(stack, 'ben.okafor@example.com', 'Ben Okafor');
    await stack.knex('researchers').where({ id: ben.researcherId }).update({ team_id: me.team_id });

    await page.goto(`${stack.url}/participants/${participantId}`);
    const edit = page.getByRole('link', { name: /^Edit logged interview of / });
    expect(await edit.count()).toBe(1);
    expect(await page.getByRole('link', { name: /^Delete logged interview of / }).count()).toBe(1);
    await checkConsolePage(page, 'logged-participant');
    await edit.click();
    await page.getByRole('heading', { level: 1, name: 'Edit logged interview' }).waitFor();
    expect(await page.getByLabel('Duration in minutes').inputValue()).toBe('45');
    expect(await page.getByLabel('Note').inputValue()).toBe('Lab session');
    expect(await page.getByLabel('Completed').isChecked()).toBe(true);
    expect(await page.getByLabel('Host').inputValue()).toBe(me.id);
    await checkConsolePage(page, 'logged-edit');

    const tomorrow = new Date(Date.now() + 26 * HOUR_MS).toISOString().slice(0, 10);
    const date = await page.getByLabel('Date', { exact: true }).inputValue();
    await page.getByLabel('Date', { exact: true }).fill(tomorrow);
    expect(await submit(page, 'Save changes')).toBe(400);
    expect(
      await page.getByRole('link', { name: 'A logged interview must have started in the past.' }).count(),
    ).toBe(1);
    await checkConsolePage(page, 'logged-edit-error');

    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.getByLabel('Duration in minutes').fill('60');
    await page.getByLabel('No Show').check();
    await page.getByLabel('Note').fill('Did not come to the lab');
    await page.getByLabel('Host').selectOption({ label: 'Ben Okafor' });
    expect(await submit(page, 'Save changes')).toBe(303);
    await page
      .getByRole('status')
      .getByText("Logged interview saved. The participant's status is now No Show.")
      .waitFor();
    expect(await page.locator('.status-label').first().textContent()).toBe('No Show');
    const loggedList = (await page.locator('.logged-interviews').innerText()).replace(/\s+/g, ' ');
    expect(loggedList).toContain('Did not come to the lab');
    expect(loggedList).toMatch(/: No Show · held by Ben Okafor/);
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Logged interview edited by');
    expect(timeline).toContain('status Completed → No Show');
    await checkConsolePage(page, 'logged-edit-done');

    await page.goto(`${stack.url}/interviews/past`);
    expect(await page.getByText('(held elsewhere, logged)').count()).toBe(1);
    expect(await page.getByText('Held by Ben Okafor').count()).toBe(1);
    await checkConsolePage(page, 'logged-past-host');
  });

  test('When the researcher deletes a logged interview, then a confirmation page says the status goes back, Keep it changes nothing, and confirming removes it everywhere', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'delete-logged@example.com');
    const { participantId } = await participantWithLogged(page, 'Dora Deleted');

    await page.goto(`${stack.url}/participants/${participantId}`);
    await page.getByRole('link', { name: /^Delete logged interview of / }).click();
    await page.getByRole('heading', { level: 1, name: 'Delete logged interview?' }).waitFor();
    expect((await page.locator('main').innerText()).replace(/\s+/g, ' ')).toContain(
      "Dora Deleted's status goes back from Completed to Invited",
    );
    await checkConsolePage(page, 'logged-delete');

    await page.getByRole('link', { name: 'Keep it' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dora Deleted' }).waitFor();
    expect(await page.locator('.status-label').first().textContent()).toBe('Completed');

    await page.getByRole('link', { name: /^Delete logged interview of / }).click();
    expect(await submit(page, 'Delete logged interview')).toBe(303);
    await page
      .getByRole('status')
      .getByText(
        "Logged interview deleted. The participant's status is back to Invited, as before this interview was logged.",
      )
      .waitFor();
    expect(await page.locator('.status-label').first().textContent()).toBe('Invited');
    expect(await page.locator('.logged-interviews').count()).toBe(0);
    expect(await page.locator('.timeline').textContent()).toContain('Logged interview deleted by');
    await checkConsolePage(page, 'logged-delete-done');

    await page.goto(`${stack.url}/interviews/past`);
    expect(await page.getByText('(held elsewhere, logged)').count()).toBe(0);
  });

  test('When the interview was edited in another tab after the delete page was opened, then deleting is refused and the page shows it as it is now', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'stale-logged@example.com');
    const { participantId } = await participantWithLogged(page, 'Sam Stale');
    await page.goto(`${stack.url}/participants/${participantId}`);
    await page.getByRole('link', { name: /^Delete logged interview of / }).click();
    await page.getByRole('heading', { level: 1, name: 'Delete logged interview?' }).waitFor();
    const list = await page.request.get(`${stack.url}/api/participants/${participantId}/logged-interviews`);
    const [logged] = ((await list.json()) as { loggedInterviews: { id: string }[] }).loggedInterviews;
    const patched = await page.request.patch(
      `${stack.url}/api/participants/${participantId}/logged-interviews/${logged!.id}`,
      {
        data: { status: 'no_show' },
      },
    );
    expect(patched.status()).toBe(200);

    expect(await submit(page, 'Delete logged interview')).toBe(409);

    expect(
      await page
        .getByRole('link', { name: /Someone changed this logged interview after you opened this page/ })
        .count(),
    ).toBe(1);
    expect(await page.locator('main dl').textContent()).toContain('No Show');
    await checkConsolePage(page, 'logged-delete-stale');
  });
});
