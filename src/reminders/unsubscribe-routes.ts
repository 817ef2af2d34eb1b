import type { Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import { PAGE_STYLESHEET, renderErrorPage } from '../web/error-page';
import { findReminderSubscription } from './reminder-repository';
import { unsubscribeFromReminders } from './unsubscribe';
import { participantOfUnsubscribeToken, UNSUBSCRIBE_PATH } from './unsubscribe-link';
import { renderUnsubscribePage } from './unsubscribe-page';

export interface UnsubscribeRouteDeps {
  knex: Knex;
  /** The secret the links are signed with (the session secret). */
  secret: string;
  now?: () => Date;
}

// Any string: a malformed token gets the friendly 404 page, not a JSON validation error.
const TokenParams = z.object({ token: z.string().max(200) });
// RFC 8058's one-click POST carries exactly this; the page's own form posts nothing.
const OneClickBody = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click').optional() });

const unknownLink = {
  status: 404,
  heading: 'This unsubscribe link is not valid',
  message: 'Please check that you opened the whole link from your reminder email.',
};

/**
 * The unsubscribe link of reminder emails. GET only shows a question (mail scanners and link
 * previews open links; they must not unsubscribe anyone); the POST does it — from the page's
 * button, or straight from the mail program per RFC 8058. The signed token in the path is
 * what authorises it, and is also the CSRF defence: a page elsewhere cannot forge the POST
 * without knowing the token, and with it could only do what the token's owner may do anyway.
 * There is no session here, so the console's session-bound CSRF token does not apply.
 */
export function registerUnsubscribeRoutes(table: RouteTable, deps: UnsubscribeRouteDeps): void {
  const now = deps.now ?? (() => new Date());
  const send = (res: Response, status: number, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.status(status).type('html').send(body);
  };
  /** The participant a token names and their subscription; undefined for a token not ours. */
  const subscriptionOf = async (token: string) => {
    const participantId = participantOfUnsubscribeToken(deps.secret, token);
    const subscription = participantId ? await findReminderSubscription(deps.knex, participantId) : undefined;
    return participantId && subscription ? { participantId, subscription } : undefined;
  };
  const page = (res: Response, token: string, studyTitle: string, state: 'asking' | 'unsubscribed') =>
    send(
      res,
      200,
      renderUnsubscribePage({ studyTitle, state, action: `${UNSUBSCRIBE_PATH}/${token}` }, PAGE_STYLESHEET),
    );
  const responses = {
    200: { description: 'The question (GET) or the confirmation (POST)', contentType: 'text/html' },
    404: { description: 'Unknown unsubscribe link (friendly page)', contentType: 'text/html' },
  };

  table.add({
    method: 'get',
    path: `${UNSUBSCRIBE_PATH}/:token`,
    summary: "A reminder's unsubscribe link: asks before unsubscribing (HTML)",
    tags: ['reminders'],
    params: TokenParams,
    responses,
    handler: async ({ params, res }) => {
      const found = await subscriptionOf(params.token);
      if (!found) return send(res, 404, renderErrorPage(unknownLink));
      const { subscription } = found;
      page(
        res,
        params.token,
        subscription.studyTitle,
        subscription.unsubscribedAt ? 'unsubscribed' : 'asking',
      );
    },
  });

  table.add({
    method: 'post',
    path: `${UNSUBSCRIBE_PATH}/:token`,
    summary: 'Unsubscribe from reminders (the page’s button, or one-click per RFC 8058)',
    tags: ['reminders'],
    params: TokenParams,
    body: OneClickBody,
    responses,
    handler: async ({ params, res }) => {
      const found = await subscriptionOf(params.token);
      if (!found || !(await unsubscribeFromReminders(deps.knex, found.participantId, now()))) {
        return send(res, 404, renderErrorPage(unknownLink));
      }
      page(res, params.token, found.subscription.studyTitle, 'unsubscribed');
    },
  });
}
