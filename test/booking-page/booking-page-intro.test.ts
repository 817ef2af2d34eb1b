import { renderBookingPage, type BookingPageView } from '../../src/booking-page/booking-page-html';
import { CATALOGUES, type Language } from '../../src/booking-page/strings';

/** The booking page's intro names whom the participant will talk with. */
function intro(language: Language, hostNames: readonly string[]): string {
  const view: BookingPageView = {
    studyTitle: 'Checkout',
    durationMinutes: 45,
    researcherName: 'Ada Lovelace',
    hostNames,
    participantName: 'Pat',
    apiPath: '/api/booking/token',
    intro: 'pick',
    language,
    strings: CATALOGUES[language],
  };
  const page = renderBookingPage(view, { stylesheet: '/assets/booking.css' });
  const paragraph = /<p class="intro">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
  return paragraph.replace(/\s+/g, ' ').trim();
}

describe('The booking page intro', () => {
  test('When the study has one host, then the intro names the researcher', () => {
    expect(intro('en', [])).toContain(
      'Ada Lovelace would like to talk with you for <strong>45 minutes</strong>',
    );
  });

  test('When a collective study has several hosts, then the intro names every one, in the page’s language and grammar', () => {
    expect(intro('en', ['Ada Lovelace', 'Ben <b>Okafor</b>', 'Cy'])).toContain(
      'Ada Lovelace, Ben &lt;b&gt;Okafor&lt;/b&gt;, and Cy would like to talk with you',
    );
    expect(intro('de', ['Ada', 'Ben'])).toContain('Ada und Ben möchten gern');
    expect(intro('fr', ['Ada', 'Ben'])).toContain('Ada et Ben aimeraient s’entretenir');
    expect(intro('es', ['Ada', 'Ben'])).toContain('Ada y Ben quieren hablar');
  });
});
