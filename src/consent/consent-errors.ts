import { AppError, Conflict, problemTypeBase } from '../http/problem';

/** 400 `consent-required`: the study asks for consent and the booking did not give it. */
export class ConsentRequired extends AppError {
  constructor() {
    super(
      400,
      'Consent required',
      'This study asks for your consent before booking. Read the consent text and tick the box to agree, then book again.',
      `${problemTypeBase}consent-required`,
    );
  }
}

/** 409 `consent-outdated`: the text changed after the participant read it. */
export class ConsentOutdated extends Conflict {
  constructor(currentVersion: number) {
    super(
      'The consent text has changed since you read it. Please read the new text and agree to it again.',
      'consent-outdated',
      { currentVersion },
    );
  }
}
