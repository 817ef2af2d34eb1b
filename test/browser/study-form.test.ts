import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';
import { DESKTOP, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * A researcher creates a study through the form: Title and the rest typed, a second time
 * range added on Monday with the button, saved, and lands on the study page; a mistake
 * comes back with the error summary. Every page is checked with axe-core and at 360 px.
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

describe('The study form in a browser', () => {
  test('When a researcher fills New study and adds a second Monday range with the button, then the study is saved with both and the study page says so', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'form@example.com');
    await page.goto(`${stack.url}/studies`);
    await page.getByRole('link', { name: 'New study', exact: true }).click();
    await page.waitForURL(`${stack.url}/studies/new`);
    const addMonday = page.getByRole('button', { name: 'Add time range on Monday' });
    await addMonday.waitFor();
    await checkConsolePage(page, 'study-form-new');

    // A mistake first: no title. The preview already follows what is typed.
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page
      .locator('[data-preview-part]')
      .getByText('As typed (not saved yet), in Europe/Berlin')
      .waitFor();
    expect(await page.locator('[data-preview-part] dl.slot-preview dt').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('A study needs a title');
    await checkConsolePage(page, 'study-form-error');

    await page.getByLabel('Title', { exact: true }).fill('Checkout interviews');
    await page.getByLabel('Interview length (minutes)').fill('30');
    await page.getByRole('button', { name: 'Add time range on Monday' }).click();
    // The new row has the focus and is Monday's second.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe(
      'weekly[mon][1][start]',
    );
    await page.locator('[name="weekly[mon][0][end]"]').fill('12:00');
    await page.locator('[name="weekly[mon][1][start]"]').fill('13:00');
    await page.locator('[name="weekly[mon][1][end]"]').fill('17:00');
    await page
      .getByRole('button', { name: 'Remove this Saturday time range' })
      .count()
      .then((n) => expect(n).toBe(0));
    await page.getByRole('button', { name: 'Remove this Friday time range' }).click();
    await page.getByRole('button', { name: 'Create study' }).click();

    await page.waitForURL(/\/studies\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('status').textContent()).toContain('Study created');
    const id = page.url().split('/').pop()!;
    const study = (await (await page.request.get(`${stack.url}/api/studies/${id}`)).json()) as {
      title: string;
      availability: { weekly: Record<string, unknown> };
    };
    expect(study.title).toBe('Checkout interviews');
    expect(study.availability.weekly.mon).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(study.availability.weekly.fri).toBeUndefined();

    await page.getByRole('link', { name: 'Edit study' }).click();
    await page.waitForURL(`${stack.url}/studies/${id}/edit`);
    await checkConsolePage(page, 'study-form-edit');
  });

  test('When settings change on the edit form, then the slot preview follows before saving, and says so', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'preview-form@example.com');
    const weekly = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
        day,
        [{ start: '09:00', end: '10:00' }],
      ]),
    );
    const created = await page.request.post(`${stack.url}/api/studies`, {
      data: {
        title: 'Preview study',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        availability: { weekly },
      },
    });
    const id = ((await created.json()) as { id: string }).id;
    await page.goto(`${stack.url}/studies/${id}/edit`);
    const preview = page.locator('[data-preview-part]');
    expect(await preview.textContent()).toContain('As saved');
    expect(await preview.locator('dd', { hasText: '09:30' }).count()).toBeGreaterThan(0);

    await page.getByLabel('Interview length (minutes)').fill('60');

    await preview.getByText('As typed (not saved yet)').waitFor();
    expect(await preview.locator('dd', { hasText: '09:30' }).count()).toBe(0);
    expect(await page.locator('[data-preview-status]').textContent()).toMatch(/^Preview updated: /);
    await page.getByLabel('Time zone').fill('Nowhere/Special');
    await preview.getByText('The preview shows once the settings are complete').waitFor();
    await checkConsolePage(page, 'study-form-preview');
    const saved = (await (await page.request.get(`${stack.url}/api/studies/${id}`)).json()) as {
      durationMinutes: number;
    };
    expect(saved.durationMinutes).toBe(30);
  });
});
