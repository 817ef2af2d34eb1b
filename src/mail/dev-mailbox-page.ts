import type { DevMailboxMessage } from './dev-mailbox-repository';
import { escapeHtml as e } from './html';

/**
 * The development mailbox as a page: newest first, each message's own HTML in a sandboxed
 * iframe (no scripts, no same-origin access; a click on a link opens it in this tab) and its
 * plain text beside it with the links clickable — the booking link is one click away.
 */
export function renderDevMailboxPage(messages: readonly DevMailboxMessage[], to?: string): string {
  const heading = to ? `Development mailbox for ${to}` : 'Development mailbox';
  const count = `${messages.length} message${messages.length === 1 ? '' : 's'}`;
  const body =
    messages.length === 0
      ? '<p>No email has been sent yet. Invite a participant and it appears here.</p>'
      : messages.map(renderMessage).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(heading)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; padding: 1.5rem; background: #f4f5f7; color: #1a1a1a; }
main { max-width: 60rem; margin: 0 auto; }
article { background: #fff; border: 1px solid #d0d4da; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
iframe { width: 100%; height: 26rem; border: 1px solid #d0d4da; border-radius: 4px; background: #fff; }
pre { white-space: pre-wrap; word-break: break-word; background: #f8f9fa; padding: .75rem; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>${e(heading)}</h1>
<p>Emails the service sends while no SMTP server is configured (SMTP_URL). ${e(count)}, newest first.</p>
${body}
</main>
</body>
</html>
`;
}

function renderMessage(message: DevMailboxMessage): string {
  const received = message.receivedAt.toISOString();
  // `<base target="_top">` with allow-top-navigation-by-user-activation: a clicked link
  // replaces this page instead of loading inside the small frame.
  const framed = `<base target="_top">${message.html}`;
  return `<article aria-labelledby="message-${message.id}">
<h2 id="message-${message.id}">${e(message.subject)}</h2>
<dl>
<dt>To</dt><dd>${e(message.to)}</dd>
<dt>From</dt><dd>${e(message.from)}</dd>
<dt>Received</dt><dd><time datetime="${received}">${received}</time></dd>
</dl>
<iframe title="${e(`HTML version of: ${message.subject}`)}" sandbox="allow-top-navigation-by-user-activation allow-popups" srcdoc="${e(framed)}"></iframe>
<h3>Plain text</h3>
<pre>${linkify(message.text)}</pre>
${message.attachments.map(renderAttachment).join('\n')}
</article>`;
}

/** A file sent with the message, shown as text (an `.ics` is text): its name, type and content. */
function renderAttachment(file: DevMailboxMessage['attachments'][number]): string {
  return `<details>
<summary>Attachment: ${e(file.filename)} (${e(file.contentType)})</summary>
<pre>${e(file.content)}</pre>
</details>`;
}

/** Escapes the text and turns each http(s) address in it into a link. */
export function linkify(text: string): string {
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let html = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const url = match[0];
    html += e(text.slice(last, match.index)) + `<a href="${e(url)}">${e(url)}</a>`;
    last = match.index + url.length;
  }
  return html + e(text.slice(last));
}
