import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { STUDY } from './support/booking-fixtures';
import { launchBrowser, openPage, seriousAxeViolations, type WatchedPage } from './support/browser';
import { DESKTOP, PHONE, SHOTS, checkConsolePage, signInThroughEmulator } from './support/console';

/**
 * The study form's "Emails to participants" in Chromium: the researcher opens the
 * invitation's fieldset, previews their words (a mistake first, shown beside nothing saved),
 * sees subject, text and HTML with sample values, saves, and a save with a mistake comes back
 * with the error on the Body. axe-core and 360 px on the form with the preview.
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

async function createStudy(page: Page): Promise<string> {
  const created = await page.request.post(`${stack.url}/api/studies`, {
    headers: { 'content-type': 'application/json' },
    data: { ...STUDY, title: 'Checkout <interviews>' },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

describe('Email templates in the study form', () => {
  test('When a researcher writes, previews and saves their own invitation, then the preview shows it safely and the study keeps it', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'emails@example.com');
    const id = await createStudy(page);
    await page.goto(`${stack.url}/studies/${id}/edit`);

    const invitation = page.locator('details#email-invitation');
    expect(await invitation.getAttribute('open')).toBeNull();
    await invitation.locator('summary').first().click();
    const subject = page.getByLabel('Subject of the invitation email');
    const body = page.getByLabel('Body of the invitation email');
    await subject.fill('{{studyTitle}}: your slot, {{participantName}}');
    await body.fill('Hi {{participantName}},\n\n<b>Pick</b> a time here:\n\nThanks, {{researcherName}}');

    // Without the link, the preview says what to change instead.
    await page.getByRole('button', { name: 'Preview invitation email' }).click();
    await page.waitForURL(`${stack.url}/studies/${id}/email-preview#email-preview`);
    const preview = page.locator('#email-preview');
    expect(await preview.textContent()).toContain("The invitation email's body must contain {{bookingUrl}}");
    expect(await page.getByLabel('Body of the invitation email').inputValue()).toContain('<b>Pick</b>');

    await page
      .getByLabel('Body of the invitation email')
      .fill(
        'Hi {{participantName}},\n\n<b>Pick</b> a time here:\n{{bookingUrl}}\n\nThanks, {{researcherName}}',
      );
    await page.getByRole('button', { name: 'Preview invitation email' }).click();
    await page.locator('[data-preview-subject]').waitFor();
    expect(await page.locator('[data-preview-subject]').textContent()).toBe(
      'Checkout <interviews>: your slot, Alex Example',
    );
    const text = (await page.locator('[data-preview-text]').textContent()) ?? '';
    expect(text).toMatch(
      /^Hi Alex Example,\n\n<b>Pick<\/b> a time here:\nhttp:\/\/127\.0\.0\.1:\d+\/book\/SAMPLE-LINK\n\nThanks, Ada Researcher\n$/,
    );
    const htmlPart = page.locator('[data-preview-html]');
    expect(await htmlPart.locator('b').count()).toBe(0);
    expect(await htmlPart.textContent()).toContain('<b>Pick</b> a time here:');
    expect(await htmlPart.getByRole('link').getAttribute('href')).toMatch(/\/book\/SAMPLE-LINK$/);
    expect(await page.locator('details#email-invitation').getAttribute('open')).not.toBeNull();
    await checkConsolePage(page, 'study-form-email-preview');
    await page
      .locator('#email-preview')
      .screenshot({ path: `${SHOTS}/study-form-email-preview-card-1280.png` });
    await page.setViewportSize(PHONE.viewport);
    await page
      .locator('details#email-invitation')
      .screenshot({ path: `${SHOTS}/study-form-email-invitation-360.png` });
    await page.setViewportSize(DESKTOP.viewport);

    // Nothing was saved by the previews; saving keeps the words.
    const before = (await (await page.request.get(`${stack.url}/api/studies/${id}`)).json()) as {
      emailTemplates: object;
    };
    expect(before.emailTemplates).toEqual({});
    await page.getByRole('button', { name: 'Save study' }).click();
    await page.waitForURL(`${stack.url}/studies/${id}`);
    const saved = (await (await page.request.get(`${stack.url}/api/studies/${id}`)).json()) as {
      emailTemplates: Record<string, { subject: string; body: string }>;
    };
    expect(saved.emailTemplates).toEqual({
      invitation: {
        subject: '{{studyTitle}}: your slot, {{participantName}}',
        body: 'Hi {{participantName}},\n\n<b>Pick</b> a time here:\n{{bookingUrl}}\n\nThanks, {{researcherName}}',
      },
    });
  });

  test('When a researcher saves a reminder with an unknown placeholder, then the form comes back with the error on its field and nothing is saved', async () => {
    watched = await openPage(browser, DESKTOP);
    const { page } = watched;
    await signInThroughEmulator(stack, page, 'emails2@example.com');
    const id = await createStudy(page);
    await page.goto(`${stack.url}/studies/${id}/edit`);

    await page.locator('details#email-reminder summary').first().click();
    await page.getByLabel('Subject of the reminder email').fill('See you {{when}}');
    await page
      .getByLabel('Body of the reminder email')
      .fill('Move: {{rescheduleUrl}}\nCancel: {{cancelUrl}}\nStop: {{unsubscribeUrl}}');
    await page.getByRole('button', { name: 'Save study' }).click();

    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(
      "The reminder email's subject has an unknown placeholder {{when}}",
    );
    await summary.getByRole('link').first().click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('email-reminder-subject');
    expect(await seriousAxeViolations(page)).toEqual([]);
    const stored = (await (await page.request.get(`${stack.url}/api/studies/${id}`)).json()) as {
      emailTemplates: object;
    };
    expect(stored.emailTemplates).toEqual({});
  });
});
