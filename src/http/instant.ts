import { z } from 'zod';

/** The years an interview time may fall in: the calendar code works in four-digit years. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9998, 11, 31);

/**
 * An instant as the API takes it: ISO 8601 with an offset, between 1970 and 9998. ISO allows
 * years 0000–9999 and offsets that push 9999-12-31 into year 10000; the time-zone arithmetic
 * behind availability cannot write those, so they are a 400 here rather than an error later.
 */
export const InstantSchema = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' })
  .refine((value) => {
    const at = Date.parse(value);
    return at >= EARLIEST && at <= LATEST;
  }, 'must be between the years 1970 and 9998');
