/* global document, setTimeout, clearTimeout */
/**
 * The booking page's behaviour (a module: the entry point). It talks only to the JSON
 * booking API named in the page's `booking-config` block and writes only text (never HTML)
 * into the page. Dates and times are always shown in the viewer's time zone, with the zone's
 * name, and slots are grouped by the viewer's local date.
 */
import {
  bookingApi,
  explain,
  isCalendarRefused,
  isSlotTaken,
  newIdempotencyKey,
  UNREACHABLE,
} from './booking-api.js';
import { $, announce, focusOn, markBusy, radioChoice, showOnly } from './booking-dom.js';
import { canonicalZone, detectZone, inZone, supportedZones } from './booking-time.js';

const config = JSON.parse(document.getElementById('booking-config').textContent);
const request = bookingApi(config.api);
/** Formatting in the zone the viewer has chosen (it can change at any time). */
const shown = () => inZone(state.zone);

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
  const meaning = explain(answer);
  if (meaning.fatal) showFatal(meaning.fatal, meaning.text);
  else alertMessage(meaning.text);
}

/** A step of picking a time, below the current booking while there is one (a move). */
function showWithBooking(step) {
  if (state.info?.booking) showOnly('zone-field', 'booking', step);
  else showOnly('zone-field', step);
}

// ---- The current booking ------------------------------------------------------------------

function renderBooking() {
  const booking = state.info?.booking;
  if (!booking) return;
  const pending = booking.status === 'pending';
  $('booking-heading').textContent = pending ? 'Finishing your booking' : 'Your interview';
  $('booking-when').textContent = shown().range(booking.start, booking.end);
  const meet = $('booking-meet');
  meet.textContent = '';
  if (booking.meetUrl && /^https:\/\//.test(booking.meetUrl)) {
    meet.append('Video call (Google Meet): ');
    const link = document.createElement('a');
    link.href = booking.meetUrl;
    link.rel = 'noopener noreferrer';
    link.textContent = booking.meetUrl;
    meet.append(link);
  } else if (!pending) {
    meet.textContent = 'The video call link is in your calendar invitation.';
  }
  // Once the interview has started (or a verdict is recorded) only the researcher changes it:
  // the page says so instead of offering move and cancel.
  const locked = state.info?.canChange === false;
  $('booking-invitation').hidden = pending || locked;
  $('booking-actions').hidden = pending || locked;
  $('booking-locked').textContent = locked ? (state.info.cannotChangeReason?.detail ?? '') : '';
  $('booking-locked').hidden = !locked;
  $('cancel-confirm').hidden = true;
}

function showBooked(booking, justBooked) {
  stopPolling();
  state.info = { ...state.info, booking };
  state.moving = false;
  renderBooking();
  showOnly('zone-field', 'booking');
  if (justBooked) {
    $('booking-heading').textContent = 'Your interview is booked';
    statusMessage('');
    focusOn('booking-heading');
  }
}

function showPending(booking) {
  state.info = { ...state.info, booking };
  renderBooking();
  showOnly('zone-field', 'booking');
  statusMessage('We are finishing your booking. This can take a moment…');
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
        alertMessage(
          answer.body.bookingFailure?.detail ??
            'We could not finish your booking, and the time was released. Please pick a time again.',
        );
        return openPicker(false);
      }
    } catch {
      // A lost poll is no news; the next one may get through.
    }
    if (Date.now() - startedAt > POLL_LIMIT_MS) {
      statusMessage(
        'This is taking longer than usual. You will get a calendar invitation once it is done; you can also reload this page later.',
      );
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
  $('picker-heading').textContent = moving ? 'Choose a new time' : 'Choose a time';
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
    if (requestNumber === state.slotRequest) alertMessage(UNREACHABLE);
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
  $('days-legend').textContent = `Day (${format.zoneLabel()})`;
  const container = $('days');
  container.replaceChildren();
  let index = 0;
  for (const [key, slots] of days) {
    const first = new Date(slots[0].start);
    const count = slots.length === 1 ? '1 time' : `${slots.length} times`;
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
  $('times-legend').textContent = `Time on ${format.dayLong(first)} (${format.zoneLabel(first)})`;
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

function openConfirm() {
  const slot = selectedSlot();
  if (!slot) {
    alertMessage('Please choose a time first.');
    const firstTime = document.querySelector('#times input');
    if (firstTime) firstTime.focus();
    return;
  }
  alertMessage('');
  $('confirm-heading').textContent = state.moving ? 'Confirm your new time' : 'Confirm your interview';
  $('confirm-when').textContent = shown().range(slot.start, slot.end);
  $('confirm-button').textContent = state.moving ? 'Move my interview' : 'Confirm booking';
  showWithBooking('confirm');
  focusOn('confirm-heading');
}

function setBusy(id, busy, busyText) {
  state.busy = busy;
  markBusy(id, busy, busyText);
}

async function confirmBooking() {
  const slot = selectedSlot();
  if (state.busy || !slot) return;
  if (!state.attempt || state.attempt.start !== slot.start) {
    state.attempt = { key: newIdempotencyKey(), start: slot.start };
  }
  alertMessage('');
  setBusy('confirm-button', true, 'Booking…');
  let answer;
  try {
    answer = await request(
      'POST',
      '',
      { start: slot.start, timeZone: state.zone },
      { 'Idempotency-Key': state.attempt.key },
    );
  } catch {
    setBusy('confirm-button', false);
    alertMessage(`${UNREACHABLE} Pressing the button again will not book you twice.`);
    return;
  }
  setBusy('confirm-button', false);
  if (answer.status >= 500 && answer.status !== 503 && !isCalendarRefused(answer)) {
    alertMessage(
      'Something went wrong on our side. Please press the button again; you will not be booked twice.',
    );
    return;
  }
  state.attempt = null;
  if (answer.status === 200 || answer.status === 201) return showBooked(answer.body.booking, true);
  if (answer.status === 202) return showPending(answer.body.booking);
  showFailure(answer);
  if (isSlotTaken(answer)) {
    showWithBooking('picker');
    focusOn('picker-heading');
    await loadSlots();
  }
}

// ---- Cancelling ---------------------------------------------------------------------------

async function cancelBooking() {
  if (state.busy) return;
  alertMessage('');
  setBusy('cancel-yes', true, 'Cancelling…');
  let answer;
  try {
    answer = await request('POST', '/cancel', {});
  } catch {
    setBusy('cancel-yes', false);
    return alertMessage(UNREACHABLE);
  }
  setBusy('cancel-yes', false);
  if (answer.status !== 200) return showFailure(answer);
  state.info = { ...state.info, ...answer.body, booking: null };
  statusMessage('Your interview is cancelled. You can pick a new time below if you like.');
  await openPicker(false);
  focusOn('picker-heading');
}

// ---- Wiring -------------------------------------------------------------------------------

function applyZone(value, reportErrors) {
  const zone = canonicalZone(value.trim());
  const input = $('time-zone');
  if (!zone) {
    if (reportErrors) {
      input.setAttribute('aria-invalid', 'true');
      $('time-zone-error').textContent =
        'Please choose a time zone from the list, for example “Europe/London”.';
    }
    return;
  }
  input.removeAttribute('aria-invalid');
  $('time-zone-error').textContent = '';
  input.value = zone;
  if (zone === state.zone) return;
  state.zone = zone;
  renderBooking();
  if (!$('confirm').hidden) openConfirm();
  if (state.slotsLoaded) {
    renderDays();
    void loadSlots();
  }
  statusMessage(`Times are now shown in ${shown().zoneLabel()}.`);
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
  $('cancel-button').addEventListener('click', () => {
    $('cancel-confirm').hidden = false;
    focusOn('cancel-no');
  });
  $('cancel-no').addEventListener('click', () => {
    $('cancel-confirm').hidden = true;
    focusOn('cancel-button');
  });
  $('cancel-yes').addEventListener('click', cancelBooking);
}

async function start() {
  setUpTimeZone();
  wire();
  let answer;
  try {
    answer = await request('GET', '');
  } catch {
    $('loading').textContent = UNREACHABLE;
    return;
  }
  if (answer.status !== 200) {
    showOnly();
    return showFailure(answer);
  }
  state.info = answer.body;
  const booking = answer.body.booking;
  if (booking?.status === 'pending') return showPending(booking);
  if (booking) return showBooked(booking, false);
  if (answer.body.canChange === false) {
    return showFatal('Your interview cannot be changed here', answer.body.cannotChangeReason?.detail ?? '');
  }
  // The last booking could not be made (e.g. while the participant was away): say so first.
  if (answer.body.bookingFailure) alertMessage(answer.body.bookingFailure.detail);
  // Cancelled from the link, by a decline in the calendar, or by the researcher: say so.
  else if (answer.body.participant?.status === 'canceled') {
    statusMessage('Your interview was cancelled. You can pick a new time below if you like.');
  }
  await openPicker(false);
}

void start();
