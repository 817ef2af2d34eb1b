import { decideConsent } from '../../src/consent/consent-decision';

describe('Deciding consent for a booking', () => {
  const base = { required: true, currentVersion: 3, alreadyConsentedToCurrent: false };

  test.each([
    ['the study asks for none', { ...base, required: false, given: undefined }, { kind: 'not-needed' }],
    [
      'none was ever written',
      { ...base, currentVersion: undefined, given: undefined },
      { kind: 'not-needed' },
    ],
    [
      'the participant already agreed to it',
      { ...base, alreadyConsentedToCurrent: true, given: undefined },
      { kind: 'not-needed' },
    ],
    ['nothing was given', { ...base, given: undefined }, { kind: 'missing' }],
    ['the box was not ticked', { ...base, given: { version: 3, accepted: false } }, { kind: 'missing' }],
    [
      'an older version was agreed to',
      { ...base, given: { version: 2, accepted: true } },
      { kind: 'outdated', currentVersion: 3 },
    ],
    [
      'the current version was agreed to',
      { ...base, given: { version: 3, accepted: true } },
      { kind: 'record', version: 3 },
    ],
  ])('When %s, then the decision says so', (_story, input, expected) => {
    expect(decideConsent(input)).toEqual(expected);
  });
});
