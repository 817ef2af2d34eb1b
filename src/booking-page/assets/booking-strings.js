/* global document */
/**
 * The page's words: the catalogue the server wrote the page with (src/booking-page/strings),
 * handed over in the `booking-config` block, so page and script speak one language.
 */
export const config = JSON.parse(document.getElementById('booking-config').textContent);

/** The page's language ("de"): what `Intl` writes dates and times in. */
export const lang = config.lang ?? document.documentElement.lang ?? 'en';

/** The string `key`, its "{placeholders}" filled from `values`. */
export function t(key, values = {}) {
  const template = config.strings?.[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
