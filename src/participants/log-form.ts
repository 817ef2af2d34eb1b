import { wallTimeOf, formatWallDate } from '../availability/local-time';
import { readExplainInput } from '../console/slot-explain-panel';
import { LOGGED_VERDICTS, type LoggedVerdict } from '../interviews/logged-interview-repository';
import type { FieldProblem, LogPageView } from './manual-booking-page-html';

const MINUTE_MS = 60_000;

type LogValues = LogPageView['values'];

/** A read log form: the interview it describes, or the problems beside their fields. */
export type LogFormInput =
  | {
      kind: 'valid';
      start: Date;
      end: Date;
      verdict: LoggedVerdict;
      note: string;
      hostId: string | undefined;
    }
  | { kind: 'invalid'; errors: FieldProblem[] };

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** What was typed into "Log past interview" (or its edit form), trimmed, for showing again. */
export function logValues(body: Record<string, unknown>): LogValues {
  return {
    date: text(body.date),
    time: text(body.time),
    duration: text(body.duration),
    status: text(body.status),
    note: text(body.note),
    hostId: text(body.hostId),
  };
}

/**
 * The form's date and time are the study's wall clock; the duration is in minutes. The
 * use case checks the rest (in the past, not ending in the future) and says so at `date`.
 * The host must be one of the team members the form listed (`hostIds`); left out, the use
 * case keeps its default (the caller when logging, the stored host when editing).
 */
export function readLogForm(
  study: { timeZone: string },
  values: LogValues,
  hostIds: readonly string[],
): LogFormInput {
  const input = readExplainInput(study, { whyDate: values.date, whyTime: values.time });
  const errors: FieldProblem[] =
    input.kind === 'invalid'
      ? input.errors.map(({ fieldId, message }) => ({ fieldId: fieldId.slice(4), message }))
      : [];
  if (input.kind === 'none')
    errors.push({ fieldId: 'date', message: 'Enter a date, for example 2026-12-08' });
  const duration = /^\d{1,4}$/.test(values.duration) ? Number(values.duration) : NaN;
  if (!(duration >= 1 && duration <= 1440)) {
    errors.push({ fieldId: 'duration', message: 'Enter the duration in minutes, from 1 to 1440' });
  }
  const verdict = (LOGGED_VERDICTS as readonly string[]).includes(values.status)
    ? (values.status as LoggedVerdict)
    : undefined;
  if (!verdict) errors.push({ fieldId: 'status', message: 'Choose the outcome' });
  if (values.note.length > 500)
    errors.push({ fieldId: 'note', message: 'The note must be 500 characters or fewer' });
  if (values.hostId && !hostIds.includes(values.hostId))
    errors.push({ fieldId: 'hostId', message: 'Choose a host from the study’s team' });
  if (errors.length > 0 || input.kind !== 'start' || !verdict) return { kind: 'invalid', errors };
  return {
    kind: 'valid',
    start: input.start,
    end: new Date(input.start.getTime() + duration * MINUTE_MS),
    verdict,
    note: values.note,
    hostId: values.hostId || undefined,
  };
}

/** The form's values for an interview already logged: its start on the study's wall clock. */
export function valuesOfLogged(
  study: { timeZone: string },
  interview: { start: Date; end: Date; verdict: LoggedVerdict; note: string | null; hostId: string },
): LogValues {
  const wall = wallTimeOf(study.timeZone, interview.start.getTime());
  return {
    date: formatWallDate(wall),
    time: new Date(wall).toISOString().slice(11, 16),
    duration: String(Math.round((interview.end.getTime() - interview.start.getTime()) / MINUTE_MS)),
    status: interview.verdict,
    note: interview.note ?? '',
    hostId: interview.hostId,
  };
}
