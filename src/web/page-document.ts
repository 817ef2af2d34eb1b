import { html, type SafeHtml } from './html';

export interface DocumentAssets {
  /** Versioned URL of the stylesheet. */
  stylesheet: string;
  /** Versioned URL of the page script (a module); error pages have none. */
  script?: string;
  /** The modules it imports: preloaded, so they are not fetched one after another. */
  modules?: string[];
  /** The site icon (the console's pages link one). */
  favicon?: string;
}

/**
 * The HTML document around a page of the service. No inline script or style: the service's
 * Content Security Policy (helmet's default, `script-src 'self'`) would block them. The
 * booking link is a credential, so search engines are told to keep away, and helmet's
 * `Referrer-Policy: no-referrer` keeps it out of the Referer of the Meet link. `lang` is the
 * language the page is written in (the booking page speaks four).
 */
export function renderDocument(title: string, assets: DocumentAssets, body: SafeHtml, lang = 'en'): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}</title>
        ${assets.favicon ? html`<link rel="icon" href="${assets.favicon}" type="image/svg+xml" />` : ''}
        <link rel="stylesheet" href="${assets.stylesheet}" />
        ${assets.script ? html`<script type="module" src="${assets.script}"></script>` : ''}
        ${(assets.script ? (assets.modules ?? []) : []).map((module) => html`<link rel="modulepreload" href="${module}" />`)}
      </head>
      <body>
        ${body}
      </body>
    </html> `.safeHtml;
}
