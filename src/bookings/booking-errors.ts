import type { SlotRefusal } from '../availability';
import { Conflict, Invalid } from '../http/problem';

/** 409 `slot-taken`: the booking page shows "just taken" and reloads the times. */
export class SlotTaken extends Conflict {
  constructor(detail = 'That time was just taken. Please pick another one.') {
    super(detail, 'slot-taken');
  }
}

/** What a participant is told when the start they sent is not (or no longer) bookable. */
export function slotRefusal(reason: SlotRefusal): Error {
  switch (reason) {
    case 'busy':
    case 'day-full':
      return new SlotTaken();
    case 'too-soon':
      return new Invalid('That time is too soon to book.', [
        { location: 'body', path: 'start', message: 'too soon' },
      ]);
    case 'outside-booking-window':
      return new Invalid('That time is outside the booking window.', [
        { location: 'body', path: 'start', message: 'outside the booking window' },
      ]);
    default:
      return new Invalid('That is not one of the offered times.', [
        { location: 'body', path: 'start', message: 'not an offered start time' },
      ]);
  }
}
