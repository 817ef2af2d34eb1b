/**
 * Time zones and how dates and times are written on the booking page: always in the
 * viewer's zone, with the zone's name, in the viewer's own language.
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

/** Formatting of instants as seen in one zone. */
export function inZone(zone) {
  const formatter = (options) => new Intl.DateTimeFormat(undefined, { timeZone: zone, ...options });
  const dayLong = (date) =>
    formatter({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(date);
  const timeOfDay = (date) => formatter({ hour: 'numeric', minute: '2-digit' }).format(date);

  /** "America/New York, GMT-5": the offset depends on the date (daylight saving time). */
  const zoneLabel = (date = new Date()) => {
    const offset = formatter({ timeZoneName: 'shortOffset' })
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName');
    const name = zone.replace(/_/g, ' ');
    return offset ? `${name}, ${offset.value}` : name;
  };

  return {
    zoneLabel,
    dayLong,
    timeOfDay,
    dayShort: (date) => formatter({ weekday: 'short', month: 'short', day: 'numeric' }).format(date),
    range(startIso, endIso) {
      const start = new Date(startIso);
      const end = new Date(endIso);
      return `${dayLong(start)}, ${timeOfDay(start)} – ${timeOfDay(end)} (${zoneLabel(start)})`;
    },
    /** The local date of an instant as YYYY-MM-DD: the key slots are grouped by. */
    dateKey(date) {
      const parts = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
      const part = (type) => parts.find((candidate) => candidate.type === type)?.value ?? '';
      return `${part('year')}-${part('month')}-${part('day')}`;
    },
  };
}
