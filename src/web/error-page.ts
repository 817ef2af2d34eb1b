import type { Request, Response } from 'express';
import { html } from './html';
import { renderDocument } from './page-document';

/** The stylesheet every page shares (served by the booking page routes). */
export const PAGE_STYLESHEET = '/assets/booking-page.css';

export interface ErrorPage {
  status: number;
  heading: string;
  message: string;
  /** What exactly is wrong, one line each (the fields of a validation error). */
  details?: string[];
  /** Ways on from here, e.g. "Try again"; the first is shown as a button. */
  links?: { href: string; label: string }[];
  /** The language the page is written in; English unless said. */
  lang?: string;
}

/** A page that says what went wrong in plain words; the status code tells machines why. */
export function renderErrorPage(page: ErrorPage, stylesheet = PAGE_STYLESHEET): string {
  const [first, ...rest] = page.links ?? [];
  return renderDocument(
    page.heading,
    { stylesheet },
    html`<main id="main" class="page">
      <h1>${page.heading}</h1>
      <p>${page.message}</p>
      ${
        page.details?.length
          ? html`<ul>
              ${page.details.map((detail) => html`<li>${detail}</li>`)}
            </ul>`
          : ''
      }
      ${
        first
          ? html`<p class="actions">
              <a class="button" href="${first.href}">${first.label}</a>
              ${rest.map((link) => html`<a href="${link.href}">${link.label}</a>`)}
            </p>`
          : ''
      }
    </main>`,
    page.lang,
  );
}

export function sendErrorPage(res: Response, page: ErrorPage): void {
  // An error page may name what the visitor was doing; no shared cache keeps it.
  res.setHeader('Cache-Control', 'no-store');
  res.status(page.status).type('html').send(renderErrorPage(page));
}

/**
 * A browser navigating (Accept: text/html, …) rather than a script: API clients that ask
 * for JSON, or say nothing (Accept absent or `*\/*`), keep getting problem+json.
 */
export function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html';
}

/** Headings for the pages of errors that have no page of their own. */
export function headingForStatus(status: number): string {
  if (status >= 500) return 'Something went wrong on our side';
  switch (status) {
    case 401:
      return 'Please sign in first';
    case 403:
      return 'You cannot do this here';
    case 404:
      return 'This page does not exist';
    case 410:
      return 'This page is no longer available';
    case 429:
      return 'Too many requests';
    default:
      return 'Something in this request is not right';
  }
}
