import { Conflict } from '../http/problem';

/** 409 `slot-taken`: the booking page shows "just taken" and reloads the times. */
export class SlotTaken extends Conflict {
  constructor(detail = 'That time was just taken. Please pick another one.') {
    super(detail, 'slot-taken');
  }
}
