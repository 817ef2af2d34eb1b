import type { Browser } from 'playwright-core';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import {
  bookThroughApi,
  freeSlots,
  researcherCall,
  studyWithParticipants,
  type Invitee,
} from './support/booking-fixtures';
import {
  checkBookingPage,
  focusedId,
  messageIn,
  offeredTimes,
  openBookingPage,
  VIEWER,
} from './support/booking-page';
import { launchBrowser, type WatchedPage } from './support/browser';

/**
 * The links in the confirmation and reminder emails open the page at a step
 * (`?step=reschedule`, `?step=cancel`), and a study that asks for consent gets it before
 * the booking is confirmed.
 */

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  researcher = await signIn(stack, 'stefan@example.com', 'Stefan Steps');
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

async function bookedInvitee(name: string): Promise<{ invitee: Invitee; start: string }> {
  const { invitees } = await studyWithParticipants(stack, researcher, [name]);
  const invitee = invitees[0]!;
  const start = (await freeSlots(stack, invitee))[0]!.start;
  expect((await bookThroughApi(stack, invitee, start)).status).toBe(201);
  return { invitee, start };
}

describe('Steps from the emails', () => {
  test('When the participant follows the Reschedule link, then the page opens at choosing a new time for the current booking', async () => {
    const { invitee, start } = await bookedInvitee('Rea Schedule');
    watched = await openBookingPage(browser, `${invitee.bookingUrl}?step=reschedule`);
    const { page } = watched;

    await page.locator('#picker:not([hidden]):not([aria-busy])').waitFor();
    expect(await page.locator('#picker-heading').textContent()).toBe('Choose a new time');
    expect(await focusedId(page)).toBe('picker-heading');
    expect(await page.locator('#booking').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Keep my current time' }).isVisible()).toBe(true);
    expect(await offeredTimes(page)).not.toHaveLength(0);
    // Taken out of the address: a reload shows the page as it is.
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('#booking-when').textContent()).toContain(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        minute: '2-digit',
      }).format(new Date(start)),
    );
    await checkBookingPage(page, 'booking-page-step-reschedule');
  });

  test('When the participant follows the Cancel link, then the page opens at the cancel confirmation and Yes cancels', async () => {
    const { invitee } = await bookedInvitee('Can Cell');
    watched = await openBookingPage(browser, `${invitee.bookingUrl}?step=cancel`, {
      ...VIEWER,
      locale: 'de-DE',
    });
    const { page } = watched;

    await page.locator('#cancel-confirm:not([hidden])').waitFor();
    expect(await page.locator('#cancel-question').textContent()).toBe(
      'Dieses Interview absagen? Der Termin wird wieder freigegeben.',
    );
    expect(await focusedId(page)).toBe('cancel-no');
    await checkBookingPage(page, 'booking-page-step-cancel-de');

    await page.getByRole('button', { name: 'Ja, absagen' }).click();
    expect(await messageIn(page, 'status')).toContain('Ihr Interview ist abgesagt');
    await page.locator('#picker:not([hidden])').waitFor();
    expect(await page.locator('#cancelled-why').textContent()).toMatch(
      /^Sie haben Ihr Interview am .+ abgesagt\.$/,
    );
    expect(await page.locator('#intro-next').textContent()).toBe('Ihr Interview wurde abgesagt.');
  });

  test.each(['reschedule', 'cancel'])(
    'When a participant without a booking follows a %s link, then the normal page opens with a short note',
    async (step) => {
      const { invitees } = await studyWithParticipants(stack, researcher, ['No Booking']);
      watched = await openBookingPage(browser, `${invitees[0]!.bookingUrl}?step=${step}`);
      const { page } = watched;

      expect(await messageIn(page, 'status')).toBe(
        'You have no interview booked, so there is nothing to move or cancel. You can pick a time below.',
      );
      expect(await page.locator('#picker-heading').textContent()).toBe('Choose a time');
      expect(await page.locator('#booking').isHidden()).toBe(true);
      expect(await page.locator('#intro-next').textContent()).toBe('Pick a time that suits you.');
    },
  );
});

/** Consent, end to end: the study's text through the real API, the page, and what is stored. */
describe('Consent', () => {
  const CONSENT_V1 = 'We record the call.\nThe recording is deleted after 30 days.';
  const CONSENT_V2 = 'We record the call.\nThe recording is deleted after 14 days.';

  test('When the study asks for consent, then the box must be ticked, the answer carries it, a text changed meanwhile is shown again to agree to, and the researcher sees what was agreed', async () => {
    const { studyId, invitees } = await studyWithParticipants(stack, researcher, ['Connie Sent'], {
      consentRequired: true,
      consentText: CONSENT_V1,
    });
    const invitee = invitees[0]!;
    const apiPath = `/api/booking/${invitee.token}`;
    const posts: unknown[] = [];
    watched = await openBookingPage(browser, invitee.bookingUrl, { ...VIEWER, locale: 'de-DE' });
    const { page } = watched;
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === apiPath) {
        posts.push(request.postDataJSON());
      }
    });
    await page.locator('#picker:not([hidden]):not([aria-busy])').waitFor();
    await page.locator('#times label').first().click();
    const start = (await offeredTimes(page))[0]!;
    await page.getByRole('button', { name: 'Weiter' }).click();

    expect(await page.locator('#consent-text').textContent()).toBe(CONSENT_V1);
    const agree = page.getByRole('checkbox', { name: 'Ich stimme dem obigen Text zu.' });
    expect(await agree.isChecked()).toBe(false);
    expect(await agree.getAttribute('required')).not.toBeNull();
    await checkBookingPage(page, 'booking-page-consent-de');

    // Not ticked: nothing is sent, the box says why and has the focus.
    await page.getByRole('button', { name: 'Buchung bestätigen' }).click();
    expect(await page.locator('#consent-error').textContent()).toBe(
      'Bitte setzen Sie das Häkchen, um zuzustimmen, bevor Sie bestätigen.',
    );
    expect(await agree.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('consent-agree');
    expect(posts).toHaveLength(0);
    await checkBookingPage(page, 'booking-page-consent-missing-de');

    // Ticked, but the researcher changed the text meanwhile: the new text, unticked.
    await agree.check();
    const changed = await researcherCall(stack, researcher, 'PATCH', `/api/studies/${studyId}`, {
      consentText: CONSENT_V2,
    });
    expect(changed.status).toBe(200);
    await page.getByRole('button', { name: 'Buchung bestätigen' }).click();
    await page.waitForFunction(
      (text) => document.getElementById('consent-text')?.textContent === text,
      CONSENT_V2,
    );
    expect(await agree.isChecked()).toBe(false);
    expect(await page.locator('#consent-error').textContent()).toContain('Der Text hat sich geändert');
    expect(posts).toEqual([{ start, timeZone: 'America/New_York', consent: { version: 1, accepted: true } }]);

    await agree.check();
    await page.getByRole('button', { name: 'Buchung bestätigen' }).click();
    await page.getByRole('heading', { name: 'Ihr Interview ist gebucht' }).waitFor();
    expect(posts.at(-1)).toEqual({
      start,
      timeZone: 'America/New_York',
      consent: { version: 2, accepted: true },
    });
    expect(watched.failedRequests).toEqual([`409 ${apiPath}`]);

    const participant = await researcherCall(stack, researcher, 'GET', `/api/participants/${invitee.id}`);
    expect((await participant.json()).consent).toMatchObject({ version: 2, text: CONSENT_V2 });
  });

  test('When the study asks for no consent, then there is no box and the answer carries no consent', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Nora Consent']);
    watched = await openBookingPage(browser, invitees[0]!.bookingUrl);
    const { page } = watched;
    await page.locator('#times label').first().click();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('#consent').isHidden()).toBe(true);
    const posted = page.waitForRequest((request) => request.method() === 'POST');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    expect((await posted).postDataJSON()).not.toHaveProperty('consent');
    await page.getByRole('heading', { name: 'Your interview is booked' }).waitFor();
  });
});
