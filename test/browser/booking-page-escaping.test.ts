import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { html, jsonScriptContent } from '../../src/web/html';
import { launchBrowser } from './support/browser';

/**
 * Whatever researchers and participants type (titles, names) reaches the page through
 * `html` (escaped text and attributes) and `jsonScriptContent` (the data block the script
 * reads). Chromium's own HTML parser is the judge: what it reads back must be exactly what
 * was written, and nothing may become markup.
 */

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(() => browser?.close());

// The HTML parser itself turns CR into LF and NUL into U+FFFD in text; that is not escaping.
const text = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom(
      '</script>',
      '</SCRIPT ',
      '<!--',
      '<script>',
      '"\'&<>',
      '\u2028\u2029',
      '&amp;',
      '</p><b>x',
    ),
    fc
      .array(fc.constantFrom('<', '/', 's', 'c', 'r', 'i', 'p', 't', '>', '!', '-', '"', "'", '&', 'x'), {
        maxLength: 20,
      })
      .map((chars) => chars.join('')),
  )
  .filter((value) => !/[\r\0]/.test(value));

describe('Escaping on the booking page', () => {
  test('When any text goes into element content and attributes, then Chromium reads back the same text and no element', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        await page.setContent(html`<p id="probe" title="${value}">${value}</p>`.safeHtml);
        const seen = await page.evaluate(() => {
          const probe = document.getElementById('probe');
          return {
            text: probe?.textContent,
            title: probe?.getAttribute('title'),
            children: probe?.children.length,
          };
        });
        expect(seen).toEqual({ text: value, title: value, children: 0 });
      }),
      { numRuns: 150 },
    );
  });

  test('When any data goes into the JSON block, then the block is not ended early and JSON.parse gives the same data', async () => {
    const data = fc.record({ api: text, names: fc.array(text, { maxLength: 3 }), count: fc.integer() });
    await fc.assert(
      fc.asyncProperty(data, async (value) => {
        await page.setContent(
          html`<script type="application/json" id="data">
              ${jsonScriptContent(value)}
            </script>
            <p id="after">end</p>`.safeHtml,
        );
        const seen = await page.evaluate(() => ({
          data: JSON.parse(document.getElementById('data')?.textContent ?? 'null') as unknown,
          scripts: document.scripts.length,
          after: document.getElementById('after')?.textContent,
        }));
        expect(seen).toEqual({ data: value, scripts: 1, after: 'end' });
      }),
      { numRuns: 150 },
    );
  });
});
