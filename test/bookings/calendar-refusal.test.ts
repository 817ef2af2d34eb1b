import { refusalWords } from '../../src/bookings/calendar-refusal';
import type { GoogleFailure } from '../../src/google';

const refused = (status: number | undefined, reason: string | undefined, failure: GoogleFailure) =>
  refusalWords({ status, reason, failure });

describe('What a refused booking is called', () => {
  test.each([
    [
      403,
      'quotaExceeded',
      { kind: 'forbidden' },
      /usage limit for this calendar is reached \(Google answered 403 quotaExceeded\)/,
    ],
    [403, 'dailyLimitExceeded', { kind: 'forbidden' }, /usage limit.*dailyLimitExceeded/],
    [400, 'invalid', { kind: 'invalid' }, /refused the interview event \(Google answered 400 invalid\)/],
    [404, 'notFound', { kind: 'notFound' }, /did not find the calendar/],
    [403, 'forbidden', { kind: 'forbidden' }, /refused access.*Reconnect Google/],
    [401, 'invalid_client', { kind: 'clientRejected' }, /OAuth client.*need fixing/],
    [
      undefined,
      undefined,
      { kind: 'unknown' },
      /^Not booked: Google Calendar refused the interview event\.$/,
    ],
  ] as const)(
    'When Google answers %s %s, then the researcher reads why and the participant is told the time is free again',
    (status, reason, failure, researcherWords) => {
      const words = refused(status, reason, failure as GoogleFailure);
      expect(words.researcher).toMatch(researcherWords);
      expect(words.participant).toMatch(/not booked and the time is free again/);
      // The participant is not shown Google's codes or the researcher's setup.
      expect(words.participant).not.toMatch(/Google answered|OAuth|quota/i);
    },
  );
});
