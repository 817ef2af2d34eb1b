import { constantTimeEqual, hmacBase64Url } from './secrets';

/**
 * A small signed, expiring value (the OAuth `state`): `<payload>.<expiry>.<mac>`. Nothing in
 * it is secret, but nobody without the session secret can make one, and it stops working
 * after its expiry.
 */
export function signState(secret: string, payload: Record<string, string>, expiresAt: Date): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const unsigned = `${body}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${unsigned}.${hmacBase64Url(secret, `state:${unsigned}`)}`;
}

export function verifyState(secret: string, state: string, now: Date): Record<string, string> | undefined {
  const [body, expiry, mac] = state.split('.');
  if (!body || !expiry || !mac) return undefined;
  if (!constantTimeEqual(mac, hmacBase64Url(secret, `state:${body}.${expiry}`))) return undefined;
  if (Number(expiry) * 1000 < now.getTime()) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    return Object.fromEntries(Object.entries(payload).filter(([, value]) => typeof value === 'string'));
  } catch {
    return undefined;
  }
}
