import { renderErrorPage, type ErrorPage } from '../web/error-page';
import type { DocumentAssets } from '../web/page-document';

export type ProblemPage = ErrorPage;

/** The link does not exist (or never did): nothing about any study is revealed. */
export const unknownLinkPage: ProblemPage = {
  status: 404,
  heading: 'This booking link is not valid',
  message:
    'Please check that you opened the whole link from your invitation email. If it still does not work, reply to that email and ask the research team for a new link.',
};

export const expiredLinkPage: ProblemPage = {
  status: 410,
  heading: 'This booking link has expired',
  message: 'Please reply to your invitation email and ask the research team for a new link.',
};

export const closedStudyPage: ProblemPage = {
  status: 410,
  heading: 'This study is no longer taking bookings',
  message: 'Thank you for your interest. If you think this is a mistake, reply to your invitation email.',
};

export const failurePage: ProblemPage = {
  status: 500,
  heading: 'Something went wrong on our side',
  message: 'Please try again in a few minutes. Your link is still valid.',
};

/** The database is away for a moment (a 503 with Retry-After): the link is fine. */
export const unavailablePage: ProblemPage = {
  status: 503,
  heading: 'Booking is paused for a moment',
  message: 'We cannot reach our records right now. Please try again in a minute. Your link is still valid.',
};

/** A friendly page for a link that cannot be used; the status code tells machines why. */
export function renderProblemPage(page: ProblemPage, assets: DocumentAssets): string {
  return renderErrorPage(page, assets.stylesheet);
}
