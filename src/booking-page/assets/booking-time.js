/**
 * Time zones and how dates and times are written on the booking page: always in the
 * viewer's zone, with the zone's name in words, in the page's language.
 */

/** The zone's canonical IANA name ("europe/berlin" → "Europe/Berlin"), or null if unknown. */
export function canonicalZone(value) {
  if (!value) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function detectZone() {
  return canonicalZone(new Intl.DateTimeFormat().resolvedOptions().timeZone) ?? 'UTC';
}

/** Every zone the browser knows, for the searchable list; `extra` is always in it. */
export function supportedZones(extra) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...zones, 'UTC', extra])].sort();
}

const zonePart = (zone, at, lang, style) =>
  new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: style })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;

/**
 * A zone as people say it, with the offset at `at` (it changes with daylight saving time):
 * "Eastern Time — New York (GMT-05:00)", "Nordamerikanische Ostküstenzeit — New York
 * (GMT-05:00)"; the offset alone for zones without a name ("Etc/GMT+5").
 * THE SAME RULE AS `describeTimeZone` in src/web/time-zone-name.ts (the emails and the
 * console): the two must agree, so change both or neither.
 */
export function zoneInWords(zone, at, lang) {
  const offset = zonePart(zone, at, lang, 'longOffset') ?? zone;
  let generic;
  for (const style of ['longGeneric', 'long']) {
    const name = zonePart(zone, at, lang, style);
    if (name && !/^(GMT|UTC)([+\-−]|$)/.test(name)) {
      generic = name;
      break;
    }
  }
  const segments = zone.split('/');
  const city =
    segments.length < 2 || segments[0] === 'Etc'
      ? undefined
      : segments[segments.length - 1].replace(/_/g, ' ');
  const name = [generic, city].filter(Boolean).join(' — ');
  return name ? `${name} (${offset})` : offset;
}

/** Formatting of instants as seen in one zone, in the language `lang`. */
export function inZone(zone, lang) {
  const formatter = (options) => new Intl.DateTimeFormat(lang, { timeZone: zone, ...options });
  const dayLong = (date) =>
    formatter({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(date);
  const timeOfDay = (date) => formatter({ hour: 'numeric', minute: '2-digit' }).format(date);
  const zoneLabel = (date = new Date()) => zoneInWords(zone, date, lang);

  return {
    zoneLabel,
    dayLong,
    timeOfDay,
    dayShort: (date) => formatter({ weekday: 'short', month: 'short', day: 'numeric' }).format(date),
    range(startIso, endIso) {
      const start = new Date(startIso);
      const end = new Date(endIso);
      // The zone's words hold parentheses of their own: a comma, not another pair.
      return `${dayLong(start)}, ${timeOfDay(start)} – ${timeOfDay(end)}, ${zoneLabel(start)}`;
    },
    /** The local date of an instant as YYYY-MM-DD: the key slots are grouped by. */
    dateKey(date) {
      const parts = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
      const part = (type) => parts.find((candidate) => candidate.type === type)?.value ?? '';
      return `${part('year')}-${part('month')}-${part('day')}`;
    },
  };
}

/** A date alone, long ("9 December 2026"), in the viewer's zone. */
export function longDate(iso, zone, lang) {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: zone }).format(new Date(iso));
}
