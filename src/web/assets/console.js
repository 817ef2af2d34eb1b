/* global document, navigator, fetch, setInterval, window, Element, URL */
// The researcher console's script: progressive enhancement only. Every action is a plain
// form on the page without it; this turns the action panels into dialogs behind an
// Actions menu button (WAI-ARIA APG menu button), copies booking links, and keeps a
// participant page up to date. An ES module, loaded from our origin: CSP-clean.

const announcer = () => document.querySelector('[data-flash]');

/** Says `message` in the page's status area (role="status", read politely). */
function announce(message) {
  const region = announcer();
  if (!region) return;
  region.replaceChildren();
  const line = document.createElement('p');
  line.textContent = message;
  region.append(line);
}

/** Action panels become modal dialogs; a panel showing an error stays on the page. */
function dialogsFromPanels() {
  const dialogs = new Map();
  for (const panel of document.querySelectorAll('[data-action-panel]')) {
    if (panel.hasAttribute('data-keep-inline')) continue;
    const dialog = document.createElement('dialog');
    dialog.id = `${panel.id}-dialog`;
    const heading = panel.querySelector('h2');
    if (heading?.id) dialog.setAttribute('aria-labelledby', heading.id);
    // The dialog lives at the end of the body: the panels' container is hidden below.
    dialog.append(panel);
    document.body.append(dialog);
    showCloseButtons(dialog);
    dialogs.set(panel.id, dialog);
  }
  // One listener for every close button, also those a live update brings in later.
  document.addEventListener('click', (event) => {
    const close = event.target instanceof Element ? event.target.closest('[data-close]') : null;
    close?.closest('dialog')?.close();
  });
  // The participant page has one container; each card of the interviews pages has its own.
  for (const container of document.querySelectorAll('[data-action-panels]')) {
    if (!container.querySelector('[data-action-panel]')) container.hidden = true;
  }
  return dialogs;
}

/** "Back" and "Keep …" buttons only mean something inside a dialog. */
function showCloseButtons(root) {
  if (!root.closest('dialog')) return;
  for (const close of root.querySelectorAll('[data-close]')) close.hidden = false;
}

function firstField(root) {
  return root.querySelector('select, input:not([type="hidden"]), textarea, button');
}

/** The menu button pattern: https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/ */
function menuButton(button, dialogs) {
  // Looked up each time: live updates may replace the menu (its items' enabled state).
  const menuOf = () => document.getElementById(button.getAttribute('aria-controls'));
  if (!menuOf()) return;
  const inMenu = (target) => target instanceof Element && target.closest('[role="menu"]') === menuOf();
  const items = () => [...menuOf().querySelectorAll('[role="menuitem"]')];
  const isOpen = () => button.getAttribute('aria-expanded') === 'true';

  const open = (focus) => {
    menuOf().hidden = false;
    button.setAttribute('aria-expanded', 'true');
    const all = items();
    (focus === 'last' ? all[all.length - 1] : all[0])?.focus();
  };
  const close = (returnFocus) => {
    if (!isOpen()) return;
    menuOf().hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus) button.focus();
  };
  const move = (from, step) => {
    const all = items();
    const index = all.indexOf(from);
    all[(index + step + all.length) % all.length]?.focus();
  };

  button.hidden = false;
  button.addEventListener('click', () => (isOpen() ? close(true) : open('first')));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      open('last');
    }
  });
  document.addEventListener('keydown', (event) => {
    if (!inMenu(event.target)) return;
    const item = event.target.closest('[role="menuitem"]');
    if (!item) return;
    const all = items();
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        move(item, 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        move(item, -1);
        break;
      case 'Home':
        event.preventDefault();
        all[0]?.focus();
        break;
      case 'End':
        event.preventDefault();
        all[all.length - 1]?.focus();
        break;
      case 'Escape':
        event.preventDefault();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        activate(item);
        break;
      default:
    }
  });
  document.addEventListener('click', (event) => {
    if (!inMenu(event.target)) return;
    const item = event.target.closest('[role="menuitem"]');
    if (item) activate(item);
  });
  document.addEventListener('pointerdown', (event) => {
    if (isOpen() && !inMenu(event.target) && !button.contains(event.target)) close(false);
  });

  async function activate(item) {
    if (item.getAttribute('aria-disabled') === 'true') return;
    close(false);
    if (item.hasAttribute('href')) {
      window.location.assign(item.getAttribute('href'));
      return;
    }
    if (item.hasAttribute('data-copy-from')) {
      await copyBookingLink(item.getAttribute('data-copy-from'));
      button.focus();
      return;
    }
    const target = item.getAttribute('data-opens');
    const dialog = dialogs.get(target);
    if (dialog) {
      dialog.showModal();
      firstField(dialog)?.focus();
      dialog.addEventListener('close', () => button.focus(), { once: true });
      return;
    }
    const panel = document.getElementById(target);
    if (panel) {
      panel.scrollIntoView();
      firstField(panel)?.focus();
    }
  }
}

async function copyBookingLink(url) {
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    const { bookingUrl } = await response.json();
    await navigator.clipboard.writeText(bookingUrl);
    announce('Booking link copied');
  } catch {
    // No clipboard (or no permission): the page that shows the link instead.
    window.location.assign(url);
  }
}

/**
 * Copy buttons next to a link or token shown on the page (e.g. after re-invite);
 * `data-copy-what` names the thing in the announcement (default: the booking link).
 */
function copyButtons() {
  for (const button of document.querySelectorAll('[data-copy-text]')) {
    const what = button.getAttribute('data-copy-what') || 'Booking link';
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.getAttribute('data-copy-text'));
        announce(`${what} copied`);
      } catch {
        announce(`The ${what.toLowerCase()} could not be copied; select it and copy it by hand.`);
      }
    });
  }
}

/**
 * "Copy link" on the interviews pages: reads the participant's booking link (JSON from
 * the page that shows it) and says beside the button that it was copied. Without a
 * clipboard, the page that shows the link opens instead, like the no-script link.
 */
function copyLinkButtons() {
  for (const button of document.querySelectorAll('[data-copy-link]')) {
    const url = button.getAttribute('data-copy-link');
    const status = document.getElementById(button.getAttribute('data-copy-status'));
    button.parentElement?.querySelector('[data-copy-fallback]')?.setAttribute('hidden', '');
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        const response = await fetch(url, { headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error(String(response.status));
        const { bookingUrl } = await response.json();
        await navigator.clipboard.writeText(bookingUrl);
        if (status) status.textContent = 'Booking link copied';
      } catch {
        window.location.assign(url);
      }
    });
  }
}

/** Parts of the page marked `data-live` follow the server without a reload. */
function liveUpdates() {
  const root = document.querySelector('[data-live-url]');
  if (!root) return;
  const url = new URL(root.getAttribute('data-live-url'), window.location.href);
  let version = root.getAttribute('data-live-version');
  const poll = async () => {
    if (document.hidden) return;
    url.searchParams.set('since', version);
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (response.status !== 200) return;
      const update = await response.json();
      let waiting = false;
      for (const [name, markup] of Object.entries(update.parts)) {
        const part = document.querySelector(`[data-live="${name}"]`);
        if (!part) continue;
        // Never pull a focused link or an open menu from under the keyboard: that part
        // waits, and the next poll (same version asked for) brings it again.
        if (part !== document.body && part.contains(document.activeElement)) {
          waiting = true;
          continue;
        }
        part.innerHTML = markup;
        showCloseButtons(part);
      }
      if (waiting) return;
      version = update.version;
      if (update.announcement) announce(update.announcement);
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  };
  setInterval(poll, Number(root.getAttribute('data-live-interval') || 5000));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) poll();
  });
}

/** "Use this device's zone": fills the field with the browser's own IANA zone. */
function deviceZoneButtons() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  for (const button of document.querySelectorAll('[data-device-zone]')) {
    const field = document.getElementById(button.getAttribute('data-device-zone'));
    if (!field) continue;
    button.textContent = `Use this device's zone (${zone})`;
    button.hidden = false;
    button.addEventListener('click', () => {
      field.value = zone;
      field.focus();
    });
  }
}

const dialogs = dialogsFromPanels();
// A refused form: the summary of what is wrong is read first (GOV.UK error summary).
document.querySelector('.error-summary')?.focus();
for (const button of document.querySelectorAll('[aria-haspopup="menu"]')) menuButton(button, dialogs);
copyButtons();
copyLinkButtons();
deviceZoneButtons();
liveUpdates();
// The study form's rows of time ranges: its own module, fetched only where the form is.
if (document.querySelector('[data-study-form]')) import('./study-form.js');
