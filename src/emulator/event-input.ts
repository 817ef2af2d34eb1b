import { z } from 'zod';
import { ApiError } from './errors';

/**
 * The writable part of an event resource. Read-only fields a client echoes back (etag,
 * created, organizer…) are accepted and ignored, as Google does; so are unknown fields.
 * `null` clears a field in a patch.
 */
const eventDateTimeSchema = z.object({
  date: z.string().optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});

const attendeeSchema = z.object({
  email: z.string(),
  displayName: z.string().optional(),
  optional: z.boolean().optional(),
  responseStatus: z.enum(['needsAction', 'declined', 'tentative', 'accepted']).optional(),
  comment: z.string().optional(),
  additionalGuests: z.number().int().min(0).optional(),
});

const stringMap = z.record(z.string(), z.string());

const createRequestSchema = z.object({
  requestId: z.string().min(1),
  conferenceSolutionKey: z.object({ type: z.string() }).optional(),
});

export const PASSTHROUGH_FIELDS = [
  'colorId',
  'reminders',
  'recurrence',
  'guestsCanModify',
  'guestsCanInviteOthers',
  'guestsCanSeeOtherGuests',
  'anyoneCanAddSelf',
  'source',
  'attachments',
  'eventType',
  'birthdayProperties',
  'focusTimeProperties',
  'outOfOfficeProperties',
  'workingLocationProperties',
] as const;

export const eventInputSchema = z.object({
  id: z.string().nullish(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).nullish(),
  summary: z.string().nullish(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  start: eventDateTimeSchema.nullish(),
  end: eventDateTimeSchema.nullish(),
  attendees: z.array(attendeeSchema).nullish(),
  transparency: z.enum(['opaque', 'transparent']).nullish(),
  visibility: z.enum(['default', 'public', 'private', 'confidential']).nullish(),
  extendedProperties: z.object({ private: stringMap.nullish(), shared: stringMap.nullish() }).nullish(),
  conferenceData: z.object({ createRequest: createRequestSchema.nullish() }).loose().nullish(),
  colorId: z.string().nullish(),
  reminders: z.unknown().optional(),
  recurrence: z.array(z.string()).nullish(),
  guestsCanModify: z.boolean().nullish(),
  guestsCanInviteOthers: z.boolean().nullish(),
  guestsCanSeeOtherGuests: z.boolean().nullish(),
  anyoneCanAddSelf: z.boolean().nullish(),
  source: z.object({ url: z.string(), title: z.string().optional() }).nullish(),
  attachments: z.array(z.unknown()).nullish(),
  eventType: z.string().nullish(),
  birthdayProperties: z.object({ type: z.literal('birthday').optional() }).nullish(),
  focusTimeProperties: z.record(z.string(), z.unknown()).nullish(),
  outOfOfficeProperties: z.record(z.string(), z.unknown()).nullish(),
  workingLocationProperties: z.record(z.string(), z.unknown()).nullish(),
});

export type EventInput = z.infer<typeof eventInputSchema>;
export type AttendeeInput = z.infer<typeof attendeeSchema>;

export function parseEventInput(body: unknown): EventInput {
  const result = eventInputSchema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'body';
    throw new ApiError(400, 'invalid', `Invalid value for ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export const sendUpdatesSchema = z.enum(['all', 'externalOnly', 'none']);
export type SendUpdates = z.infer<typeof sendUpdatesSchema>;
