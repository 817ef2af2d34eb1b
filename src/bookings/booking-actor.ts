import type { ConsentToRecord } from '../consent/booking-consent';
/**
 * Who makes a booking, and what that changes in the one hold-and-finish path that
 * participants and researchers share. A participant books from their link within what the
 * study offers; a researcher books from the console and may go beyond it: with a reason,
 * past the study's rules, and — once they confirm — over an event in their own calendar.
 * The exclusion constraint against other interviews holds for everyone.
 */
export type BookingActor =
  | { kind: 'participant' }
  | {
      kind: 'researcher';
      researcherId: string;
      /** Why a time the study does not offer was booked anyway; null when it is offered. */
      overrideReason: string | null;
    };

export const PARTICIPANT_BOOKING: BookingActor = Object.freeze({ kind: 'participant' });

/**
 * Whether the hold checks the study's rules again under the researcher's lock (buffers,
 * daily limit): not when a researcher overrode them on purpose.
 */
export function enforcesAvailability(by: BookingActor): boolean {
  return by.kind === 'participant' || by.overrideReason === null;
}

/**
 * Whether Google is asked again right after the hold. A researcher's request asked already
 * (to name the overlapping events) or was told to book despite an overlap.
 */
export function rechecksCalendarAfterHold(by: BookingActor): boolean {
  return by.kind === 'participant';
}

/** What a hold or a move carries besides the slot: who books, and what the participant gave. */
export interface BookingOptions {
  /** What the participant gave on the booking page, decided again in the transaction. */
  consent?: ConsentToRecord | undefined;
  /** The participant's own zone, as their browser reported it: emails are written in it. */
  timeZone?: string;
  by?: BookingActor;
}
