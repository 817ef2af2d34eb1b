import { html, jsonScriptContent, type SafeHtml } from '../web/html';
import { renderDocument, type DocumentAssets } from '../web/page-document';
import { fill, type BookingStrings, type Language } from './strings';

/** What the intro's last sentence says: it follows the booking (the script keeps it true). */
export type IntroState = 'pick' | 'booked' | 'pending' | 'cancelled' | 'locked';

export interface BookingPageView {
  /** The study's own words, exactly as the researcher wrote them (never translated). */
  studyTitle: string;
  durationMinutes: number;
  /** Who would like to talk (see `hostsNamedToParticipant`): a host, or a round robin's team. */
  researcherName: string;
  /** Everyone who attends, organizer first, when several do (a collective study); else one or none. */
  hostNames?: readonly string[];
  participantName: string;
  /** Where the page script reaches the booking API, e.g. `/api/booking/<token>`. */
  apiPath: string;
  intro: IntroState;
  language: Language;
  strings: BookingStrings;
}

const INTRO_KEYS = {
  pick: 'introPick',
  booked: 'introBooked',
  pending: 'introPending',
  cancelled: 'introCancelled',
  locked: 'introLocked',
} as const satisfies Record<IntroState, keyof BookingStrings>;

/** A catalogue string with markup in some of its `{placeholders}`; the rest is escaped text. */
function fillHtml(template: string, values: Readonly<Record<string, string | SafeHtml>>): SafeHtml {
  const parts = template.split(/\{(\w+)\}/);
  // split with a capture group: even indexes are text, odd ones placeholder names.
  return html`${parts.map((part, index) => (index % 2 === 0 ? part : (values[part] ?? `{${part}}`)))}`;
}

/**
 * `GET /book/:token`: the frame of the booking page, in the participant's language. What
 * depends on the viewer (their time zone, free times, their current booking) is filled in
 * by the script from the JSON API, with the same catalogue (handed over in
 * `booking-config`); the sections it shows and hides are all here, so the order of focus is
 * the order of the document. Live regions exist from the start (empty) so screen readers
 * announce what is put into them later.
 */
export function renderBookingPage(view: BookingPageView, assets: DocumentAssets): string {
  const t = view.strings;
  const config = {
    api: view.apiPath,
    durationMinutes: view.durationMinutes,
    lang: view.language,
    strings: view.strings,
  };
  const duration = html`<strong>${fill(t.durationMinutes, { minutes: view.durationMinutes })}</strong>`;
  return renderDocument(
    fill(t.documentTitle, { title: view.studyTitle }),
    assets,
    html`<header class="page-header">
        <p class="kicker">${t.kicker}</p>
        <h1 class="study-title">${view.studyTitle}</h1>
        <p class="intro">
          ${fill(t.introHello, { name: view.participantName })} ${introAsk(view, duration)}
          <span id="intro-next">${t[INTRO_KEYS[view.intro]]}</span>
        </p>
      </header>
      <main id="main" class="page">
        <noscript>
          <p class="notice notice-error">${t.noscript}</p>
        </noscript>
        <div id="alert" class="notice notice-error" role="alert"></div>
        <div id="status" class="notice notice-info" role="status"></div>
        <p id="loading" class="loading">${t.loading}</p>

        <section id="cancelled" class="card" aria-labelledby="cancelled-heading" hidden>
          <h2 id="cancelled-heading" tabindex="-1">${t.cancelledHeading}</h2>
          <p id="cancelled-why"></p>
          <p id="cancelled-next">${t.pickNewTime}</p>
        </section>

        <div id="zone-field" class="field zone-field" hidden>
          <label for="time-zone">${t.zoneLabel}</label>
          <input
            id="time-zone"
            name="timeZone"
            type="text"
            list="time-zones"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="time-zone-words time-zone-help time-zone-error"
          />
          <datalist id="time-zones"></datalist>
          <p id="time-zone-words" class="zone-words"></p>
          <p id="time-zone-help" class="help">${t.zoneHelp}</p>
          <p id="time-zone-error" class="field-error"></p>
        </div>

        <section id="booking" class="card" aria-labelledby="booking-heading" hidden>
          <h2 id="booking-heading" tabindex="-1">${t.bookingHeading}</h2>
          <p id="booking-when" class="when"></p>
          <p id="booking-meet" class="meet"></p>
          <p id="booking-invitation" hidden>${t.bookingInvitation}</p>
          <p id="booking-locked" class="notice notice-info" hidden></p>
          <div id="booking-actions" class="actions">
            <button type="button" id="move-button">${t.moveButton}</button>
            <button type="button" id="cancel-button" class="secondary">${t.cancelButton}</button>
          </div>
          <div id="cancel-confirm" class="confirm-box" role="group" aria-labelledby="cancel-question" hidden>
            <p id="cancel-question">${t.cancelQuestion}</p>
            <div class="actions">
              <button type="button" id="cancel-yes" class="danger">${t.cancelYes}</button>
              <button type="button" id="cancel-no" class="secondary">${t.cancelNo}</button>
            </div>
          </div>
        </section>

        <section id="picker" class="card" aria-labelledby="picker-heading" hidden>
          <h2 id="picker-heading" tabindex="-1">${t.pickerHeading}</h2>
          <fieldset id="days-field">
            <legend id="days-legend">${t.dayLegend}</legend>
            <div id="days" class="choices"></div>
          </fieldset>
          <fieldset id="times-field">
            <legend id="times-legend">${t.timeLegend}</legend>
            <div id="times" class="choices"></div>
          </fieldset>
          <p id="no-slots" class="notice notice-info" hidden>${t.noSlots}</p>
          <div class="actions">
            <button type="button" id="continue-button">${t.continueButton}</button>
            <button type="button" id="keep-button" class="secondary" hidden>${t.keepButton}</button>
          </div>
        </section>

        <section id="confirm" class="card" aria-labelledby="confirm-heading" hidden>
          <h2 id="confirm-heading" tabindex="-1">${t.confirmHeading}</h2>
          <p id="confirm-when" class="when"></p>
          <div id="consent" class="consent" hidden>
            <h3 id="consent-heading">${t.consentHeading}</h3>
            <div id="consent-text" class="consent-text"></div>
            <p class="consent-field">
              <input type="checkbox" id="consent-agree" required aria-describedby="consent-error" />
              <label for="consent-agree">${t.consentAgree}</label>
            </p>
            <p id="consent-error" class="field-error"></p>
          </div>
          <div class="actions">
            <button type="button" id="confirm-button">${t.confirmButton}</button>
            <button type="button" id="back-button" class="secondary">${t.backButton}</button>
          </div>
        </section>

        <section id="fatal" class="card" aria-labelledby="fatal-heading" hidden>
          <h2 id="fatal-heading" tabindex="-1"></h2>
          <p id="fatal-message"></p>
        </section>
      </main>
      <footer class="page-footer">
        <p>${t.footer}</p>
      </footer>
      <script type="application/json" id="booking-config">
        ${jsonScriptContent(config)}
      </script>`,
    view.language,
  );
}

/** Who would like to talk: one host or team, or every host when several attend ("A and B"). */
function introAsk(view: BookingPageView, duration: SafeHtml): SafeHtml {
  const t = view.strings;
  const hosts = view.hostNames ?? [];
  if (hosts.length < 2) return fillHtml(t.introAsk, { researcher: view.researcherName, duration });
  const researchers = new Intl.ListFormat(view.language, { type: 'conjunction' }).format(hosts);
  return fillHtml(t.introAskSeveral, { researchers, duration });
}
