import fc from 'fast-check';

/** Text PostgreSQL cannot store: NUL, and UTF-16 surrogates without their partner. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isUnstorable = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** Whether any string (or key) in a JSON value is unstorable. */
export function carriesUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (Array.isArray(value)) return value.some(carriesUnstorableText);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => isUnstorable(key) || carriesUnstorableText(inner));
  }
  return false;
}

/** NUL and lone surrogates, the text PostgreSQL cannot store, in a third of the draws. */
export const unstorableText = fc.constantFrom(
  '\u0000',
  'Ann\u0000Lee',
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  '😀\ud83d',
);
const oddText = fc.constantFrom(
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
  { weight: 2, arbitrary: unstorableText },
  { weight: 2, arbitrary: oddText },
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
export const refusedPathSegments = new Set([
  '%ff',
  '%E0%A4%A',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%00',
  'a%00b',
]);

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

/**
 * A well-formed value with one of its strings (the `pick`-th, wrapping around) replaced: the
 * sharpest test that a field which would be stored refuses what cannot be stored.
 */
export function withOneStringReplaced(value: unknown, pick: number, text: string): unknown {
  const count = countStrings(value);
  if (count === 0) return value;
  let left = pick % count;
  const walk = (current: unknown): unknown => {
    if (typeof current === 'string') return left-- === 0 ? text : current;
    if (Array.isArray(current)) return current.map(walk);
    if (current && typeof current === 'object') {
      return Object.fromEntries(Object.entries(current).map(([key, inner]) => [key, walk(inner)]));
    }
    return current;
  };
  return walk(value);
}

function countStrings(value: unknown): number {
  if (typeof value === 'string') return 1;
  if (Array.isArray(value)) return value.reduce((sum: number, inner) => sum + countStrings(inner), 0);
  if (value && typeof value === 'object') return countStrings(Object.values(value));
  return 0;
}
