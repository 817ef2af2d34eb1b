import { randomToken, sha256Hex } from '../security/secrets';

/** A fresh booking link: 256 random bits in the URL, only their SHA-256 in the database. */
export function newBookingLink(publicUrl: string): { token: string; tokenHash: string; url: string } {
  const token = randomToken(32);
  return { token, tokenHash: sha256Hex(token), url: bookingUrl(publicUrl, token) };
}

export function bookingUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/book/${token}`;
}
