import { escapeHtml } from '../mail/html';

/** Markup that is already safe: built by `html`, never by string concatenation. */
export interface SafeHtml {
  readonly safeHtml: string;
}

/**
 * A tagged template for the service's pages: every interpolated value is escaped unless it is
 * `SafeHtml` itself (or an array of those), so names and titles that researchers and
 * participants typed can never become markup.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return { safeHtml: out };
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafeHtml(value)) return value.safeHtml;
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && 'safeHtml' in value;
}

/**
 * JSON for a `<script type="application/json">` block. The browser ends the block at the
 * first `</script`, whatever the JSON means, so `<`, `>` and `&` are written as escapes
 * (still the same JSON for JSON.parse); U+2028/2029 too, for older parsers.
 */
export function jsonScriptContent(value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return { safeHtml: json };
}
