/* global document, setTimeout */
/**
 * Small DOM helpers for the booking page. Only text is ever written (`textContent`), never
 * HTML: names and titles come from people.
 */

export const $ = (id) => document.getElementById(id);

/** The page's top-level parts; everything not named stays hidden. */
const SECTIONS = ['loading', 'cancelled', 'zone-field', 'booking', 'picker', 'confirm', 'fatal'];

export function showOnly(...visible) {
  for (const id of SECTIONS) $(id).hidden = !visible.includes(id);
}

export function focusOn(id) {
  $(id).focus();
}

const announcements = {};

/**
 * Puts a message into a live region (`alert` or `status`). It is emptied first and filled
 * a moment later, so the same message said twice is announced twice; a newer message (or
 * a clear) cancels one still waiting.
 */
export function announce(id, text) {
  const turn = (announcements[id] = (announcements[id] ?? 0) + 1);
  $(id).textContent = '';
  if (!text) return;
  setTimeout(() => {
    if (announcements[id] === turn) $(id).textContent = text;
  }, 50);
}

/**
 * A native radio button shown as a chip: arrow keys move within its group, Tab leaves the
 * group, Space picks — all from the browser, for free.
 */
export function radioChoice(name, value, id, text, detail) {
  const label = document.createElement('label');
  label.className = 'choice';
  const input = document.createElement('input');
  input.type = 'radio';
  input.name = name;
  input.value = value;
  input.id = id;
  const face = document.createElement('span');
  face.textContent = text;
  if (detail) {
    const small = document.createElement('small');
    small.textContent = detail;
    face.append(small);
  }
  label.append(input, face);
  return { label, input };
}

/** A button that is working: aria-disabled, not disabled, which would drop the keyboard focus. */
export function markBusy(id, busy, busyText) {
  const button = $(id);
  if (busy) {
    button.dataset.idleText = button.textContent;
    button.textContent = busyText;
    button.setAttribute('aria-disabled', 'true');
  } else {
    button.textContent = button.dataset.idleText ?? button.textContent;
    button.removeAttribute('aria-disabled');
  }
}
