import type { CookieSettings } from '../auth/cookies';
import { constantTimeEqual, hmacBase64Url } from '../security/secrets';

/**
 * The token every console form carries (DESIGN 3): derived from the session, so only a page
 * of ours, rendered for this session, can post a form with it. A cross-site form cannot
 * read it, and SameSite=Lax alone does not stop a same-site subdomain or a top-level GET.
 */
export function csrfToken(cookies: CookieSettings, sessionId: string): string {
  return hmacBase64Url(cookies.secret, `csrf:${sessionId}`);
}

/** Whether a posted value is this session's token, compared in constant time. */
export function csrfMatches(cookies: CookieSettings, sessionId: string, posted: unknown): boolean {
  return typeof posted === 'string' && constantTimeEqual(posted, csrfToken(cookies, sessionId));
}
