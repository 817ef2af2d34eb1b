/**
 * Whether a booking request may go ahead as far as consent goes (issue 14). Pure: the
 * caller loads the study's current version and whether the participant has agreed to it.
 *
 * - A study without consent: nothing to record, whatever the request says.
 * - A participant who already agreed to the current version (moving their interview):
 *   nothing to ask again, nothing new to record.
 * - Otherwise the request must accept the current version; an older version means the
 *   participant read words that have changed since, and must read them again.
 */
export type ConsentDecision =
  | { kind: 'not-needed' }
  | { kind: 'record'; version: number }
  | { kind: 'missing' }
  | { kind: 'outdated'; currentVersion: number };

export interface ConsentGiven {
  version: number;
  accepted: boolean;
}

export function decideConsent(input: {
  required: boolean;
  /** The study's current version; undefined only when no text was ever written. */
  currentVersion: number | undefined;
  alreadyConsentedToCurrent: boolean;
  given: ConsentGiven | undefined;
}): ConsentDecision {
  if (!input.required || input.currentVersion === undefined) return { kind: 'not-needed' };
  if (input.alreadyConsentedToCurrent) return { kind: 'not-needed' };
  if (!input.given || input.given.accepted !== true) return { kind: 'missing' };
  if (input.given.version !== input.currentVersion) {
    return { kind: 'outdated', currentVersion: input.currentVersion };
  }
  return { kind: 'record', version: input.currentVersion };
}
