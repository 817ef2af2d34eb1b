import type { Request, Response } from 'express';
import { clearCookie, readSignedCookie, setSignedCookie, type CookieSettings } from '../auth/cookies';

/** The message a page shows once after a form post redirected to it ("Status updated"). */
export interface Flash {
  message: string;
  /** What the page shows next to the message, e.g. the new booking link after re-invite. */
  show?: 'booking-link';
}

const FLASH_COOKIE = 'console_flash';
const FLASH_TTL_MS = 60_000;

/** Signed, so no other site can plant a message; short-lived, as it is read on the next page. */
export function setFlash(res: Response, cookies: CookieSettings, flash: Flash): void {
  const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  setSignedCookie(res, FLASH_COOKIE, value, cookies, FLASH_TTL_MS);
}

/** Reads the message and clears it: a reload does not show it again. */
export function takeFlash(req: Request, res: Response, cookies: CookieSettings): Flash | undefined {
  const value = readSignedCookie(req, FLASH_COOKIE, cookies);
  if (value === undefined) return undefined;
  clearCookie(res, FLASH_COOKIE, cookies);
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Flash>;
    if (typeof parsed.message !== 'string') return undefined;
    return { message: parsed.message, ...(parsed.show === 'booking-link' ? { show: parsed.show } : {}) };
  } catch {
    return undefined;
  }
}
