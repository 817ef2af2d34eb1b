import crypto from 'node:crypto';
import { randomToken } from './ids';

/**
 * RS256 id_tokens signed with the emulator's own key, published the two ways
 * google-auth-library reads them: `/oauth2/v1/certs` as `{ kid: PEM }` (what
 * `verifyIdToken` fetches under Node) and `/oauth2/v3/certs` as a JWK set.
 * A public key in PEM works where Google publishes X.509 certificates: the library hands
 * the PEM to `crypto.createVerify`, which takes either.
 */
export interface SigningKey {
  kid: string;
  privateKeyPem: string;
}

export interface IdTokenSigner {
  sign(claims: Record<string, unknown>): string;
  pemCerts(): Record<string, string>;
  jwks(): { keys: Array<Record<string, unknown>> };
}

export function generateSigningKey(): SigningKey {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid: randomToken(12),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function createIdTokenSigner(key: SigningKey): IdTokenSigner {
  const privateKey = crypto.createPrivateKey(key.privateKeyPem);
  const publicKey = crypto.createPublicKey(privateKey);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    sign(claims) {
      const unsigned = `${encode({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${encode(claims)}`;
      const signature = crypto.sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url');
      return `${unsigned}.${signature}`;
    },
    pemCerts: () => ({ [key.kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
    jwks: () => ({
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' }],
    }),
  };
}

/** `at_hash`: the left half of the access token's SHA-256, as OpenID Connect defines it for RS256. */
export function accessTokenHash(accessToken: string): string {
  const digest = crypto.createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The claims of a JWT without checking it (tokeninfo?id_token= only shows what the emulator signed). */
export function decodeClaims(jwt: string): Record<string, unknown> | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
