import type { Browser } from 'playwright-core';
import { describeTimeZone } from '../../src/web/time-zone-name';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { researcherCall, studyWithParticipants } from './support/booking-fixtures';
import { checkBookingPage, offeredTimes, openBookingPage, VIEWER } from './support/booking-page';
import { launchBrowser, openPage, type WatchedPage } from './support/browser';

/**
 * The booking page follows the browser's language among English, German, French and
 * Spanish: `<html lang>`, every word of the page, dates and times by `Intl`, the time zone
 * in words; the study's own title stays exactly as the researcher wrote it.
 */

let browser: Browser;
let stack: Stack;
let researcher: SignedIn;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  researcher = await signIn(stack, 'lena@example.com', 'Lena Forscherin');
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

/** Long words where a careless stylesheet breaks them on a phone; punctuation as typed. */
const TITLE = 'Benutzerfreundlichkeit im Onlineshop: „Bezahlvorgang“ & Vertrauen (Q4)';

const LANGUAGES = [
  {
    locale: 'en-US',
    lang: 'en',
    picker: 'Choose a time',
    intro: 'Pick a time that suits you.',
    zone: 'Eastern Time — New York (GMT-05:00)',
    booked: 'Your interview is booked',
    bookedIntro: 'Your interview is booked; the details are below.',
    confirm: 'Confirm booking',
  },
  {
    locale: 'de-DE',
    lang: 'de',
    picker: 'Termin wählen',
    intro: 'Wählen Sie einen Termin, der Ihnen passt.',
    zone: 'Nordamerikanische Ostküstenzeit — New York (GMT-05:00)',
    booked: 'Ihr Interview ist gebucht',
    bookedIntro: 'Ihr Interview ist gebucht; die Einzelheiten stehen unten.',
    confirm: 'Buchung bestätigen',
  },
  {
    locale: 'fr-FR',
    lang: 'fr',
    picker: 'Choisir un créneau',
    intro: 'Choisissez un créneau qui vous convient.',
    zone: 'heure de l’Est nord-américain — New York (UTC−05:00)',
    booked: 'Votre entretien est réservé',
    bookedIntro: 'Votre entretien est réservé\u202f; les détails figurent ci-dessous.',
    confirm: 'Confirmer la réservation',
  },
  {
    locale: 'es-ES',
    lang: 'es',
    picker: 'Elija una hora',
    intro: 'Elija la hora que mejor le convenga.',
    zone: 'hora oriental — New York (GMT-05:00)',
    booked: 'Su entrevista está reservada',
    bookedIntro: 'Su entrevista está reservada; los detalles están abajo.',
    confirm: 'Confirmar la reserva',
  },
];

describe.each(LANGUAGES)('The booking page in $lang', (language) => {
  test(`When the browser asks for ${language.locale}, then the page speaks it, dates are written in it, the zone is named in words, and after booking the intro says it is booked`, async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Zoë Müller-Lüdenscheidt'], {
      title: TITLE,
    });
    const invitee = invitees[0]!;
    watched = await openBookingPage(browser, invitee.bookingUrl, { ...VIEWER, locale: language.locale });
    const { page } = watched;

    expect(await page.getAttribute('html', 'lang')).toBe(language.lang);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await page.locator('#picker-heading').textContent()).toBe(language.picker);
    expect(await page.locator('#intro-next').textContent()).toBe(language.intro);
    // December in New York: standard time, the same offset whatever day the test runs on.
    expect(await page.locator('#days-legend').textContent()).toContain(language.zone);
    expect(await page.locator('#time-zone-words').textContent()).toContain(language.zone);
    const first = (await offeredTimes(page))[0]!;
    const day = new Intl.DateTimeFormat(language.lang, {
      timeZone: 'America/New_York',
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      year: 'numeric',
    }).format(new Date(first));
    expect(await page.locator('#times-legend').textContent()).toContain(day);
    await checkBookingPage(page, `booking-page-${language.lang}-pick`);

    await page.locator('#times label').first().click();
    await page.locator('#continue-button').click();
    await checkBookingPage(page, `booking-page-${language.lang}-confirm`);
    await page.getByRole('button', { name: language.confirm }).click();
    await page.getByRole('heading', { name: language.booked }).waitFor();
    expect(await page.locator('#intro-next').textContent()).toBe(language.bookedIntro);
    await checkBookingPage(page, `booking-page-${language.lang}-booked`);

    // Opened again later: the server writes the booked intro at once, before any script.
    const answer = await fetch(invitee.bookingUrl, { headers: { 'accept-language': language.locale } });
    expect(await answer.text()).toContain(language.bookedIntro);
  });
});

test('When the browser asks for a language the page does not speak, then it is English, and Accept-Language weights are honoured', async () => {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Ola Nordmann']);
  const url = invitees[0]!.bookingUrl;
  const langOf = async (acceptLanguage: string) =>
    /<html lang="(\w+)"/.exec(
      await (await fetch(url, { headers: { 'accept-language': acceptLanguage } })).text(),
    )?.[1];
  expect(await langOf('nb-NO,nb;q=0.9')).toBe('en');
  expect(await langOf('nb-NO, fr;q=0.5, de;q=0.8')).toBe('de');
  expect(await langOf('es-MX')).toBe('es');
});

test('When a researcher re-invites a participant, then the old link says in the browser language that a new link was sent on that date, and nothing else', async () => {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Otto Altlink'], { title: TITLE });
  const invitee = invitees[0]!;
  const reinvited = await researcherCall(
    stack,
    researcher,
    'POST',
    `/api/participants/${invitee.id}/reinvite`,
  );
  expect(reinvited.status).toBe(200);
  const sentOn = new Date();

  const api = await fetch(`${stack.url}/api/booking/${invitee.token}`);
  expect(api.status).toBe(410);
  const problem = (await api.json()) as { type: string; newLinkSentAt: string };
  expect(problem.type).toMatch(/link-replaced$/);
  expect(Math.abs(Date.parse(problem.newLinkSentAt) - sentOn.getTime())).toBeLessThan(60_000);

  for (const [locale, words] of [
    ['en-US', 'A new link was sent to you by email on'],
    ['de-DE', 'wurde Ihnen ein neuer Link per E\u2011Mail geschickt'],
  ] as const) {
    watched = await openPage(browser, { ...VIEWER, locale });
    const { page } = watched;
    expect((await page.goto(invitee.bookingUrl))?.status()).toBe(410);
    const lang = locale.slice(0, 2);
    // In the study's zone: the participant never booked, so their own zone is not known.
    const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(
      sentOn,
    );
    expect(await page.locator('main p').first().textContent()).toContain(words);
    expect(await page.locator('main p').first().textContent()).toContain(date);
    const html = await page.content();
    expect(html).not.toContain('Bezahlvorgang');
    expect(html).not.toContain('Otto');
    expect(html).not.toContain('Lena');
    await checkBookingPage(page, `booking-page-replaced-link-${lang}`);
    await watched.close();
    expect(watched.problems).toEqual([]);
    watched = undefined;
  }
  // The new link works.
  const fresh = ((await reinvited.json()) as { bookingUrl: string }).bookingUrl;
  expect((await fetch(fresh)).status).toBe(200);
});

test('When a link is unknown, then its page is in the browser language too', async () => {
  const answer = await fetch(`${stack.url}/book/${'x'.repeat(43)}`, {
    headers: { 'accept-language': 'fr-FR' },
  });
  expect(answer.status).toBe(404);
  const html = await answer.text();
  expect(html).toContain('<html lang="fr">');
  expect(html).toContain('Ce lien de réservation n’est pas valide');
});

test('When the page names a time zone, then it uses the same words as the emails (describeTimeZone)', async () => {
  const { invitees } = await studyWithParticipants(stack, researcher, ['Zed Zone']);
  watched = await openBookingPage(browser, invitees[0]!.bookingUrl);
  const zones = [
    'America/New_York',
    'Europe/Berlin',
    'Asia/Kolkata',
    'America/Argentina/Buenos_Aires',
    'UTC',
    'Etc/GMT+5',
  ];
  const instants = ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'];
  const cases = LANGUAGES.flatMap(({ lang }) =>
    zones.flatMap((zone) => instants.map((at) => ({ lang, zone, at }))),
  );
  const page = await watched.page.evaluate(async (all) => {
    const { zoneInWords } = (await import('/assets/booking-time.js' as string)) as {
      zoneInWords(zone: string, at: Date, lang: string): string;
    };
    return all.map(({ lang, zone, at }) => zoneInWords(zone, new Date(at), lang));
  }, cases);
  expect(page).toEqual(cases.map(({ lang, zone, at }) => describeTimeZone(zone, new Date(at), lang).label));
});
