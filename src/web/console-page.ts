import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { CookieSettings } from '../auth/cookies';
import type { RouteTable } from '../http/route-table';
import { setFlash, takeFlash, type Flash } from './flash';
import { html, type SafeHtml } from './html';
import { renderDocument } from './page-document';
import { currentPageSession, requirePageSession, type PageSession } from './page-session';
import { loadAsset, registerAsset, versionedUrl } from './static-assets';

export type ConsoleSection = 'home' | 'studies' | 'interviews' | 'team' | 'settings';

/** What the layout shows around every console page, fixed per process. */
export interface ConsoleChrome {
  stylesheet: string;
  script: string;
  /** The in-process Google emulator (development): the header links to its calendars. */
  emulatorUrl?: string | undefined;
  /** The development mailbox is on (no SMTP server outside production). */
  devMailbox: boolean;
}

export interface ConsolePage {
  /** The page's h1 and, with the product name, the document title. */
  title: string;
  current?: ConsoleSection;
  body: SafeHtml;
  flash?: SafeHtml | undefined;
}

export const PRODUCT_NAME = 'Interview scheduler';

const NAV: { section: ConsoleSection; href: string; label: string }[] = [
  { section: 'home', href: '/', label: 'Home' },
  { section: 'studies', href: '/studies', label: 'Studies' },
  { section: 'interviews', href: '/interviews/upcoming', label: 'Interviews' },
  { section: 'team', href: '/team', label: 'Team' },
  { section: 'settings', href: '/settings', label: 'Settings' },
];

/**
 * The one layout of the researcher console: skip link, header with the product name and
 * navigation (the current section marked with aria-current), development links, sign-out,
 * the status area for flash messages, and `<main id="main">` holding the page. The page's
 * body brings its own h1.
 */
export function renderConsolePage(page: ConsolePage, session: PageSession, chrome: ConsoleChrome): string {
  return renderDocument(
    `${page.title} – ${PRODUCT_NAME}`,
    { stylesheet: chrome.stylesheet, script: chrome.script, favicon: '/favicon.svg' },
    html`<a class="skip-link" href="#main">Skip to main content</a>
      <header class="console-header">
        <div class="console-header__inner">
          <a class="console-product" href="/">${PRODUCT_NAME}</a>
          <nav aria-label="Console">
            <ul class="console-nav">
              ${NAV.map(
                (item) =>
                  html`<li>
                    <a href="${item.href}" ${item.section === page.current ? html`aria-current="page"` : ''}
                      >${item.label}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
          ${developmentLinks(chrome)}
          <form class="console-signout" method="post" action="/auth/logout">
            <input type="hidden" name="csrf" value="${session.csrf}" />
            <button type="submit" class="button-link">Sign out</button>
          </form>
        </div>
      </header>
      <main id="main" class="console-main" tabindex="-1">
        <div class="flash" role="status" aria-live="polite" data-flash>${page.flash ?? ''}</div>
        ${page.body}
      </main>`,
  );
}

function developmentLinks(chrome: ConsoleChrome): SafeHtml | '' {
  if (!chrome.emulatorUrl && !chrome.devMailbox) return '';
  return html`<ul class="console-dev" aria-label="Development">
    ${chrome.emulatorUrl ? html`<li><a href="${chrome.emulatorUrl}/_emulator/">Emulator calendars</a></li>` : ''}
    ${chrome.devMailbox ? html`<li><a href="/dev/mailbox?format=html">Development mailbox</a></li>` : ''}
  </ul>`;
}

export interface ConsoleDeps {
  knex: Knex;
  cookies: CookieSettings;
  emulatorUrl?: string | undefined;
  devMailbox: boolean;
}

/** What every console route uses: the session guard, the layout, flash messages. */
export interface Console {
  /** Middleware for every console route: signed in, and a valid CSRF field on posts. */
  requireSession: RequestHandler;
  session(res: Response): PageSession;
  /** Renders `page` in the layout, with the flash message left by the last post (if any). */
  sendPage(req: Request, res: Response, page: ConsolePage, status?: number): void;
  /** The message the next page shows; call before redirecting (303) after a post. */
  flash(res: Response, flash: Flash): void;
  /** The flash message for pages that render it themselves (e.g. with the booking link). */
  takeFlash(req: Request, res: Response): Flash | undefined;
  cookies: CookieSettings;
}

const ASSET_DIR = path.join(__dirname, 'assets');

/** Registers the console's assets (stylesheet, script, favicon) and returns its toolkit. */
export function createConsole(table: RouteTable, deps: ConsoleDeps): Console {
  const stylesheet = loadAsset(ASSET_DIR, 'console.css', '/assets/console.css', 'text/css; charset=utf-8');
  const script = loadAsset(ASSET_DIR, 'console.js', '/assets/console.js', 'text/javascript; charset=utf-8');
  // Loaded by console.js (a dynamic import) on pages with the study form.
  const studyForm = loadAsset(
    ASSET_DIR,
    'study-form.js',
    '/assets/study-form.js',
    'text/javascript; charset=utf-8',
  );
  const favicon = loadAsset(ASSET_DIR, 'favicon.svg', '/favicon.svg', 'image/svg+xml');
  registerAsset(table, stylesheet, 'The researcher console stylesheet', 'console');
  registerAsset(table, script, 'The researcher console script', 'console');
  registerAsset(table, studyForm, 'The study form script: adds and removes time ranges', 'console');
  registerAsset(table, favicon, 'The icon of the service', 'console');
  table.add({
    method: 'get',
    path: '/favicon.ico',
    summary: 'Browsers ask for it on their own; the pages link /favicon.svg',
    tags: ['console'],
    responses: { 204: { description: 'No icon here' } },
    handler: ({ res }) => {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.status(204).end();
    },
  });
  const chrome: ConsoleChrome = {
    stylesheet: versionedUrl(stylesheet),
    script: versionedUrl(script),
    emulatorUrl: deps.emulatorUrl,
    devMailbox: deps.devMailbox,
  };
  return {
    requireSession: requirePageSession(deps.knex, deps.cookies),
    session: currentPageSession,
    sendPage(req, res, page, status = 200) {
      const flash = page.flash ?? flashHtml(takeFlash(req, res, deps.cookies));
      res.setHeader('Cache-Control', 'no-store');
      res
        .status(status)
        .type('html')
        .send(renderConsolePage({ ...page, flash }, currentPageSession(res), chrome));
    },
    flash: (res, flash) => setFlash(res, deps.cookies, flash),
    takeFlash: (req, res) => takeFlash(req, res, deps.cookies),
    cookies: deps.cookies,
  };
}

function flashHtml(flash: Flash | undefined): SafeHtml | undefined {
  return flash ? html`<p>${flash.message}</p>` : undefined;
}
