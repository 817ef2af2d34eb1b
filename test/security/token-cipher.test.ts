import fc from 'fast-check';
import { decryptToken, encryptToken } from '../../src/security/token-cipher';

const key = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });

describe('Refresh token encryption (AES-256-GCM)', () => {
  test('When any token is encrypted, then it decrypts to itself and the ciphertext does not contain it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), (token) => {
        const encrypted = encryptToken(token, [key('a', 1)]);
        expect(decryptToken(encrypted, [key('a', 1)])).toBe(token);
        if (token.length > 8) expect(encrypted.ciphertext).not.toContain(token);
      }),
    );
  });

  test('When the same token is encrypted twice, then the ciphertexts differ (fresh IV)', () => {
    const keys = [key('a', 1)];
    expect(encryptToken('1//refresh', keys).ciphertext).not.toBe(encryptToken('1//refresh', keys).ciphertext);
  });

  test('When the ciphertext is altered, then decryption fails instead of returning garbage', () => {
    const encrypted = encryptToken('1//refresh-token', [key('a', 1)]);
    const parts = encrypted.ciphertext.split('.');
    const last = parts[3] ?? '';
    parts[3] = (last[0] === 'A' ? 'B' : 'A') + last.slice(1);
    expect(() => decryptToken({ ...encrypted, ciphertext: parts.join('.') }, [key('a', 1)])).toThrow();
  });

  test('When a ciphertext is presented under another key id, then it fails (the key id is authenticated)', () => {
    const encrypted = encryptToken('1//refresh-token', [key('a', 1), key('b', 1)]);
    expect(() => decryptToken({ ...encrypted, keyId: 'b' }, [key('a', 1), key('b', 1)])).toThrow();
  });

  test('When the key is missing, then the error names the key id', () => {
    const encrypted = encryptToken('x', [key('old', 1)]);
    expect(() => decryptToken(encrypted, [key('new', 2)])).toThrow('"old"');
  });

  test('When several keys are configured, then the first one encrypts and all decrypt', () => {
    const keys = [key('new', 2), key('old', 1)];
    const old = encryptToken('x', [key('old', 1)]);
    expect(encryptToken('y', keys).keyId).toBe('new');
    expect(decryptToken(old, keys)).toBe('x');
  });
});
