import crypto from 'node:crypto';

/** base32hex: the alphabet Google allows in event ids. */
export const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

export function randomBase32hex(length: number): string {
  const bytes = crypto.randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32HEX[byte % 32];
  return out;
}

export function isValidClientEventId(id: string): boolean {
  return /^[a-v0-9]{5,1024}$/.test(id);
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Google's `sub`: a long numeric string, stable per account; derived from the email so it survives resets. */
export function subjectFor(email: string): string {
  const digest = crypto.createHash('sha256').update(email.toLowerCase()).digest();
  let digits = '1';
  for (let i = 0; digits.length < 21; i++) digits += String((digest[i % digest.length] ?? 0) % 10);
  return digits;
}

/** An opaque id that stays the same for the same input (Google's resourceId is stable per resource). */
export function stableId(input: string, length = 27): string {
  return crypto.createHash('sha256').update(input).digest('base64url').slice(0, length);
}

/** A Meet code like `abc-defg-hij`. */
export function meetCode(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const pick = (n: number) =>
    Array.from(crypto.randomBytes(n))
      .map((b) => letters[b % 26])
      .join('');
  return `${pick(3)}-${pick(4)}-${pick(3)}`;
}

export function randomDigits(length: number): string {
  return Array.from(crypto.randomBytes(length))
    .map((b) => String(b % 10))
    .join('');
}
