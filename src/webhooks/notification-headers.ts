import { z } from 'zod';

/**
 * The headers of a Google Calendar push notification (its body is empty). Node lower-cases
 * header names. Other headers (User-Agent, …) are allowed; these are checked.
 */
export const NotificationHeadersSchema = z
  .object({
    'x-goog-channel-id': z.string().min(1).max(64),
    'x-goog-channel-token': z.string().max(256).optional(),
    'x-goog-resource-id': z.string().min(1).max(256),
    'x-goog-resource-state': z.enum(['sync', 'exists', 'not_exists']),
    'x-goog-message-number': z
      .string()
      .regex(/^\d{1,15}$/, 'must be a whole number')
      .transform(Number),
    'x-goog-channel-expiration': z.string().max(100).optional(),
    'x-goog-resource-uri': z.string().max(2000).optional(),
  })
  .transform((headers) => ({
    channelId: headers['x-goog-channel-id'],
    token: headers['x-goog-channel-token'],
    resourceId: headers['x-goog-resource-id'],
    resourceState: headers['x-goog-resource-state'],
    messageNumber: headers['x-goog-message-number'],
  }));

export type ResourceState = 'sync' | 'exists' | 'not_exists';

export type Notification = z.output<typeof NotificationHeadersSchema>;
