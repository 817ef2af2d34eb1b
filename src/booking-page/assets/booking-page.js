/* global document, history, location, setTimeout, clearTimeout, URLSearchParams */
/**
 * The booking page's behaviour (a module: the entry point). It talks only to the JSON
 * booking API named in the page's `booking-config` block and writes only text (never HTML)
 * into the page, in the page's language (`t`). Dates and times are always shown in the
 * viewer's time zone, with the zone's name, and slots are grouped by the viewer's local date.
 */
import {
  bookingApi,
  explain,
  isCalendarRefused,
  isConsentOutdated,
  isConsentRequired,
  isSlotTaken,
  localDetail,
  newIdempotencyKey,
  refusalText,
} from './booking-api.js';
import { $, announce, focusOn, markBusy, radioChoice, showOnly } from './booking-dom.js';
import { config, lang, t } from './booking-strings.js';
import { canonicalZone, detectZone, inZone, longDate, supportedZones } from './booking-time.js';

const request = bookingApi(config.api);
/** Formatting in the zone the viewer has chosen (it can change at any time). */
const shown = () => inZone(state.zone, lang);

/** Polling for a booking Google has not finished yet (202). */
const POLL_MS = 2000;
const POLL_LIMIT_MS = 5 * 60 * 1000;

const state = {
  zone: detectZone(),
  /** The answer of GET /api/booking/:token. */
  info: null,
  slots: [],
  slotsLoaded: false,
  slotRequest: 0,
  day: null,
  start: null,
  moving: false,
  /** A confirm click whose answer never came: retrying it reuses its Idempotency-Key. */
  attempt: null,
  busy: false,
  pollTimer: null,
};

// ---- Showing things -----------------------------------------------------------------------

const alertMessage = (text) => announce('alert', text);
const statusMessage = (text) => announce('status', text);

/** The last sentence of the intro follows the booking: never "Pick a time" once booked. */
const INTRO = {
  pick: 'introPick',
  booked: 'introBooked',
  pending: 'introPending',
  cancelled: 'introCancelled',
  locked: 'introLocked',
};
function setIntro(which) {
  $('intro-next').textContent = t(INTRO[which]);
}

const formatDate = (iso) => longDate(iso, state.zone, lang);

function showFatal(heading, text) {
  stopPolling();
  alertMessage('');
  statusMessage('');
  $('fatal-heading').textContent = heading;
  $('fatal-message').textContent = text;
  showOnly('fatal');
  focusOn('fatal-heading');
}

/** Shows a failed answer: the end of the page for 404/410, a message otherwise. */
function showFailure(answer) {
  const meaning = explain(answer, formatDate);
  if (meaning.fatal) showFatal(meaning.fatal, meaning.text);
  else alertMessage(meaning.text);
}

/**
 * A step of picking a time: below the current booking while there is one (a move), below
 * the news of a cancellation while there is one (so it is read before the new times).
 */
function showWithBooking(step) {
  if (state.info?.booking) showOnly('zone-field', 'booking', step);
  else if (state.info?.cancellation) showOnly('cancelled', 'zone-field', step);
  else showOnly('zone-field', step);
}

// ---- A cancelled interview ----------------------------------------------------------------

const CANCELLED_BY = {
  you: 'cancelledByYou',
  declined: 'cancelledByDecline',
  calendar: 'cancelledByCalendar',
  researcher: 'cancelledByResearcher',
};

function renderCancellation() {
  const cancellation = state.info?.cancellation;
  if (!cancellation) return;
  $('cancelled-why').textContent = cancellation.start
    ? t(CANCELLED_BY[cancellation.by] ?? 'cancelledNoTime', {
        when: shown().range(cancellation.start, cancellation.end),
      })
    : t('cancelledNoTime');
}

// ---- The current booking ------------------------------------------------------------------

function renderBooking() {
  renderCancellation();
  const booking = state.info?.booking;
  if (!booking) return;
  const pending = booking.status === 'pending';
  $('booking-heading').textContent = pending ? t('bookingPendingHeading') : t('bookingHeading');
  $('booking-when').textContent = shown().range(booking.start, booking.end);
  const meet = $('booking-meet');
  meet.textContent = '';
  if (booking.meetUrl && /^https:\/\//.test(booking.meetUrl)) {
    meet.append(t('meetPrefix'));
    const link = document.createElement('a');
    link.href = booking.meetUrl;
    link.rel = 'noopener noreferrer';
    link.textContent = booking.meetUrl;
    meet.append(link);
  } else if (!pending) {
    meet.textContent = t('meetInInvitation');
  }
  // Once the interview has started (or a verdict is recorded) only the researcher changes it:
  // the page says so instead of offering move and cancel.
  const locked = !canChange();
  $('booking-invitation').hidden = pending || locked;
  $('booking-actions').hidden = pending || locked;
  $('booking-locked').textContent = locked ? refusalText(state.info.cannotChangeReason) : '';
  $('booking-locked').hidden = !locked;
  $('cancel-confirm').hidden = true;
  setIntro(pending ? 'pending' : 'booked');
}

const canChange = () => state.info?.canChange !== false;

function showBooked(booking, justBooked) {
  stopPolling();
  state.info = { ...state.info, booking, cancellation: null };
  state.moving = false;
  renderBooking();
  showOnly('zone-field', 'booking');
  if (justBooked) {
    $('booking-heading').textContent = t('bookingBookedHeading');
    statusMessage('');
    focusOn('booking-heading');
  }
}

function showPending(booking) {
  state.info = { ...state.info, booking, cancellation: null };
  renderBooking();
  showOnly('zone-field', 'booking');
  statusMessage(t('pendingStatus'));
  focusOn('booking-heading');
  startPolling();
}

function startPolling() {
  stopPolling();
  const startedAt = Date.now();
  const poll = async () => {
    try {
      const answer = await request('GET', '');
      if (answer.status !== 200) return showFailure(answer);
      state.info = answer.body;
      const booking = answer.body.booking;
      if (booking?.status === 'confirmed') return showBooked(booking, true);
      if (!booking) {
        setIntro('pick');
        alertMessage(
          answer.body.bookingFailure
            ? localDetail(answer.body.bookingFailure.detail, 'bookingRefused')
            : t('bookingReleased'),
        );
        return openPicker(false);
      }
    } catch {
      // A lost poll is no news; the next one may get through.
    }
    if (Date.now() - startedAt > POLL_LIMIT_MS) {
      statusMessage(t('slowBooking'));
      return;
    }
    state.pollTimer = setTimeout(poll, POLL_MS);
  };
  state.pollTimer = setTimeout(poll, POLL_MS);
}

function stopPolling() {
  if (state.pollTimer) clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

// ---- Picking a day and a time -------------------------------------------------------------

async function openPicker(moving) {
  state.moving = moving;
  state.start = null;
  $('picker-heading').textContent = moving ? t('pickerMoveHeading') : t('pickerHeading');
  $('keep-button').hidden = !moving;
  showWithBooking('picker');
  if (state.info?.booking) $('booking-actions').hidden = true;
  await loadSlots();
}

async function loadSlots() {
  const requestNumber = ++state.slotRequest;
  $('picker').setAttribute('aria-busy', 'true');
  try {
    const answer = await request('GET', `/slots?timeZone=${encodeURIComponent(state.zone)}`);
    // A newer request (another time zone) has been sent meanwhile: this answer is stale.
    if (requestNumber !== state.slotRequest) return;
    if (answer.status !== 200) return showFailure(answer);
    state.slots = answer.body.slots;
    state.slotsLoaded = true;
    renderDays();
  } catch {
    if (requestNumber === state.slotRequest) alertMessage(t('unreachable'));
  } finally {
    if (requestNumber === state.slotRequest) $('picker').removeAttribute('aria-busy');
  }
}

function slotsByDay() {
  const format = shown();
  const days = new Map();
  for (const slot of state.slots) {
    const key = format.dateKey(new Date(slot.start));
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(slot);
  }
  return days;
}

function renderDays() {
  const days = slotsByDay();
  const empty = days.size === 0;
  $('no-slots').hidden = !empty;
  $('days-field').hidden = empty;
  $('times-field').hidden = empty;
  $('continue-button').hidden = empty;
  if (!days.has(state.day)) state.day = days.keys().next().value ?? null;
  if (!state.slots.some((slot) => slot.start === state.start)) state.start = null;
  const format = shown();
  // The offset of the days listed, not today's: across a clock change they differ.
  const firstSlot = days.values().next().value?.[0];
  $('days-legend').textContent = t('dayLegendZone', {
    zone: format.zoneLabel(firstSlot ? new Date(firstSlot.start) : undefined),
  });
  const container = $('days');
  container.replaceChildren();
  let index = 0;
  for (const [key, slots] of days) {
    const first = new Date(slots[0].start);
    const count = slots.length === 1 ? t('timesOne') : t('timesMany', { count: slots.length });
    const { label, input } = radioChoice('day', key, `day-${index++}`, format.dayShort(first), count);
    input.checked = key === state.day;
    container.append(label);
  }
  renderTimes(days.get(state.day) ?? []);
}

function renderTimes(slots) {
  const container = $('times');
  container.replaceChildren();
  if (slots.length === 0) return;
  const format = shown();
  const first = new Date(slots[0].start);
  $('times-legend').textContent = t('timeLegendOn', {
    day: format.dayLong(first),
    zone: format.zoneLabel(first),
  });
  slots.forEach((slot, index) => {
    const { label, input } = radioChoice(
      'time',
      slot.start,
      `time-${index}`,
      format.timeOfDay(new Date(slot.start)),
    );
    input.checked = slot.start === state.start;
    container.append(label);
  });
}

function selectedSlot() {
  return state.slots.find((slot) => slot.start === state.start);
}

// ---- Confirming ---------------------------------------------------------------------------

/** The study's consent text, when it asks for one (`consent: { version, text }`). */
function renderConsent() {
  const consent = state.info?.consent;
  $('consent').hidden = !consent;
  if (!consent) return;
  // The researcher's own words, as text: line breaks are kept by the stylesheet.
  $('consent-text').textContent = consent.text;
  if ($('consent-agree').dataset.version !== String(consent.version)) {
    $('consent-agree').checked = false;
    $('consent-agree').dataset.version = String(consent.version);
  }
}

function consentError(text) {
  $('consent-error').textContent = text;
  if (text) $('consent-agree').setAttribute('aria-invalid', 'true');
  else $('consent-agree').removeAttribute('aria-invalid');
}

function openConfirm() {
  const slot = selectedSlot();
  if (!slot) {
    alertMessage(t('chooseFirst'));
    const firstTime = document.querySelector('#times input');
    if (firstTime) firstTime.focus();
    return;
  }
  alertMessage('');
  $('confirm-heading').textContent = state.moving ? t('confirmMoveHeading') : t('confirmHeading');
  $('confirm-when').textContent = shown().range(slot.start, slot.end);
  $('confirm-button').textContent = state.moving ? t('confirmMoveButton') : t('confirmButton');
  renderConsent();
  showWithBooking('confirm');
  focusOn('confirm-heading');
}

function setBusy(id, busy, busyText) {
  state.busy = busy;
  markBusy(id, busy, busyText);
}

/** The consent changed (or was missing) at the server: show the text it asks for now. */
async function refreshConsent() {
  try {
    const answer = await request('GET', '');
    if (answer.status !== 200) return showFailure(answer);
    state.info = { ...state.info, consent: answer.body.consent ?? null };
  } catch {
    return alertMessage(t('unreachable'));
  }
  renderConsent();
  consentError(t('consentOutdated'));
  $('consent-agree').focus();
}

async function confirmBooking() {
  const slot = selectedSlot();
  if (state.busy || !slot) return;
  const consent = state.info?.consent;
  if (consent && !$('consent-agree').checked) {
    consentError(t('consentRequired'));
    $('consent-agree').focus();
    return;
  }
  consentError('');
  if (!state.attempt || state.attempt.start !== slot.start) {
    state.attempt = { key: newIdempotencyKey(), start: slot.start };
  }
  alertMessage('');
  setBusy('confirm-button', true, t('booking'));
  let answer;
  try {
    answer = await request(
      'POST',
      '',
      {
        start: slot.start,
        timeZone: state.zone,
        ...(consent ? { consent: { version: consent.version, accepted: true } } : {}),
      },
      { 'Idempotency-Key': state.attempt.key },
    );
  } catch {
    setBusy('confirm-button', false);
    alertMessage(`${t('unreachable')} ${t('pressAgainSafe')}`);
    return;
  }
  setBusy('confirm-button', false);
  if (answer.status >= 500 && answer.status !== 503 && !isCalendarRefused(answer)) {
    alertMessage(t('serverErrorRetry'));
    return;
  }
  state.attempt = null;
  if (answer.status === 200 || answer.status === 201) return showBooked(answer.body.booking, true);
  if (answer.status === 202) return showPending(answer.body.booking);
  if (isConsentOutdated(answer) || isConsentRequired(answer)) return refreshConsent();
  showFailure(answer);
  if (isSlotTaken(answer)) {
    showWithBooking('picker');
    focusOn('picker-heading');
    await loadSlots();
  }
}

// ---- Cancelling ---------------------------------------------------------------------------

function askToCancel() {
  $('cancel-confirm').hidden = false;
  focusOn('cancel-no');
}

async function cancelBooking() {
  if (state.busy) return;
  alertMessage('');
  setBusy('cancel-yes', true, t('cancelling'));
  let answer;
  try {
    answer = await request('POST', '/cancel', {});
  } catch {
    setBusy('cancel-yes', false);
    return alertMessage(t('unreachable'));
  }
  setBusy('cancel-yes', false);
  if (answer.status !== 200) return showFailure(answer);
  const booking = state.info?.booking;
  state.info = {
    ...state.info,
    ...answer.body,
    booking: null,
    cancellation: {
      by: 'you',
      at: new Date().toISOString(),
      start: booking?.start ?? null,
      end: booking?.end ?? null,
    },
  };
  renderCancellation();
  setIntro('cancelled');
  statusMessage(t('cancelledNow'));
  await openPicker(false);
  focusOn('picker-heading');
}

// ---- Wiring -------------------------------------------------------------------------------

function showZoneInWords() {
  $('time-zone-words').textContent = t('zoneNow', { zone: shown().zoneLabel() });
}

function applyZone(value, reportErrors) {
  const zone = canonicalZone(value.trim());
  const input = $('time-zone');
  if (!zone) {
    if (reportErrors) {
      input.setAttribute('aria-invalid', 'true');
      $('time-zone-error').textContent = t('zoneInvalid');
    }
    return;
  }
  input.removeAttribute('aria-invalid');
  $('time-zone-error').textContent = '';
  input.value = zone;
  if (zone === state.zone) return;
  state.zone = zone;
  showZoneInWords();
  renderBooking();
  if (!$('confirm').hidden) openConfirm();
  if (state.slotsLoaded) {
    renderDays();
    void loadSlots();
  }
  statusMessage(t('zoneChanged', { zone: shown().zoneLabel() }));
}

function setUpTimeZone() {
  const input = $('time-zone');
  const zones = supportedZones(state.zone);
  const known = new Set(zones);
  $('time-zones').replaceChildren(
    ...zones.map((zone) => {
      const option = document.createElement('option');
      option.value = zone;
      return option;
    }),
  );
  input.value = state.zone;
  showZoneInWords();
  // Picking from the list fires `input` with a whole name; typing is checked on commit.
  input.addEventListener('input', () => {
    if (known.has(input.value)) applyZone(input.value, false);
  });
  input.addEventListener('change', () => applyZone(input.value, true));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      applyZone(input.value, true);
    }
  });
}

function wire() {
  $('days').addEventListener('change', (event) => {
    state.day = event.target.value;
    state.start = null;
    renderTimes(slotsByDay().get(state.day) ?? []);
  });
  $('times').addEventListener('change', (event) => {
    state.start = event.target.value;
    alertMessage('');
  });
  $('continue-button').addEventListener('click', openConfirm);
  $('back-button').addEventListener('click', () => {
    showWithBooking('picker');
    const checked = document.querySelector('#times input:checked');
    if (checked) checked.focus();
    else focusOn('picker-heading');
  });
  $('confirm-button').addEventListener('click', confirmBooking);
  $('consent-agree').addEventListener('change', () => {
    if ($('consent-agree').checked) consentError('');
  });
  $('move-button').addEventListener('click', async () => {
    alertMessage('');
    statusMessage('');
    const opening = openPicker(true);
    focusOn('picker-heading');
    await opening;
  });
  $('keep-button').addEventListener('click', () => {
    state.moving = false;
    renderBooking();
    showOnly('zone-field', 'booking');
    focusOn('booking-heading');
  });
  $('cancel-button').addEventListener('click', askToCancel);
  $('cancel-no').addEventListener('click', () => {
    $('cancel-confirm').hidden = true;
    focusOn('cancel-button');
  });
  $('cancel-yes').addEventListener('click', cancelBooking);
}

/**
 * `?step=reschedule` and `?step=cancel` (the links in the confirmation and reminder emails)
 * open the page at that step of the current booking. It is read once and taken out of the
 * address, so reloading shows the page as it is.
 */
function takeStep() {
  const params = new URLSearchParams(location.search);
  const step = params.get('step');
  if (step === null) return null;
  params.delete('step');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  return step === 'reschedule' || step === 'cancel' ? step : null;
}

async function openAtStep(step) {
  if (!canChange()) return statusMessage(t('stepLocked'));
  if (step === 'cancel') return askToCancel();
  const opening = openPicker(true);
  focusOn('picker-heading');
  await opening;
}

async function start() {
  const step = takeStep();
  setUpTimeZone();
  wire();
  let answer;
  try {
    answer = await request('GET', '');
  } catch {
    $('loading').textContent = t('unreachable');
    return;
  }
  if (answer.status !== 200) {
    showOnly();
    return showFailure(answer);
  }
  state.info = answer.body;
  const booking = answer.body.booking;
  if (booking?.status === 'pending') return showPending(booking);
  if (booking) {
    showBooked(booking, false);
    if (step) await openAtStep(step);
    return;
  }
  if (!canChange()) {
    setIntro('locked');
    return showFatal(t('cannotChangeHeading'), refusalText(answer.body.cannotChangeReason));
  }
  // Nothing booked: a step from an email falls back to the page as it is, with a word why.
  if (step) statusMessage(t('stepNoBooking'));
  // The last booking could not be made (e.g. while the participant was away): say so first.
  if (answer.body.bookingFailure) {
    alertMessage(localDetail(answer.body.bookingFailure.detail, 'bookingRefused'));
  }
  // Cancelled from the link, by a decline in the calendar, or by the researcher: the card
  // above the picker says who and which time, before any new time is offered.
  renderCancellation();
  setIntro(state.info.cancellation ? 'cancelled' : 'pick');
  await openPicker(false);
}

void start();
