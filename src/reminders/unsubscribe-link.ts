import { constantTimeEqual, hmacBase64Url } from '../security/secrets';

/**
 * The link in every reminder that stops them: `<participant id>.<HMAC>` under the session
 * secret. Nothing is stored for it and nobody without the secret can make one for another
 * participant; it only ever unsubscribes, so it does not expire.
 */
export function unsubscribeToken(secret: string, participantId: string): string {
  return `${participantId}.${hmacBase64Url(secret, `reminders-unsubscribe:${participantId}`)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The participant id the token was made for, or undefined for anything else. */
export function participantOfUnsubscribeToken(secret: string, token: string): string | undefined {
  const [participantId, mac, ...rest] = token.split('.');
  if (!participantId || !mac || rest.length > 0 || !UUID.test(participantId)) return undefined;
  return constantTimeEqual(mac, hmacBase64Url(secret, `reminders-unsubscribe:${participantId}`))
    ? participantId
    : undefined;
}

export const UNSUBSCRIBE_PATH = '/reminders/unsubscribe';

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl}${UNSUBSCRIBE_PATH}/${token}`;
}
