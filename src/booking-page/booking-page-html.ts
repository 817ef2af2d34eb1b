import { html, jsonScriptContent } from '../web/html';
import { renderDocument, type DocumentAssets } from '../web/page-document';

export interface BookingPageView {
  studyTitle: string;
  durationMinutes: number;
  researcherName: string;
  participantName: string;
  /** Where the page script reaches the booking API, e.g. `/api/booking/<token>`. */
  apiPath: string;
}

/**
 * `GET /book/:token`: the frame of the booking page. What depends on the viewer (their time
 * zone, free times, their current booking) is filled in by the script from the JSON API;
 * the sections it shows and hides are all here, so the order of focus is the order of
 * the document. Live regions exist from the start (empty) so screen readers announce what
 * is put into them later.
 */
export function renderBookingPage(view: BookingPageView, assets: DocumentAssets): string {
  const config = { api: view.apiPath, durationMinutes: view.durationMinutes };
  return renderDocument(
    `Book your interview: ${view.studyTitle}`,
    assets,
    html`<header class="page-header">
        <p class="kicker">Interview booking</p>
        <h1>${view.studyTitle}</h1>
        <p class="intro">
          Hello ${view.participantName}. ${view.researcherName} would like to talk with you for
          <strong>${view.durationMinutes} minutes</strong> by video call. Pick a time that suits you.
        </p>
      </header>
      <main id="main" class="page">
        <noscript>
          <p class="notice notice-error">
            This page needs JavaScript to show the free times. Please turn it on, or reply to your invitation
            email to arrange a time.
          </p>
        </noscript>
        <div id="alert" class="notice notice-error" role="alert"></div>
        <div id="status" class="notice notice-info" role="status"></div>
        <p id="loading" class="loading">Loading your booking…</p>

        <div id="zone-field" class="field zone-field" hidden>
          <label for="time-zone">Your time zone</label>
          <input
            id="time-zone"
            name="timeZone"
            type="text"
            list="time-zones"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="time-zone-help time-zone-error"
          />
          <datalist id="time-zones"></datalist>
          <p id="time-zone-help" class="help">
            All dates and times on this page are in this time zone. Type to search, for example “London”.
          </p>
          <p id="time-zone-error" class="field-error"></p>
        </div>

        <section id="booking" class="card" aria-labelledby="booking-heading" hidden>
          <h2 id="booking-heading" tabindex="-1">Your interview</h2>
          <p id="booking-when" class="when"></p>
          <p id="booking-meet" class="meet"></p>
          <p id="booking-invitation" hidden>A calendar invitation has been sent to you.</p>
          <p id="booking-locked" class="notice notice-info" hidden></p>
          <div id="booking-actions" class="actions">
            <button type="button" id="move-button">Pick another time</button>
            <button type="button" id="cancel-button" class="secondary">Cancel the interview</button>
          </div>
          <div id="cancel-confirm" class="confirm-box" role="group" aria-labelledby="cancel-question" hidden>
            <p id="cancel-question">Cancel this interview? The time will be given back.</p>
            <div class="actions">
              <button type="button" id="cancel-yes" class="danger">Yes, cancel it</button>
              <button type="button" id="cancel-no" class="secondary">No, keep it</button>
            </div>
          </div>
        </section>

        <section id="picker" class="card" aria-labelledby="picker-heading" hidden>
          <h2 id="picker-heading" tabindex="-1">Choose a time</h2>
          <fieldset id="days-field">
            <legend id="days-legend">Day</legend>
            <div id="days" class="choices"></div>
          </fieldset>
          <fieldset id="times-field">
            <legend id="times-legend">Time</legend>
            <div id="times" class="choices"></div>
          </fieldset>
          <p id="no-slots" class="notice notice-info" hidden>
            There are no free times left right now. Please check again later or reply to your invitation
            email.
          </p>
          <div class="actions">
            <button type="button" id="continue-button">Continue</button>
            <button type="button" id="keep-button" class="secondary" hidden>Keep my current time</button>
          </div>
        </section>

        <section id="confirm" class="card" aria-labelledby="confirm-heading" hidden>
          <h2 id="confirm-heading" tabindex="-1">Confirm your interview</h2>
          <p id="confirm-when" class="when"></p>
          <div class="actions">
            <button type="button" id="confirm-button">Confirm booking</button>
            <button type="button" id="back-button" class="secondary">Back</button>
          </div>
        </section>

        <section id="fatal" class="card" aria-labelledby="fatal-heading" hidden>
          <h2 id="fatal-heading" tabindex="-1"></h2>
          <p id="fatal-message"></p>
        </section>
      </main>
      <footer class="page-footer">
        <p>Questions? Reply to your invitation email.</p>
      </footer>
      <script type="application/json" id="booking-config">
        ${jsonScriptContent(config)}
      </script>`,
  );
}
