/**
 * The name of every durable job queue. A queue's name is stored with each job, so a name,
 * once shipped, stays: renaming one strands the jobs already waiting under the old name.
 */

/** Delivers one row of the email outbox (`data: { outboxId }`). */
export const SEND_EMAIL = 'send-email';

/** Deletes the Google event of a cancelled booking (`data: { bookingId }`). */
export const DELETE_CALENDAR_EVENT = 'delete-calendar-event';
