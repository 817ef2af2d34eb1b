import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config';

export interface EncryptedToken {
  /** `v1.<iv>.<auth tag>.<ciphertext>`, each part base64url. */
  ciphertext: string;
  /** Which key encrypted it, so keys can rotate while old rows stay readable. */
  keyId: string;
}

const VERSION = 'v1';

/**
 * AES-256-GCM with a fresh 96-bit IV per value. The key id is bound into the authenticated
 * data, so a ciphertext moved next to another key id fails to decrypt instead of being
 * tried with the wrong key.
 */
export function encryptToken(plaintext: string, keys: readonly EncryptionKey[]): EncryptedToken {
  const key = keys[0];
  if (!key) throw new Error('no token encryption key is configured');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}:${key.id}`));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), encrypted].map((part) => part.toString('base64url'));
  return { ciphertext: [VERSION, ...parts].join('.'), keyId: key.id };
}

export function decryptToken(token: EncryptedToken, keys: readonly EncryptionKey[]): string {
  const key = keys.find((candidate) => candidate.id === token.keyId);
  if (!key) throw new Error(`token encryption key "${token.keyId}" is not configured`);
  const [version, iv, tag, encrypted] = token.ciphertext.split('.');
  if (version !== VERSION || !iv || !tag || encrypted === undefined) {
    throw new Error('encrypted token has an unknown format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`${VERSION}:${key.id}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

/** Whether a stored token should be re-encrypted: it is not under the current (first) key. */
export function needsReencryption(keyId: string, keys: readonly EncryptionKey[]): boolean {
  return keys[0]?.id !== keyId;
}
