import type { BookingEmailContext } from '../../src/mail/booking-email-outbox';
import { composeBookingEmail } from '../../src/mail/compose-booking-email';
import { parseIcs, valueOf } from './ics-parse';

const booking: BookingEmailContext = {
  bookingState: 'cancelled',
  start: new Date('2026-12-08T15:00:00Z'),
  end: new Date('2026-12-08T15:45:00Z'),
  meetUrl: null,
  googleEventId: 'evt1',
  eventSequence: 2,
  revision: 1,
  participantName: 'Ada Lovelace',
  participantTimeZone: 'Europe/Berlin',
  studyTitle: 'Checkout redesign',
  studyTimeZone: 'Europe/Berlin',
  studyOpen: true,
  durationMinutes: 45,
  eventTitle: 'Interview',
  eventDescription: 'A research interview.',
  researcherName: 'Grace Hopper',
  researcherEmail: 'grace@lab.example',
  emailTemplates: {},
};
const now = new Date('2026-12-05T06:00:00Z');

function sequenceOf(composed: ReturnType<typeof composeBookingEmail>): number {
  if (!composed.ok) throw new Error('not composed');
  return Number(valueOf(parseIcs(composed.message.attachments![0]!.content).events[0]!, 'SEQUENCE'));
}

describe('A booking email composed at send time', () => {
  test('When the calendar brought the interview back before its cancellation went out, then the cancellation is not sent', () => {
    const composed = composeBookingEmail(
      { kind: 'cancellation', details: { turn: 1 } },
      { ...booking, bookingState: 'confirmed' },
      null,
      now,
    );

    expect(composed).toEqual({
      ok: false,
      obsolete: true,
      reason: 'the interview was on again before this email went out',
    });
  });

  test('When the interview goes off, on and off again, then each calendar file has a higher SEQUENCE than the one before', () => {
    const confirmed = { ...booking, bookingState: 'confirmed' as const };
    const sequences = [
      sequenceOf(composeBookingEmail({ kind: 'confirmation', details: null }, confirmed, null, now)),
      sequenceOf(composeBookingEmail({ kind: 'cancellation', details: null }, booking, null, now)),
      sequenceOf(
        composeBookingEmail(
          { kind: 'confirmation', details: { revived: true, turn: 2 } },
          confirmed,
          null,
          now,
        ),
      ),
      sequenceOf(composeBookingEmail({ kind: 'cancellation', details: { turn: 3 } }, booking, null, now)),
    ];

    expect(sequences).toEqual([2, 3, 4, 5]);
  });
});
