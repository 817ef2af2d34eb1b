/**
 * The name of every durable job queue. A queue's name is stored with each job, so a name,
 * once shipped, stays: renaming one strands the jobs already waiting under the old name.
 */

/** Delivers one row of the email outbox (`data: { outboxId }`). */
export const SEND_EMAIL = 'send-email';

/** Deletes the Google event of a cancelled booking (`data: { bookingId }`). */
export const DELETE_CALENDAR_EVENT = 'delete-calendar-event';

/** Puts a held (pending) booking on the researcher's calendar (`data: { bookingId }`). */
export const FINISH_BOOKING = 'finish-booking';

/** Moves a booking's Google event to the booking's current time (`data: { bookingId }`). */
export const UPDATE_BOOKING_EVENT = 'update-booking-event';

/** Reads a researcher's calendar changes since the stored sync token (`data: { researcherId, notifiedAt? }`). */
export const SYNC_CALENDAR = 'sync-calendar';

/** Opens a new push channel for a calendar whose channel Google reports gone (`data: { researcherId, channelId }`). */
export const REPLACE_CALENDAR_CHANNEL = 'replace-calendar-channel';

/** The nightly reconciliation, once per scheduled slot across all instances (`data: { slot }`). */
export const NIGHTLY_RECONCILE = 'nightly-reconcile';
