import type { Browser } from 'playwright-core';
import { signIn, startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, PHONE, SHOTS, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * A researcher makes a study collective with a colleague through the study form: the
 * team's members with their connection state, one who never connected shown but not
 * choosable; a mistake comes back beside the Hosts fieldset; the study page's Hosts panel
 * and the studies list warn once the colleague's Google connection is revoked. Then the
 * researcher keeps hours of their own under Settings. Every page: axe-core, 1280 and 360 px.
 */

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

/** Ben (connected) and Dana (never connected Google) join the team of `email`. */
async function colleaguesOf(email: string): Promise<{ ben: string; dana: string }> {
  const { knex } = stack;
  const ben = (await signIn(stack, 'ben@example.com', 'Ben')).researcherId;
  const [dana] = await knex('researchers')
    .insert({ google_sub: 'dana-sub', email: 'dana@example.com', name: 'Dana' })
    .returning<{ id: string }[]>('id');
  const team = knex('researchers').select('team_id').where({ email });
  await knex('researchers').whereIn('id', [ben, dana!.id]).update({ team_id: team });
  return { ben, dana: dana!.id };
}

describe('Study hosts in the console', () => {
  test('When a researcher makes a new study collective with Ben, then both host it, and when Ben’s connection is revoked the study page and the list say so', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'ada@example.com');
    const { ben } = await colleaguesOf('ada@example.com');

    await page.goto(`${stack.url}/studies/new`);
    const hosts = page.getByRole('group', { name: 'Who holds the interviews' });
    await hosts.waitFor();
    expect(await hosts.getByRole('checkbox', { name: /^Ada Researcher/ }).isChecked()).toBe(true);
    const dana = hosts.getByRole('checkbox', { name: /^Dana/ });
    expect(await dana.isDisabled()).toBe(true);
    expect(await hosts.textContent()).toContain(
      'Has not connected Google Calendar: cannot be chosen until they do.',
    );

    // A mistake first: round robin with one host.
    await page.getByLabel('Title', { exact: true }).fill('Team interviews');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByRole('radio', { name: 'Round robin: one free host takes it' }).check();
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      'A round robin study needs at least two hosts',
    );
    expect(await hosts.textContent()).toContain('needs at least two hosts');
    await checkConsolePage(page, 'study-hosts-form-error');

    await hosts.getByRole('checkbox', { name: /^Ben/ }).check();
    await page.getByRole('radio', { name: 'Collective: every host attends' }).check();
    await page.getByLabel('Organizer').selectOption({ label: 'Ben' });
    await checkConsolePage(page, 'study-hosts-form');
    // The section alone, to look at beside the full pages.
    const section = page.getByRole('region', { name: 'Hosts' });
    await section.screenshot({ path: `${SHOTS}/study-hosts-section-1280.png` });
    await page.setViewportSize(PHONE.viewport);
    await section.screenshot({ path: `${SHOTS}/study-hosts-section-360.png` });
    await page.setViewportSize(DESKTOP.viewport);
    await page.getByRole('button', { name: 'Create study' }).click();

    await page.waitForURL(/\/studies\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const study = (await (await page.request.get(`${stack.url}/api/studies/${id}`)).json()) as {
      schedulingType: string;
      hosts: { researcherId: string; name: string }[];
    };
    expect(study.schedulingType).toBe('collective');
    expect(study.hosts.map((host) => host.name)).toEqual(['Ben', 'Ada Researcher']);
    expect(study.hosts[0]!.researcherId).toBe(ben);
    const panel = page.getByRole('region', { name: 'Hosts' });
    expect(await panel.textContent()).toContain('Collective: every host attends');

    await stack.knex('google_connections').where({ researcher_id: ben }).update({ state: 'revoked' });
    await page.reload();
    expect(await panel.textContent()).toContain(
      'Ben’s Google connection is revoked: Ben takes no new bookings, so this study offers no times until Ben reconnects.',
    );
    await checkConsolePage(page, 'study-hosts-panel');

    await page.goto(`${stack.url}/studies`);
    const card = page.getByRole('listitem').filter({ hasText: 'Team interviews' });
    await checkConsolePage(page, 'study-hosts-list');
    const cardText = (await card.textContent())!.replace(/\s+/g, ' ');
    expect(cardText).toContain('Collective, 2 hosts');
    expect(cardText).toContain('1 host takes no bookings');

    // Ben stays a host while revoked: the edit form keeps him ticked and saves unchanged.
    await page.goto(`${stack.url}/studies/${id}/edit`);
    expect(await hosts.getByRole('checkbox', { name: /^Ben/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save study' }).click();
    await page.waitForURL(`${stack.url}/studies/${id}`);
    expect(
      await stack.knex('study_hosts').where({ study_id: id }).orderBy('position').pluck('researcher_id'),
    ).toEqual([ben, study.hosts[1]!.researcherId]);
  });

  test('When a researcher saves their own hours under Settings, then the API reads them back', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'hours@example.com');
    await page.goto(`${stack.url}/settings`);
    await page.getByRole('link', { name: 'Your hours' }).click();
    await page.waitForURL(`${stack.url}/settings/hours`);
    await page.getByRole('button', { name: 'Add time range on Monday' }).waitFor();
    await checkConsolePage(page, 'host-hours');

    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByRole('alert').waitFor();
    await checkConsolePage(page, 'host-hours-error');

    await page.getByLabel('Time zone').fill('Asia/Tokyo');
    await page.locator('[name="weekly[mon][0][end]"]').fill('12:00');
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.waitForURL(`${stack.url}/settings/hours`);
    expect(await page.getByRole('status').textContent()).toContain('Your hours are saved');
    const answer = (await (await page.request.get(`${stack.url}/api/me/hours`)).json()) as {
      hours: { timeZone: string; availability: { weekly: Record<string, unknown> } };
    };
    expect(answer.hours.timeZone).toBe('Asia/Tokyo');
    expect(answer.hours.availability.weekly.mon).toEqual([{ start: '09:00', end: '12:00' }]);
  });
});
