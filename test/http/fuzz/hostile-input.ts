import fc from 'fast-check';

/** Text PostgreSQL cannot store: NUL, and UTF-16 surrogates without their partner. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isUnstorable = (text: string): boolean => UNSTORABLE.test(text);

/** Whether any string (or key) in a JSON value is unstorable. */
export function carriesUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (Array.isArray(value)) return value.some(carriesUnstorableText);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => isUnstorable(key) || carriesUnstorableText(inner));
  }
  return false;
}

const oddText = fc.constantFrom(
  '\u0000',
  'Ann\u0000Lee',
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  '😀\ud83d',
  '%00',
  '%ff',
  '\u202eevil',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{{participantName}}{{nope}}',
  ' ',
  '',
  '\r\n',
);

/** Strings for URLs (path and query): long ones stay under Node's 16 KB header limit. */
export const hostileUrlText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: oddText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(8_000)) },
);

/** Strings for bodies: also a 1 MB one. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: hostileUrlText },
  { weight: 1, arbitrary: fc.constant('x'.repeat(1_048_576)) },
);

/**
 * Path segments as they arrive on the wire: percent-encodings that do not decode (a lone
 * `%`, a truncated or overlong UTF-8 sequence, an encoded surrogate), and ones that decode
 * to text we refuse.
 */
export const oddPathSegment = fc.constantFrom(
  '%ff',
  '%E0%A4%A',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%00',
  'a%00b',
  '%2F..%2F',
  '..',
  encodeURIComponent('😀'),
  'x'.repeat(8_000),
);

/** The segments that cannot be decoded or decode to NUL: never accepted. */
export const refusedPathSegments = new Set(['%ff', '%E0%A4%A', '%', '%zz', '%C0%AF', '%ED%A0%80', '%00', 'a%00b']);

/**
 * `encodeURIComponent`, except that a lone surrogate (which it refuses to encode) goes out
 * as its CESU-8 bytes, exactly what a careless client would send.
 */
export function encodeLoosely(text: string): string {
  let out = '';
  for (const char of text) {
    out += /^[\ud800-\udfff]$/.test(char) ? cesu8(char.charCodeAt(0)) : encodeURIComponent(char);
  }
  return out;
}

function cesu8(code: number): string {
  const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  return bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
}
