import type { FieldError } from './problem';

/**
 * PostgreSQL text cannot hold NUL (U+0000): an insert fails ("invalid byte sequence"), which
 * used to surface as a 500. A UTF-16 surrogate without its partner (JSON allows `"\ud800"`)
 * is no character at all: the driver's UTF-8 encoding silently turns it into U+FFFD in a text
 * column, and a jsonb column refuses it outright. Neither has any business in a name or
 * a title, so every incoming string is checked once, before validation, wherever it is.
 */
const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemWith(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text))
    return 'must not contain an unpaired surrogate (\\ud800–\\udfff): it is not text';
  return undefined;
}

/** Enough to say what is wrong; a body with thousands of bad strings gets the first few. */
const MAX_ERRORS = 20;

/**
 * The strings (and object keys) in a parsed params, query or body value that cannot be
 * stored, with their paths as validation errors name them (`participants.0.name`). Walks
 * with its own stack, so a body nested 10,000 levels deep cannot overflow the call stack.
 */
export function unstorableText(value: unknown, location: FieldError['location']): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Visit[] = [{ value }];
  while (pending.length > 0 && errors.length < MAX_ERRORS) {
    const visit = pending.pop()!;
    if (typeof visit.value === 'string') {
      const message = problemWith(visit.value);
      if (message) errors.push({ location, path: pathOf(visit), message });
    } else if (visit.value !== null && typeof visit.value === 'object') {
      for (const [key, inner] of Object.entries(visit.value)) {
        const keyProblem = problemWith(key);
        if (keyProblem) errors.push({ location, path: pathOf(visit), message: `a field name ${keyProblem}` });
        else pending.push({ value: inner, key, parent: visit });
      }
    }
  }
  return errors;
}

/** A value on the walk, linked to its parent: the path is only spelled out for an error. */
interface Visit {
  value: unknown;
  key?: string;
  parent?: Visit;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
  return keys.join('.');
}
