import type { ErrorPage } from '../web/error-page';

/**
 * Why "Connect with Google" did not end in a session, said twice: as a page for the
 * researcher's browser, and as the problem detail API clients have always had.
 */
export interface SignInFailure {
  page: ErrorPage;
  detail: string;
}

/** Where "Try again" leads: the start of the flow, back to the page it started from. */
function waysOn(returnTo: string | undefined): ErrorPage['links'] {
  const start = returnTo ? `/auth/google?returnTo=${encodeURIComponent(returnTo)}` : '/auth/google';
  return [
    { href: start, label: 'Try again' },
    { href: '/', label: 'Back to the home page' },
  ];
}

/** Google's `error` parameter: `access_denied` is the researcher's Cancel on the consent screen. */
export function googleRefused(error: string, returnTo?: string): SignInFailure {
  const detail = `Google did not grant access (${error}). Start again to connect your calendar.`;
  if (error === 'access_denied') {
    return {
      detail,
      page: {
        status: 400,
        heading: 'You did not give access to your Google Calendar',
        message:
          'The interview scheduler needs your Google Calendar to find free times and to put interviews in it, so you are not signed in. Nothing was changed. If you clicked Cancel by mistake, try again.',
        links: waysOn(returnTo),
      },
    };
  }
  return {
    detail,
    page: {
      status: 400,
      heading: 'Google did not connect your calendar',
      message: `Google answered “${error}”. Please try again; if it keeps happening, wait a few minutes and try once more.`,
      links: waysOn(returnTo),
    },
  };
}

export function expiredSignIn(): SignInFailure {
  return {
    detail: 'The sign-in request is invalid or has expired. Start again from "Connect with Google".',
    page: {
      status: 400,
      heading: 'This sign-in has expired',
      message:
        'Signing in took too long, or it was started in another browser or tab. Nothing was changed. Please start again.',
      links: waysOn(undefined),
    },
  };
}

export function usedCode(returnTo?: string): SignInFailure {
  return {
    detail: 'This sign-in code was already used or has expired. Start again.',
    page: {
      status: 400,
      heading: 'This sign-in has expired',
      message: 'This sign-in was already used or has expired. Nothing was changed. Please start again.',
      links: waysOn(returnTo),
    },
  };
}

/** Granular consent: a calendar permission was unticked; consenting again (with it) fixes it. */
export function missingPermissions(permissions: string[], returnTo?: string): SignInFailure {
  const list = permissions.map((permission) => `“${permission}”`).join(' and ');
  return {
    detail: `Google did not give the calendar permission the scheduler needs: ${list}. Connect again and leave it ticked.`,
    page: {
      status: 400,
      heading: 'A Google Calendar permission is missing',
      message: `On Google’s consent screen the permission ${list} was not ticked. The interview scheduler needs it to find free times and to put interviews in your calendar, so your calendar is not connected and nothing was changed. Try again and leave every box ticked.`,
      links: waysOn(returnTo),
    },
  };
}

/** Google refused the service's own OAuth client: nothing the researcher can fix. */
export function clientRejected(returnTo?: string): SignInFailure {
  return {
    detail:
      "Google rejected this service's sign-in configuration. An administrator must fix it; please try again later.",
    page: {
      status: 503,
      heading: 'Signing in with Google is not working right now',
      message:
        'Google refused this service’s sign-in configuration. This is not a problem with your account, and nothing was changed. The administrators can see the cause; please try again later.',
      links: waysOn(returnTo),
    },
  };
}

export function missingCode(returnTo?: string): SignInFailure {
  return {
    detail: 'Google sent no authorization code.',
    page: {
      status: 400,
      heading: 'Google did not connect your calendar',
      message: 'Google sent us back without an answer. Nothing was changed. Please try again.',
      links: waysOn(returnTo),
    },
  };
}
