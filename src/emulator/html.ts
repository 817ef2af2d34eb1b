/** Everything printed into HTML goes through here. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tiny tagged template: interpolated values are escaped unless wrapped with `raw`. */
export interface RawHtml {
  readonly __html: string;
}

export const raw = (html: string): RawHtml => ({ __html: html });

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return raw(out);
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && value !== null && '__html' in value) return String(value.__html);
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

export function page(title: string, body: RawHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            margin: 2rem;
            max-width: 60rem;
            color: #202124;
          }
          h1 {
            font-size: 1.4rem;
          }
          h2 {
            font-size: 1.15rem;
            margin-top: 2rem;
          }
          table {
            border-collapse: collapse;
            width: 100%;
          }
          td,
          th {
            border-bottom: 1px solid #dadce0;
            padding: 0.4rem;
            text-align: left;
            vertical-align: top;
          }
          form.inline {
            display: inline;
          }
          button {
            margin: 0.1rem;
          }
          label {
            margin-right: 0.4rem;
          }
          .status-cancelled {
            text-decoration: line-through;
            color: #80868b;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html> `.__html;
}
