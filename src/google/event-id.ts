/**
 * The Google event id of a booking's event, chosen by us so that retrying events.insert can
 * never create a second event: Google answers the retry with 409 `duplicate` instead.
 *
 * Google accepts base32hex ids (`a`–`v`, `0`–`9`, 5–1024 long). Lowercase hex digits are a
 * subset, so the UUID without dashes already fits; the `bk` prefix (also base32hex) marks
 * the event as one of ours and keeps the id valid even if a UUID ever started oddly.
 */
export function eventIdForBooking(bookingId: string): string {
  const hex = bookingId.toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) {
    throw new Error('A booking id must be a UUID to derive its Google event id');
  }
  return `bk${hex}`;
}

/** Google's rule for client-chosen event ids. */
export function isValidGoogleEventId(id: string): boolean {
  return /^[a-v0-9]{5,1024}$/.test(id);
}
