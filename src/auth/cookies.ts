import type { Request, Response } from 'express';
import { constantTimeEqual, hmacBase64Url } from '../security/secrets';

export interface CookieSettings {
  secret: string;
  /** https PUBLIC_URL: cookies get `Secure` and the `__Host-` prefix. */
  secure: boolean;
}

export function cookieName(base: string, settings: CookieSettings): string {
  return settings.secure ? `__Host-${base}` : base;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A cookie value with an HMAC: a forged or altered cookie is rejected before any lookup. */
export function readSignedCookie(req: Request, base: string, settings: CookieSettings): string | undefined {
  const raw = readCookie(req, cookieName(base, settings));
  const separator = raw?.lastIndexOf('.') ?? -1;
  if (!raw || separator <= 0) return undefined;
  const value = raw.slice(0, separator);
  return constantTimeEqual(
    raw.slice(separator + 1),
    hmacBase64Url(settings.secret, `cookie:${base}:${value}`),
  )
    ? value
    : undefined;
}

export function setSignedCookie(
  res: Response,
  base: string,
  value: string,
  settings: CookieSettings,
  maxAgeMs: number,
): void {
  res.cookie(
    cookieName(base, settings),
    `${value}.${hmacBase64Url(settings.secret, `cookie:${base}:${value}`)}`,
    {
      httpOnly: true,
      sameSite: 'lax',
      secure: settings.secure,
      path: '/',
      maxAge: maxAgeMs,
    },
  );
}

export function clearCookie(res: Response, base: string, settings: CookieSettings): void {
  res.clearCookie(cookieName(base, settings), {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secure,
    path: '/',
  });
}
