import { renderErrorPage, type ErrorPage } from '../web/error-page';
import type { DocumentAssets } from '../web/page-document';
import { CATALOGUES, fill, type Language, type StringKey } from './strings';
import { dateTimeFormat } from '../availability/date-time-formats';

export type ProblemPage = ErrorPage;

/** Why a booking link cannot open the booking page. */
export type LinkProblem =
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'closed' }
  | { kind: 'replaced'; newLinkSentAt: Date; timeZone: string }
  | { kind: 'failure' }
  | { kind: 'unavailable' };

const PAGES: Record<LinkProblem['kind'], { status: number; heading: StringKey; message: StringKey }> = {
  // The link does not exist (or never did): nothing about any study is revealed.
  unknown: { status: 404, heading: 'invalidLinkHeading', message: 'invalidLinkText' },
  expired: { status: 410, heading: 'expiredLinkHeading', message: 'expiredLinkText' },
  closed: { status: 410, heading: 'closedStudyHeading', message: 'closedStudyText' },
  // A re-invite replaced it: only the date of the new link is told, nothing else.
  replaced: { status: 410, heading: 'replacedLinkHeading', message: 'replacedLinkText' },
  failure: { status: 500, heading: 'failureHeading', message: 'failureText' },
  // The database is away for a moment (a 503 with Retry-After): the link is fine.
  unavailable: { status: 503, heading: 'unavailableHeading', message: 'unavailableText' },
};

/** The date as the participant's language writes it ("9 December 2026", "9. Dezember 2026"). */
export function longDate(date: Date, language: Language, timeZone: string): string {
  return dateTimeFormat(language, { dateStyle: 'long', timeZone }).format(date);
}

/** A friendly page, in the participant's language, for a link that cannot be used. */
export function problemPage(problem: LinkProblem, language: Language): ProblemPage {
  const strings = CATALOGUES[language];
  const page = PAGES[problem.kind];
  const values: Record<string, string> =
    problem.kind === 'replaced' ? { date: longDate(problem.newLinkSentAt, language, problem.timeZone) } : {};
  return {
    status: page.status,
    heading: strings[page.heading],
    message: fill(strings[page.message], values),
    lang: language,
  };
}

/** The status code tells machines why. */
export function renderProblemPage(page: ProblemPage, assets: DocumentAssets): string {
  return renderErrorPage(page, assets.stylesheet);
}
