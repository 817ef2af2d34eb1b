const replacements: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML element content and for double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => replacements[character] ?? character);
}

/** Only a web link may become a link's target: never `javascript:` or `data:`. */
export function checkedWebUrl(value: string): string {
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new Error('expected an http(s) URL');
  }
  return parsed.href;
}

/**
 * The one layout of every email's HTML part: plain, readable on a phone, no images or
 * tracking; `inner` is already escaped HTML.
 */
export function emailDocument(subject: string, inner: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff;">
<main style="max-width:560px;margin:0 auto;">
${inner}
</main>
</body>
</html>
`;
}
