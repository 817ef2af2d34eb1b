import type { ResponseSpec } from '../http/route-table';

/** What every console page may answer besides its own content (OpenAPI). */
export const PAGE_RESPONSES: Record<number, ResponseSpec> = {
  303: { description: 'Signed out: to the sign-in page, which comes back here' },
  400: {
    description: 'Input that is not valid or cannot be stored; nothing changed',
    contentType: 'text/html',
  },
};

/** And every console form post. */
export const FORM_RESPONSES: Record<number, ResponseSpec> = {
  ...PAGE_RESPONSES,
  403: {
    description: 'The form’s CSRF token is missing or wrong; nothing changed',
    contentType: 'text/html',
  },
};
