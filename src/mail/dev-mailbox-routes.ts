import type { Knex } from 'knex';
import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import { renderDevMailboxPage } from './dev-mailbox-page';
import { listDevMessages } from './dev-mailbox-repository';

const QuerySchema = z.object({
  to: z.email().optional(),
  format: z.enum(['json', 'html']).optional(),
});

const MailboxSchema = z.object({
  messages: z.array(
    z.object({
      id: z.number().int(),
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      html: z.string(),
      attachments: z
        .array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
        .describe("Files sent with the message (the interview's .ics)"),
      receivedAt: z.iso.datetime(),
    }),
  ),
});

/**
 * `GET /dev/mailbox`: what the service "sent" while no SMTP server is configured. The caller
 * registers it only outside production and without SMTP_URL — it shows booking links, which
 * are credentials for the participants they were sent to.
 *
 * JSON by default (scripts and tests read the booking link from it); an HTML page for a
 * browser (`Accept: text/html`) or with `?format=html`. `?to=` keeps one recipient's mail.
 */
export function registerDevMailboxRoutes(routes: RouteTable, deps: { knex: Knex }): void {
  routes.add({
    method: 'get',
    path: '/dev/mailbox',
    summary: 'The development mailbox (only without SMTP_URL, never in production)',
    tags: ['development'],
    query: QuerySchema,
    responses: {
      200: {
        description: 'Messages, newest first; an HTML page with Accept: text/html or ?format=html',
        schema: MailboxSchema,
      },
      400: { description: 'Invalid query', contentType: 'application/problem+json' },
    },
    handler: async ({ query, req, res }) => {
      const messages = await listDevMessages(deps.knex, { ...(query.to ? { to: query.to } : {}) });
      const format =
        query.format ?? (req.accepts(['application/json', 'text/html']) === 'text/html' ? 'html' : 'json');
      res.vary('Accept');
      if (format === 'html') {
        res.type('html').send(renderDevMailboxPage(messages, query.to));
        return;
      }
      res.json({
        messages: messages.map((message) => ({
          id: message.id,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: message.attachments,
          receivedAt: message.receivedAt.toISOString(),
        })),
      });
    },
  });
}
