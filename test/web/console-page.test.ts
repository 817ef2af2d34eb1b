import { renderConsolePage, type ConsoleChrome } from '../../src/web/console-page';
import { html } from '../../src/web/html';
import { startStack, type Stack } from '../support/stack';

const session = { researcherId: 'r1', sessionId: 's1', csrf: 'token-123', timeZone: null };
const chrome: ConsoleChrome = {
  stylesheet: '/assets/console.css?v=1',
  script: '/assets/console.js?v=1',
  devMailbox: false,
};

describe('The console layout', () => {
  test('When a page is in a section, then its nav link is the current page and the others are not', () => {
    const page = renderConsolePage(
      { title: 'Studies', current: 'studies', body: html`<h1>Studies</h1>` },
      session,
      chrome,
    );

    expect(page).toMatch(/<a href="\/studies"\s+aria-current="page"\s*>Studies<\/a/);
    expect(page).not.toMatch(/href="\/settings"\s+aria-current/);
    expect(page).toContain('<main id="main"');
    expect(page).toContain('href="#main"');
    expect(page).toMatch(/role="status"/);
    expect(page).toContain('<link rel="icon" href="/favicon.svg"');
  });

  test('When the sign-out form is rendered, then it posts to /auth/logout with the CSRF token', () => {
    const page = renderConsolePage({ title: 'X', body: html`` }, session, chrome);
    expect(page).toMatch(
      /<form class="console-signout" method="post" action="\/auth\/logout">\s*<input type="hidden" name="csrf" value="token-123"/,
    );
  });

  test('When the emulator and the development mailbox are in use, then the header links to both; otherwise to neither', () => {
    const dev = renderConsolePage({ title: 'X', body: html`` }, session, {
      ...chrome,
      emulatorUrl: 'http://127.0.0.1:4000',
      devMailbox: true,
    });
    const plain = renderConsolePage({ title: 'X', body: html`` }, session, chrome);

    expect(dev).toContain('href="http://127.0.0.1:4000/_emulator/"');
    expect(dev).toContain('href="/dev/mailbox?format=html"');
    expect(plain).not.toContain('_emulator');
    expect(plain).not.toContain('/dev/mailbox');
  });

  test('When a title holds markup, then it is shown as text', () => {
    const page = renderConsolePage({ title: '<b>x</b>', body: html`` }, session, chrome);
    expect(page).toContain('<title>&lt;b&gt;x&lt;/b&gt; – Interview scheduler</title>');
  });
});

describe('The console assets', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
  });
  afterAll(() => stack.close());

  test('When a browser asks for the icons, then /favicon.svg is an SVG and /favicon.ico answers 204', async () => {
    const svg = await fetch(`${stack.url}/favicon.svg`);
    const ico = await fetch(`${stack.url}/favicon.ico`);

    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(ico.status).toBe(204);
  });

  test('When the stylesheet and the script are asked for, then both are served with their types', async () => {
    const css = await fetch(`${stack.url}/assets/console.css`);
    const js = await fetch(`${stack.url}/assets/console.js`);

    expect(css.headers.get('content-type')).toContain('text/css');
    expect(js.headers.get('content-type')).toContain('text/javascript');
  });
});
