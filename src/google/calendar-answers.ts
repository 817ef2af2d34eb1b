import { z } from 'zod';
import { GoogleApiError, type GoogleFailure } from './errors';

/**
 * The few Google answers whose fields the service turns into its own types (dates, ids) are
 * checked here, so a malformed answer fails loudly at the edge instead of as NaN later.
 */

export const WatchAnswerSchema = z.object({
  resourceId: z.string().min(1),
  // Google sends the expiration as a string of epoch milliseconds.
  expiration: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number),
});

const FreeBusyCalendarSchema = z.object({
  busy: z.array(z.object({ start: z.string(), end: z.string() })).optional(),
  errors: z.array(z.object({ domain: z.string().optional(), reason: z.string().optional() })).optional(),
});

export const FreeBusyAnswerSchema = z.object({
  calendars: z.record(z.string(), FreeBusyCalendarSchema),
});

export interface BusyInterval {
  start: Date;
  end: Date;
}

/**
 * The busy intervals of the one calendar asked about. Google keys the answer by the id as
 * requested; a lone entry under another key (an email for `primary`) is accepted too.
 */
export function busyIntervalsOf(answer: unknown, calendarId: string, operation: string): BusyInterval[] {
  const parsed = parseAnswer(FreeBusyAnswerSchema, answer, operation);
  const entries = Object.values(parsed.calendars);
  const calendar = parsed.calendars[calendarId] ?? (entries.length === 1 ? entries[0] : undefined);
  if (!calendar) throw malformedAnswer(operation, `no entry for calendar ${calendarId}`);
  const firstError = calendar.errors?.[0];
  if (firstError) {
    throw new GoogleApiError(operation, {
      failure: freeBusyFailure(firstError.reason),
      status: undefined,
      reason: firstError.reason,
      googleMessage: undefined,
    });
  }
  return (calendar.busy ?? []).map((interval) => ({
    start: parseInstant(interval.start, operation),
    end: parseInstant(interval.end, operation),
  }));
}

/** Google's documented per-calendar free/busy errors. */
function freeBusyFailure(reason: string | undefined): GoogleFailure {
  if (reason === 'notFound') return { kind: 'notFound' };
  if (reason === 'internalError' || reason === 'backendError') return { kind: 'transient' };
  return { kind: 'invalid' };
}

export function parseAnswer<T extends z.ZodType>(schema: T, answer: unknown, operation: string): z.infer<T> {
  const result = schema.safeParse(answer);
  if (!result.success)
    throw malformedAnswer(operation, result.error.issues[0]?.message ?? 'unexpected shape');
  return result.data;
}

function parseInstant(value: string, operation: string): Date {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw malformedAnswer(operation, 'a time is not RFC 3339');
  return instant;
}

function malformedAnswer(operation: string, why: string): GoogleApiError {
  return new GoogleApiError(operation, {
    failure: { kind: 'unknown' },
    status: undefined,
    reason: 'malformedAnswer',
    googleMessage: why,
  });
}
