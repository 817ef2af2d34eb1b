import fc from 'fast-check';
import { eventIdForBooking, isValidGoogleEventId } from '../../src/google/event-id';

describe('The Google event id of a booking', () => {
  test('When derived from any booking UUID, then it is a valid base32hex event id', () => {
    fc.assert(
      fc.property(fc.uuid(), (bookingId) => {
        expect(isValidGoogleEventId(eventIdForBooking(bookingId))).toBe(true);
      }),
    );
  });

  test('When derived twice, or from the upper-case spelling, then it is the same id', () => {
    fc.assert(
      fc.property(fc.uuid(), (bookingId) => {
        expect(eventIdForBooking(bookingId)).toBe(eventIdForBooking(bookingId));
        expect(eventIdForBooking(bookingId.toUpperCase())).toBe(eventIdForBooking(bookingId));
      }),
    );
  });

  test('When two bookings differ, then their event ids differ', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (first, second) => {
        fc.pre(first.toLowerCase() !== second.toLowerCase());
        expect(eventIdForBooking(first)).not.toBe(eventIdForBooking(second));
      }),
    );
  });

  test('When the booking id is a known UUID, then the id is the prefixed hex', () => {
    expect(eventIdForBooking('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(
      'bk0f8fad5bd9cb469fa16570867728950e',
    );
  });

  test('When the booking id is not a UUID, then no id is derived', () => {
    expect(() => eventIdForBooking('booking-42')).toThrow('must be a UUID');
  });

  test('When an id has characters outside base32hex or is too short, then Google would refuse it', () => {
    expect(isValidGoogleEventId('abcw1')).toBe(false);
    expect(isValidGoogleEventId('ab1')).toBe(false);
    expect(isValidGoogleEventId('ABCDE')).toBe(false);
  });
});
